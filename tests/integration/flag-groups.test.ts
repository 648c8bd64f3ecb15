// A reading that breaks several rules is one card on the board: its flags are acknowledged or
// closed together, in one transaction, each with its own audit entry.
import { describe, expect, it } from 'vitest';
import {
	ConflictError,
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import {
	acknowledgeFlags,
	closeFlags,
	recordFlagActions
} from '../../src/lib/server/services/safety/flag-groups';
import { acknowledgeFlag, listFlags } from '../../src/lib/server/services/safety/flags';
import { actorFor, type TestDb, runningSession, freshDbEach } from '../helpers/db';

let t: TestDb;
const now = () => new Date('2026-11-20T09:31:00Z');

freshDbEach((db) => (t = db));

/** A 30-minute reading of 172/95 after a baseline of 122/80: several rules on one record. */
async function breach() {
	const { coordinator: c, session: s } = await runningSession(t, { now });
	const inv = await actorFor(t, 'investigator', ['A1'], now);
	await recordVitals(c, s.id, { timepoint: -30, takenAt: '09:30', systolic: 122, diastolic: 80 });
	await recordVitals(c, s.id, { timepoint: 30, takenAt: '10:30', systolic: 172, diastolic: 95 });
	// The reading's own flags (a missed-reading flag of the session is another record's).
	const flags = (await listFlags(inv, { sessionId: s.id, open: true })).filter(
		(f) => f.sourceType === 'vital_reading'
	);
	return { c, inv, flags };
}

const auditOf = (ids: number[]) =>
	t.db
		.selectFrom('audit_event')
		.select(['action', 'entity_id'])
		.where('entity_type', '=', 'flag')
		.where(
			'entity_id',
			'in',
			ids.map((id) => String(id))
		)
		.where('action', '!=', 'flag.raise')
		.orderBy('seq')
		.execute();

describe('flags of one record, together', () => {
	it('acknowledges the unseen ones of a card, each audited; then closes all with one outcome', async () => {
		const { inv, flags } = await breach();
		expect(flags.length).toBeGreaterThanOrEqual(2);
		expect(new Set(flags.map((f) => `${f.sourceType}:${f.sourceId}`)).size).toBe(1);
		const ids = flags.map((f) => f.id);
		// One was seen already: it is left as it is.
		await acknowledgeFlag(inv, ids[0]!);
		const seen = await acknowledgeFlags(inv, { flagIds: ids });
		expect(seen.map((f) => f.status)).toEqual(ids.map(() => 'acknowledged'));
		expect((await auditOf(ids)).filter((a) => a.action === 'flag.acknowledge')).toHaveLength(
			ids.length
		);
		await expect(acknowledgeFlags(inv, { flagIds: ids })).rejects.toBeInstanceOf(ConflictError);

		const closed = await closeFlags(inv, {
			flagIds: ids.map(String),
			outcome: 'Recheck 148/88; resolved.'
		});
		expect(closed.map((f) => [f.status, f.outcome])).toEqual(
			ids.map(() => ['closed', 'Recheck 148/88; resolved.'])
		);
		const closes = (await auditOf(ids)).filter((a) => a.action === 'flag.close');
		expect(closes.map((a) => Number(a.entity_id)).sort()).toEqual([...ids].sort());
		const left = await listFlags(inv, { open: true });
		expect(left.filter((f) => ids.includes(f.id))).toEqual([]);
	});

	it('all or nothing: one closed flag in the list leaves the others open', async () => {
		const { inv, flags } = await breach();
		const ids = flags.map((f) => f.id);
		await closeFlags(inv, { flagIds: [ids[0]!], outcome: 'Handled alone.' });
		await expect(closeFlags(inv, { flagIds: ids, outcome: 'All at once.' })).rejects.toBeInstanceOf(
			ConflictError
		);
		const open = (await listFlags(inv, { open: true })).filter((f) => ids.includes(f.id));
		expect(open.map((f) => f.id).sort()).toEqual(ids.slice(1).sort());
		expect(open.every((f) => f.outcome === null)).toBe(true);
	});

	it('refuses a coordinator, another site, a missing outcome and an empty list', async () => {
		const { c, inv, flags } = await breach();
		const ids = flags.map((f) => f.id);
		const elsewhere = await actorFor(t, 'investigator', ['B1'], now);
		await expect(acknowledgeFlags(c, { flagIds: ids })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(closeFlags(c, { flagIds: ids, outcome: 'x x x' })).rejects.toBeInstanceOf(
			ForbiddenError
		);
		await expect(acknowledgeFlags(elsewhere, { flagIds: ids })).rejects.toBeInstanceOf(
			NotFoundError
		);
		await expect(
			closeFlags(elsewhere, { flagIds: ids, outcome: 'Not mine' })
		).rejects.toBeInstanceOf(NotFoundError);
		const missing = await closeFlags(inv, { flagIds: ids }).catch((e: unknown) => e);
		expect((missing as ValidationError).fieldErrors.outcome).toEqual(['Record the outcome.']);
		await expect(acknowledgeFlags(inv, { flagIds: [] })).rejects.toBeInstanceOf(ValidationError);
		expect((await listFlags(inv, { open: true })).every((f) => f.status === 'raised')).toBe(true);
		expect(await auditOf(ids)).toEqual([]);
	});

	it('records one action on every flag of the list, each audited, by a coordinator too', async () => {
		const { c, inv, flags } = await breach();
		const ids = flags.map((f) => f.id);
		const acted = await recordFlagActions(c, {
			flagIds: ids,
			category: 'recheck',
			text: 'Rechecked after 5 min seated: 150/90.'
		});
		expect(acted.map((f) => [f.status, f.actionCategory, f.actionText])).toEqual(
			ids.map(() => ['actioned', 'recheck', 'Rechecked after 5 min seated: 150/90.'])
		);
		// Acting is also seeing: each flag is acknowledged by the coordinator who acted.
		expect(acted.every((f) => f.acknowledgedAt !== null)).toBe(true);
		const actions = (await auditOf(ids)).filter((a) => a.action === 'flag.action');
		expect(actions.map((a) => Number(a.entity_id)).sort()).toEqual([...ids].sort());
		// The investigator then closes them together.
		await closeFlags(inv, { flagIds: ids, outcome: 'Settled by the recheck.' });
		await expect(
			recordFlagActions(inv, { flagIds: ids, category: 'other', text: 'Too late' })
		).rejects.toBeInstanceOf(ConflictError);
	});

	it('checks every flag before reading the rest: elsewhere or read-only learns nothing', async () => {
		const { inv, flags } = await breach();
		const ids = flags.map((f) => f.id);
		const elsewhere = await actorFor(t, 'coordinator', ['B1'], now);
		const auditor = await actorFor(t, 'auditor', ['A1'], now);
		// A bad category from another site is "not found", never a field error.
		await expect(
			recordFlagActions(elsewhere, { flagIds: ids, category: 'nonsense' })
		).rejects.toBeInstanceOf(NotFoundError);
		await expect(recordFlagActions(auditor, { flagIds: ids })).rejects.toBeInstanceOf(
			ForbiddenError
		);
		// One unknown id in the list refuses the whole list.
		await expect(
			recordFlagActions(inv, { flagIds: [...ids, 999_999], category: 'recheck', text: 'All' })
		).rejects.toBeInstanceOf(NotFoundError);
		const bad = await recordFlagActions(inv, { flagIds: ids, category: 'nonsense' }).catch(
			(e: unknown) => e
		);
		expect(Object.keys((bad as ValidationError).fieldErrors).sort()).toEqual(['category', 'text']);
		expect(await auditOf(ids)).toEqual([]);
	});
});
