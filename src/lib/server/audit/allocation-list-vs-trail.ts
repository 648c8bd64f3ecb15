// The concealed allocation lists and their seeds against the trail (part of `audit verify`'s data
// check). The trail holds each stratum list's SHA-256 and its seed's, never an arm; so a list
// edited in the database (an arm swapped, a slot added or gone) is found, slot and field named,
// when the seed still holds; otherwise the list as a whole. No arm, block or seed is shown.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import {
	allocationDigest,
	stratumAllocationList,
	type AllocationSlot,
	type ArmRatio
} from '../../domain/randomisation';
import type { DataMismatch } from './data-vs-trail';
import { mismatch, parse, type Event, type Slot } from './allocation-mismatch';

interface ListEntry {
	studyId: number;
	stratum: string;
	arms: ArmRatio[];
	blockSizes: number[];
	slots: number;
	listSha256: string;
	seedSha256: string;
}

const sha256Hex = (text: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(text)));

/** One stratum's stored list against its audited digest; slot by slot when the seed still holds. */
function checkList(entry: ListEntry, stored: Slot[], seed: string | undefined): DataMismatch[] {
	const listId = `${entry.studyId}:${entry.stratum}`;
	const asDomain: AllocationSlot[] = stored.map((s) => ({
		stratum: s.stratum,
		sequence: s.sequence,
		block: s.block,
		blockSize: s.block_size,
		arm: s.arm,
		kit: s.kit
	}));
	if (allocationDigest(asDomain) === entry.listSha256) return [];
	const params = {
		seed: seed ?? '',
		arms: entry.arms,
		blockSizes: entry.blockSizes,
		slotsPerStratum: entry.slots
	};
	let audited: AllocationSlot[] | null = null;
	try {
		const made = stratumAllocationList(params, entry.stratum);
		audited = allocationDigest(made) === entry.listSha256 ? made : null;
	} catch {
		audited = null;
	}
	if (!audited) {
		return [
			mismatch(
				'allocation_slot',
				`list ${listId}`,
				null,
				null,
				null,
				'no longer matches the SHA-256 the audit trail recorded for it'
			)
		];
	}
	const found: DataMismatch[] = [];
	const bySequence = new Map(stored.map((s) => [s.sequence, s]));
	for (const want of audited) {
		const have = bySequence.get(want.sequence);
		bySequence.delete(want.sequence);
		if (!have) {
			found.push(
				mismatch(
					'allocation_slot',
					`${listId}#${want.sequence}`,
					null,
					'row',
					null,
					'is in the audited list but its row is gone'
				)
			);
			continue;
		}
		const pairs: Array<[string, unknown, unknown]> = [
			['block', want.block, have.block],
			['block_size', want.blockSize, have.block_size],
			['arm', want.arm, have.arm],
			['kit', want.kit, have.kit]
		];
		for (const [field, trail, data] of pairs) {
			if (trail !== data) {
				found.push(
					mismatch(
						'allocation_slot',
						String(have.id),
						field,
						trail,
						data,
						`list ${listId}, slot ${want.sequence}`
					)
				);
			}
		}
	}
	for (const extra of bySequence.values()) {
		found.push(
			mismatch(
				'allocation_slot',
				String(extra.id),
				null,
				null,
				'row',
				`(list ${listId}, slot ${extra.sequence}) is in the database but not in the audited list`
			)
		);
	}
	return found;
}

export function listEntries(events: Event[]): ListEntry[] {
	return events
		.filter((e) => e.action === 'randomisation.list_generate' && e.entity_id)
		.map((e) => {
			const v = parse(e.new_values);
			return {
				studyId: Number(e.entity_id!.slice(0, e.entity_id!.indexOf(':'))),
				stratum: String(v.stratum),
				arms: (v.arms ?? []) as ArmRatio[],
				blockSizes: (v.blockSizes ?? []) as number[],
				slots: Number(v.slots),
				listSha256: String(v.listSha256),
				seedSha256: String(v.seedSha256)
			};
		});
}

/** The lists and seeds against their audited digests. */
export function checkLists(
	lists: ListEntry[],
	slots: Slot[],
	seeds: Array<{ study_id: number; seed: string }>
): DataMismatch[] {
	const found: DataMismatch[] = [];
	const seedOf = new Map(seeds.map((s) => [s.study_id, s.seed]));
	const listed = new Set<string>();
	for (const entry of lists) {
		const key = `${entry.studyId}:${entry.stratum}`;
		listed.add(key);
		const seed = seedOf.get(entry.studyId);
		if (seed === undefined) {
			found.push(
				mismatch(
					'randomisation_seed',
					`study ${entry.studyId}`,
					null,
					'row',
					null,
					'is in the audit trail but its row is gone from the database'
				)
			);
		} else if (sha256Hex(seed) !== entry.seedSha256) {
			found.push(
				mismatch(
					'randomisation_seed',
					`study ${entry.studyId}`,
					'seed',
					null,
					null,
					`its SHA-256 is not the one recorded with list ${key}`
				)
			);
		}
		const stored = slots.filter((s) => s.study_id === entry.studyId && s.stratum === entry.stratum);
		const seedHolds = seed !== undefined && sha256Hex(seed) === entry.seedSha256;
		found.push(...checkList(entry, stored, seedHolds ? seed : undefined));
	}
	const unlisted = new Set(
		slots.map((s) => `${s.study_id}:${s.stratum}`).filter((k) => !listed.has(k))
	);
	for (const key of unlisted) {
		found.push(
			mismatch(
				'allocation_slot',
				`list ${key}`,
				null,
				null,
				'rows',
				'is in the database but has no entry in the audit trail'
			)
		);
	}
	const studiesListed = new Set(lists.map((l) => l.studyId));
	for (const s of seeds) {
		if (!studiesListed.has(s.study_id)) {
			found.push(
				mismatch(
					'randomisation_seed',
					`study ${s.study_id}`,
					null,
					null,
					'row',
					'is in the database but has no entry in the audit trail'
				)
			);
		}
	}
	return found;
}
