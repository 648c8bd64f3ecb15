// The concealed allocation list against its trail (part of `audit verify`'s data check). The trail
// holds each stratum list's SHA-256 and its seed's, never an arm; each randomisation names the
// stratum and kit it took. So a list edited in the database (an arm swapped, a slot added), a slot
// handed to another participant, or a randomisation changed is found, slot and field named, and
// the answer never shows an arm, a block or the seed: admins and auditors run verify, and both
// are blinded roles (roles.ts UNBLINDED_ROLES).
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import {
	allocationDigest,
	stratumAllocationList,
	type AllocationSlot,
	type ArmRatio
} from '../../domain/randomisation';
import type { Executor } from '../db';
import * as allocation from '../repositories/allocation';
import type { DataMismatch } from './data-vs-trail';

export const ALLOCATION_TABLES = [
	'randomisation',
	'allocation_slot',
	'randomisation_seed'
] as const;
export type AllocationTable = (typeof ALLOCATION_TABLES)[number];

/** What verify prints instead of a value that would unblind its reader. */
export const CONCEALED = '(concealed)';
const SECRET_FIELDS = new Set(['arm', 'block', 'block_size', 'seed']);

type Slot = Awaited<ReturnType<typeof allocation.allSlots>>[number];
type Event = {
	entity_id: string | null;
	action: string;
	new_values: string | null;
	reason: string | null;
};

interface ListEntry {
	studyId: number;
	stratum: string;
	arms: ArmRatio[];
	blockSizes: number[];
	slots: number;
	listSha256: string;
	seedSha256: string;
}

const parse = (text: string | null): Record<string, unknown> => {
	try {
		return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
	} catch {
		return {};
	}
};

const sha256Hex = (text: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(text)));

function mismatch(
	table: AllocationTable,
	id: string,
	field: string | null,
	trail: unknown,
	data: unknown,
	what: string
): DataMismatch {
	const secret = field !== null && SECRET_FIELDS.has(field);
	const message = secret
		? `${table} ${id} ${field} differs from what the audit trail recorded (${what}; not shown: it would unblind)`
		: field === null
			? `${table} ${id} ${what}`
			: `${table} ${id} ${field} is ${JSON.stringify(data)} but the audit trail says ${JSON.stringify(trail)} (${what})`;
	return {
		table,
		id,
		field,
		trail: secret ? CONCEALED : trail,
		data: secret ? CONCEALED : data,
		message
	};
}

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

function listEntries(events: Event[]): ListEntry[] {
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
function checkLists(
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

interface Assigned {
	stratum: string;
	kit: string;
	unblindedAt: string | null;
	unblindReason: string | null;
}

/** Each randomised participant as the trail tells it: stratum and kit, and any unblinding. */
function assignments(events: Event[]): Map<number, Assigned> {
	const out = new Map<number, Assigned>();
	for (const e of events) {
		const participant = Number(e.entity_id);
		const v = parse(e.new_values);
		if (e.action === 'randomisation.assign') {
			out.set(participant, {
				stratum: String(v.stratum),
				kit: String(v.kit),
				unblindedAt: null,
				unblindReason: null
			});
		} else if (e.action === 'randomisation.emergency_unblind' && out.has(participant)) {
			out.get(participant)!.unblindedAt = String(v.unblindedAt);
			out.get(participant)!.unblindReason = e.reason;
		}
	}
	return out;
}

/** Which participant holds which slot, against the randomisations the trail records. */
function checkConsumption(
	assigned: Map<number, Assigned>,
	slots: Slot[],
	studyOf: Map<number, number>
): DataMismatch[] {
	const holder = new Map<string, number>();
	for (const [p, a] of assigned) holder.set(`${studyOf.get(p)}|${a.stratum}|${a.kit}`, p);
	const found: DataMismatch[] = [];
	for (const s of slots) {
		const expected = holder.get(`${s.study_id}|${s.stratum}|${s.kit}`) ?? null;
		if (s.participant_id === expected) continue;
		const what =
			expected === null
				? 'the trail gives this slot to no one'
				: `the trail gives kit ${s.kit} to participant ${expected}`;
		found.push(
			mismatch('allocation_slot', String(s.id), 'participant_id', expected, s.participant_id, what)
		);
	}
	return found;
}

type RandomisationRow = Awaited<ReturnType<typeof randomisationRows>>[number];
const randomisationRows = (db: Executor) =>
	db.selectFrom('randomisation').selectAll().orderBy('id').execute();

/** The randomisation records (what blinded roles see) against the trail. */
function checkRandomisations(
	assigned: Map<number, Assigned>,
	rows: RandomisationRow[]
): DataMismatch[] {
	const found: DataMismatch[] = [];
	const seen = new Set<number>();
	for (const row of rows) {
		seen.add(row.participant_id);
		const id = String(row.id);
		const a = assigned.get(row.participant_id);
		if (!a) {
			found.push(
				mismatch(
					'randomisation',
					id,
					null,
					null,
					'row',
					`(participant ${row.participant_id}) is in the database but has no entry in the audit trail`
				)
			);
			continue;
		}
		const pairs: Array<[string, unknown, unknown]> = [
			['stratum', a.stratum, row.stratum],
			['kit', a.kit, row.kit],
			['unblinded_at', a.unblindedAt, row.unblinded_at],
			['unblind_reason', a.unblindReason, row.unblind_reason]
		];
		for (const [field, trail, data] of pairs) {
			if (trail !== data) {
				found.push(
					mismatch('randomisation', id, field, trail, data, `participant ${row.participant_id}`)
				);
			}
		}
	}
	for (const participant of assigned.keys()) {
		if (!seen.has(participant)) {
			found.push(
				mismatch(
					'randomisation',
					`of participant ${participant}`,
					null,
					'row',
					null,
					'is in the audit trail but its row is gone from the database'
				)
			);
		}
	}
	return found;
}

/** The allocation lists, their seeds, their use and the randomisation records against the trail. */
export async function allocationAgainstTrail(db: Executor): Promise<DataMismatch[]> {
	const events = await db
		.selectFrom('audit_event')
		.select(['entity_id', 'action', 'new_values', 'reason'])
		.where('action', 'in', [
			'randomisation.list_generate',
			'randomisation.assign',
			'randomisation.emergency_unblind'
		])
		.orderBy('seq')
		.execute();
	const slots = await allocation.allSlots(db);
	const seeds = await allocation.allSeeds(db);
	const rows = await randomisationRows(db);
	if (events.length === 0 && slots.length === 0 && seeds.length === 0 && rows.length === 0) {
		return [];
	}
	const assigned = assignments(events);
	const participants = await db.selectFrom('participant').select(['id', 'study_id']).execute();
	const studyOf = new Map(participants.map((p) => [p.id, p.study_id]));
	return [
		...checkLists(listEntries(events), slots, seeds),
		...checkConsumption(assigned, slots, studyOf),
		...checkRandomisations(assigned, rows)
	];
}
