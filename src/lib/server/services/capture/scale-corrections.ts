// Corrections to a saved administration and marking one entered in error (DOMAIN.md §5: a changed
// saved value needs a reason, and the trail keeps old and new).
import type { ItemAnswer } from '../../../domain/scales';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import type { ServiceContext } from '../../runtime/context';
import { writeTransaction } from '../../db/transaction';
import { evaluateScaleRecord } from '../safety/safety-records';
import { voidSignatures } from '../signatures/signatures';
import { ConflictError, ValidationError } from '../../runtime/errors';
import * as repo from '../../repositories/scales';
import type { ScaleAdministrationRow } from '../../repositories/scales';
import {
	changeOf,
	strikeRecord,
	requireReason,
	requireReasonFor,
	type Change
} from './corrections';
import { updatedStamp } from './stamps';
import { readAdministration, type AdministrationEntry } from './scale-input';
import {
	rowForWrite,
	rowToWrite,
	scoreColumns,
	timeZoneOf,
	visitFor,
	visitNames
} from './scale-rows';
import { toView, type ScaleAdministrationView } from './scale-view';
import { keepSummaries } from '../dashboards/summaries';
import { keepRecordSdv } from '../monitoring/sdv-summary';

const objectOf = (input: unknown): Record<string, unknown> =>
	typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};

type Flat = Record<string, ItemAnswer | number | string | null>;

/** Visit, time and every item side by side, so `changeOf` sees each answer as its own field. */
function flatten(
	visitId: number | null,
	at: string,
	answers: Record<string, ItemAnswer>,
	keys: string[]
) {
	const flat: Flat = { visitId, administeredAt: at };
	for (const key of keys) flat[`answers.${key}`] = answers[key] ?? null;
	return flat;
}

/** Back to `{ answers: { '3': 2 }, … }` for a readable trail. */
function nest(values: Partial<Flat>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const answers: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(values)) {
		if (key.startsWith('answers.')) answers[key.slice('answers.'.length)] = value;
		else out[key] = value;
	}
	return Object.keys(answers).length > 0 ? { ...out, answers } : out;
}

/**
 * The form shows minutes only: a time sent back unchanged to the minute keeps its saved seconds,
 * so it does not count as a change that needs a reason.
 */
function keepSeconds(saved: string, typed: string): string {
	const minute = (iso: string) => Math.floor(Date.parse(iso) / 60_000);
	return minute(saved) === minute(typed) && Date.parse(typed) % 60_000 === 0 ? saved : typed;
}

/** The corrected entry; fields left out keep their saved values (an API client may send answers only). */
async function correctionOf(
	ctx: ServiceContext,
	before: ScaleAdministrationRow,
	input: unknown
): Promise<AdministrationEntry> {
	const given = objectOf(input);
	if (given.instrument !== undefined && given.instrument !== before.instrument) {
		throw new ValidationError({
			instrument: ['The instrument cannot change; enter this one in error and record the other.']
		});
	}
	const saved = { visitId: before.visit_id, administeredAt: before.administered_at };
	const tz = await timeZoneOf(ctx, before.site_id);
	const entry = readAdministration(
		{ ...saved, ...given, instrument: before.instrument },
		tz,
		ctx.now()
	);
	return { ...entry, administeredAt: keepSeconds(before.administered_at, entry.administeredAt) };
}

/** What the correction changes: visit, time and each answer as its own field. */
function changeFrom(row: ScaleAdministrationRow, entry: AdministrationEntry) {
	const answers = JSON.parse(row.answers) as Record<string, ItemAnswer>;
	const keys = [...new Set([...Object.keys(answers), ...Object.keys(entry.answers)])];
	return changeOf(
		flatten(row.visit_id, row.administered_at, answers, keys),
		flatten(entry.visitId, entry.administeredAt, entry.answers, keys)
	);
}

/** Old and new of the changed fields, plus the rescored total and band when they moved. */
function trailOf(row: ScaleAdministrationRow, entry: AdministrationEntry, change: Change<Flat>) {
	const derived = changeOf(
		{ complete: row.complete === 1, total: row.total, band: row.band },
		{
			complete: entry.score.complete,
			total: entry.score.total,
			band: entry.score.band?.label ?? null
		}
	);
	return {
		oldValues: { ...nest(change.oldValues), ...derived?.oldValues },
		newValues: { ...nest(change.newValues), ...derived?.newValues }
	};
}

/**
 * Corrects an administration and rescores it. A changed saved answer, time or visit needs a
 * reason; answering an item left empty is data entry and does not. Only what changed is audited.
 */
export async function correctScaleAdministration(
	ctx: ServiceContext,
	id: number,
	input: unknown
): Promise<ScaleAdministrationView> {
	const { row: before, protocol } = await rowToWrite(ctx, id);
	if (before.origin === 'participant') {
		// The participant is the originator of a self-report (DOMAIN-2.md §5, E6R3 §3.16.1(i)(j)):
		// staff may only mark it entered in error, with a reason.
		throw new ConflictError(
			'The participant entered these answers themselves: staff cannot change them. Mark the entry in error, with the reason, if it must not count.'
		);
	}
	const entry = await correctionOf(ctx, before, input);
	return writeTransaction(ctx.db, async (trx) => {
		const row = await rowForWrite(ctx, trx, id, entry.version);
		const visit = await visitFor(trx, row.participant_id, entry.visitId);
		const change = changeFrom(row, entry);
		if (!change) return toView(row, protocol);
		const reason = requireReasonFor(change, entry.reason);
		const at = ctx.now().toISOString();
		const columns = scoreColumns(entry);
		await repo.updateScaleAdministration(trx, id, {
			...columns,
			...updatedStamp(ctx, at)
		});
		await keepRecordSdv(trx, { type: 'scale_administration', id });
		await keepSummaries(trx, { kind: 'scales', participantId: row.participant_id });
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.scaleCorrected,
			entityType: 'scale_administration',
			entityId: id,
			siteId: row.site_id,
			...trailOf(row, entry, change),
			reason
		});
		await evaluateScaleRecord(trx, ctx, id, `scale ${id} corrected: ${reason ?? 'items added'}`);
		await voidSignatures(
			trx,
			ctx,
			'scale_administration',
			id,
			`corrected: ${reason ?? 'items added'}`
		);
		const after = { ...row, ...columns, ...visitNames(visit), updated_at: at };
		return toView({ ...after, version: row.version + 1 }, protocol);
	});
}

/** Marks an administration entered in error: it leaves lists and series, the trail keeps it. */
export async function markScaleEnteredInError(
	ctx: ServiceContext,
	id: number,
	input: unknown
): Promise<ScaleAdministrationView> {
	const { protocol } = await rowToWrite(ctx, id);
	const reason = requireReason(
		objectOf(input).reason,
		'Say why this administration was entered in error.'
	);
	return writeTransaction(ctx.db, async (trx) => {
		const row = await rowForWrite(ctx, trx, id, null);
		const { at } = await strikeRecord(
			trx,
			ctx,
			{
				action: AUDIT_ACTIONS.scaleEnteredInError,
				entityType: 'scale_administration',
				entityId: id,
				siteId: row.site_id
			},
			reason,
			async (struck) => {
				await repo.updateScaleAdministration(trx, id, struck.columns);
				await keepRecordSdv(trx, { type: 'scale_administration', id });
				await keepSummaries(trx, { kind: 'scales', participantId: row.participant_id });
			}
		);
		await evaluateScaleRecord(trx, ctx, id, `scale ${id} entered in error: ${reason}`);
		await voidSignatures(trx, ctx, 'scale_administration', id, `entered in error: ${reason}`);
		const after = { ...row, entered_in_error_at: at, entered_in_error_reason: reason };
		return toView({ ...after, updated_at: at, version: row.version + 1 }, protocol);
	});
}
