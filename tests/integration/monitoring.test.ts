// The monitor role: data queries, source data verification, casebook freeze and study lock, and
// what each role may do with them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	ConflictError,
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import {
	correctAdverseEvent,
	recordAdverseEvent
} from '../../src/lib/server/services/capture/adverse-events';
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { recordVitals, correctVitals } from '../../src/lib/server/services/capture/vitals';
import {
	freezeCasebook,
	lockStudy,
	unfreezeCasebook,
	unlockStudy
} from '../../src/lib/server/services/monitoring/freeze-lock';
import {
	listDataQueries,
	queryStep,
	raiseQuery,
	unresolvedQueries
} from '../../src/lib/server/services/monitoring/queries';
import { recordSdv, sdvProgress, verifySource } from '../../src/lib/server/services/monitoring/sdv';
import { signRecords } from '../../src/lib/server/services/signatures/signatures';
import { actorFor, enrolledParticipant, freshDb, PASSWORD, type TestDb } from '../helpers/db';
import { noCriteria } from '../helpers/fixtures';
import { sql } from 'kysely';
import { DEMO_PROTOCOL_JSON } from '../../src/lib/domain/protocol';
import { loadProtocol } from '../../src/lib/server/services/protocol/studies';
import { activateProtocolVersion } from '../../src/lib/server/services/protocol/protocol-versions';

let t: TestDb;
let clock: number;
const now = () => new Date(clock);

beforeEach(async () => {
	t = await freshDb();
	clock = Date.parse('2026-11-20T15:00:00Z');
});
afterEach(async () => {
	await t.db.destroy();
});

const aeInput = (over: Record<string, unknown> = {}) => ({
	verbatimTerm: 'headache',
	codedTermCode: 'VIG-0003',
	onsetAt: '2026-11-20T11:30',
	awareAt: '2026-11-20T12:00',
	severity: '1',
	criteria: noCriteria,
	relatedness: 'possible',
	expectedness: 'expected',
	actionTaken: 'dose-not-changed',
	outcome: 'recovering',
	...over
});

async function people() {
	const c = await actorFor(t, 'coordinator', ['A1'], now);
	const inv = await actorFor(t, 'investigator', ['A1'], now);
	const mon = await actorFor(t, 'monitor', ['A1'], now);
	const monB = await actorFor(t, 'monitor', ['B1'], now);
	const auditor = await actorFor(t, 'auditor', ['A1'], now);
	const admin = await actorFor(t, 'admin', [], now);
	const p = await enrolledParticipant(t, 'A1', '2026-10-01');
	const ae = await recordAdverseEvent(c, p.id, aeInput());
	return { c, inv, mon, monB, auditor, admin, p, ae };
}

const rejects = async (work: Promise<unknown>, type: new (...a: never[]) => Error) =>
	expect(work).rejects.toBeInstanceOf(type);

describe('data queries', () => {
	it('raised by a monitor, answered by site staff, closed and re-opened by the monitor; every step kept and audited', async () => {
		const { c, mon, p, ae } = await people();
		const q = await raiseQuery(mon, {
			entityType: 'adverse_event',
			entityId: ae.id,
			field: 'severity',
			text: 'Source says grade 2; please check.',
			expectedValue: '2'
		});
		expect(q).toMatchObject({
			status: 'open',
			fieldLabel: 'Severity',
			queriedValue: 'grade:1',
			expectedValue: '2',
			subjectCode: p.subjectCode
		});
		clock += 2 * 86_400_000;
		await correctAdverseEvent(c, ae.id, aeInput({ severity: '2', reason: 'Per source, query' }));
		const answered = await queryStep(c, q.id, 'answer', { text: 'Corrected to grade 2.' });
		expect(answered.status).toBe('answered');
		expect(answered.steps.at(-1)).toMatchObject({
			step: 'answer',
			value: 'grade:2',
			actorRole: 'coordinator'
		});
		const reopened = await queryStep(mon, q.id, 'reopen', { text: 'Onset also differs.' });
		expect(reopened.status).toBe('open');
		await queryStep(c, q.id, 'answer', { text: 'Onset checked: correct.' });
		const closed = await queryStep(mon, q.id, 'close', {});
		expect(closed.status).toBe('closed');
		expect(closed.steps.map((s) => s.step)).toEqual([
			'raise',
			'answer',
			'reopen',
			'answer',
			'close'
		]);
		const audit = await t.db
			.selectFrom('audit_event')
			.select('action')
			.where('entity_type', '=', 'data_query')
			.orderBy('seq')
			.execute();
		expect(audit.map((a) => a.action)).toEqual([
			'query.raise',
			'query.answer',
			'query.reopen',
			'query.answer',
			'query.close'
		]);
		await rejects(queryStep(mon, q.id, 'close', {}), ConflictError);
	});

	it('who may do what: only monitors raise and close, only site staff answer, each at their sites', async () => {
		const { c, inv, mon, monB, auditor, admin, ae } = await people();
		const raise = {
			entityType: 'adverse_event',
			entityId: ae.id,
			field: 'outcome',
			text: 'Check outcome'
		};
		for (const ctx of [c, inv, auditor, admin]) {
			await rejects(raiseQuery(ctx, raise), ForbiddenError);
		}
		await rejects(raiseQuery(monB, raise), NotFoundError);
		const bad = await raiseQuery(mon, { ...raise, field: 'password_hash' }).catch(
			(e: unknown) => e
		);
		expect((bad as ValidationError).fieldErrors.field).toBeTruthy();
		const q = await raiseQuery(mon, raise);
		await rejects(queryStep(mon, q.id, 'answer', { text: 'x'.repeat(5) }), ForbiddenError);
		await rejects(queryStep(auditor, q.id, 'answer', { text: 'x'.repeat(5) }), ForbiddenError);
		await rejects(queryStep(c, q.id, 'close', {}), ForbiddenError);
		await rejects(queryStep(monB, q.id, 'close', {}), NotFoundError);
		await queryStep(inv, q.id, 'answer', { text: 'Outcome confirmed.' });
		expect((await listDataQueries(auditor)).map((x) => x.id)).toEqual([q.id]);
		expect(await listDataQueries(monB)).toEqual([]);
	});

	it('open queries and their age per participant', async () => {
		const { mon, p, ae } = await people();
		await raiseQuery(mon, {
			entityType: 'adverse_event',
			entityId: ae.id,
			field: 'outcome',
			text: 'Check outcome'
		});
		clock += 3 * 86_400_000;
		await raiseQuery(mon, {
			entityType: 'adverse_event',
			entityId: ae.id,
			field: 'onset_at',
			text: 'Check onset'
		});
		expect(await unresolvedQueries(mon)).toEqual([
			{
				siteCode: 'A1',
				participantId: p.id,
				subjectCode: p.subjectCode,
				open: 2,
				answered: 0,
				oldestDays: 3
			}
		]);
	});
});

async function session(c: Awaited<ReturnType<typeof people>>['c'], participantId: number) {
	const dosing = (await listVisits(c, participantId)).find((v) => v.kind === 'dosing')!;
	const s = await startDosingSession(c, participantId, {
		visitId: dosing.id,
		t0: '2026-11-20T10:00',
		initialDoseMg: 120,
		deviationReason: 'test set-up'
	});
	const r = await recordVitals(c, s.id, {
		timepoint: -30,
		takenAt: '09:30',
		systolic: 122,
		diastolic: 80
	});
	return { s, r };
}

describe('source data verification', () => {
	it('a monitor verifies a record or a field; a later change sends it back, visibly', async () => {
		const { c, mon, p } = await people();
		const { r } = await session(c, p.id);
		expect((await recordSdv(mon, 'vital_reading', r.id)).status).toBe('not-required');
		await verifySource(mon, {
			entityType: 'vital_reading',
			entityId: r.id,
			source: 'bedside sheet'
		});
		await verifySource(mon, { entityType: 'vital_reading', entityId: r.id, field: 'systolic' });
		const verified = await recordSdv(mon, 'vital_reading', r.id);
		expect(verified).toMatchObject({ status: 'verified', source: 'bedside sheet' });
		expect(verified.fields).toMatchObject([{ field: 'systolic', status: 'verified' }]);
		await correctVitals(c, r.id, {
			timepoint: -30,
			takenAt: '09:30',
			systolic: 126,
			diastolic: 80,
			reason: 'Misread'
		});
		const changed = await recordSdv(mon, 'vital_reading', r.id);
		expect(changed.status).toBe('changed');
		expect(changed.fields[0]!.status).toBe('changed');
	});

	it('progress counts the records the protocol requires (dosing sessions, serious AEs, MADRS, C-SSRS by default)', async () => {
		const { c, mon, p, ae } = await people();
		const { s } = await session(c, p.id);
		const serious = await recordAdverseEvent(
			c,
			p.id,
			aeInput({ criteria: { ...noCriteria, hospitalisation: true } })
		);
		expect((await recordSdv(mon, 'adverse_event', ae.id)).required).toBe(false);
		expect((await recordSdv(mon, 'adverse_event', serious.id)).status).toBe('pending');
		await verifySource(mon, { entityType: 'dosing_session', entityId: s.id });
		const progress = await sdvProgress(mon);
		expect(progress.find((x) => x.participantId === null)).toMatchObject({
			siteCode: 'A1',
			required: 2,
			verified: 1
		});
		expect(progress.find((x) => x.participantId === p.id)).toMatchObject({
			required: 2,
			verified: 1
		});
	});

	it('the protocol says which records need SDV: a version asking for all makes every record count', async () => {
		const { mon, admin, ae } = await people();
		expect((await recordSdv(mon, 'adverse_event', ae.id)).required).toBe(false);
		const all = structuredClone(DEMO_PROTOCOL_JSON) as Record<string, unknown>;
		all.version = '1.1-sdv-all';
		all.monitoring = { sdv: { mode: 'all' } };
		const { protocolVersionId } = await loadProtocol(admin, all);
		await activateProtocolVersion(admin, protocolVersionId, {
			reason: 'Sponsor asks for 100 % SDV'
		});
		expect(await recordSdv(mon, 'adverse_event', ae.id)).toMatchObject({
			required: true,
			status: 'pending'
		});
		const bad = structuredClone(DEMO_PROTOCOL_JSON) as Record<string, unknown>;
		bad.version = '1.2';
		bad.monitoring = { sdv: { samplePercent: 150 } };
		await rejects(loadProtocol(admin, bad), ValidationError);
	});

	it('only monitors verify, at their sites', async () => {
		const { c, inv, monB, auditor, ae } = await people();
		const input = { entityType: 'adverse_event', entityId: ae.id };
		for (const ctx of [c, inv, auditor]) await rejects(verifySource(ctx, input), ForbiddenError);
		await rejects(verifySource(monB, input), NotFoundError);
	});
});

describe('freeze and lock', () => {
	it('a frozen casebook refuses edits until unfrozen with a reason; investigators and admins freeze', async () => {
		const { c, inv, mon, admin, p, ae } = await people();
		await rejects(freezeCasebook(c, p.id), ForbiddenError);
		await rejects(freezeCasebook(mon, p.id), ForbiddenError);
		await freezeCasebook(inv, p.id, { reason: 'Ready for sign-off' });
		await rejects(
			correctAdverseEvent(c, ae.id, aeInput({ severity: '2', reason: 'Late news' })),
			ConflictError
		);
		await rejects(recordAdverseEvent(c, p.id, aeInput()), ConflictError);
		const noReason = await unfreezeCasebook(admin, p.id, {}).catch((e: unknown) => e);
		expect((noReason as ValidationError).fieldErrors.reason).toBeTruthy();
		await unfreezeCasebook(admin, p.id, { reason: 'Late lab result to enter' });
		await correctAdverseEvent(c, ae.id, aeInput({ severity: '2', reason: 'Late news' }));
		const audit = await t.db
			.selectFrom('audit_event')
			.select(['action', 'reason'])
			.where(sql.ref<string>('action'), 'like', 'casebook.%')
			.orderBy('seq')
			.execute();
		expect(audit).toEqual([
			{ action: 'casebook.freeze', reason: 'Ready for sign-off' },
			{ action: 'casebook.unfreeze', reason: 'Late lab result to enter' }
		]);
	});

	it('a locked study is read-only for every role: data, signatures, queries, SDV; admins unlock with a reason', async () => {
		const { c, inv, mon, admin, p, ae } = await people();
		await rejects(lockStudy(inv, t.studyId), ForbiddenError);
		await lockStudy(admin, t.studyId, { reason: 'Database lock for analysis' });
		await rejects(recordAdverseEvent(c, p.id, aeInput()), ConflictError);
		await rejects(
			correctAdverseEvent(c, ae.id, aeInput({ severity: '2', reason: 'x-y-z' })),
			ConflictError
		);
		await rejects(
			signRecords(inv, {
				records: [{ entityType: 'adverse_event', entityId: ae.id }],
				meaning: 'reviewed',
				userId: inv.actor.email,
				password: PASSWORD
			}),
			ConflictError
		);
		await rejects(
			raiseQuery(mon, {
				entityType: 'adverse_event',
				entityId: ae.id,
				field: 'outcome',
				text: 'Check it'
			}),
			ConflictError
		);
		await rejects(
			verifySource(mon, { entityType: 'adverse_event', entityId: ae.id }),
			ConflictError
		);
		await rejects(freezeCasebook(inv, p.id), ConflictError);
		await rejects(enrolledParticipant(t, 'A1'), ConflictError);
		await rejects(unlockStudy(admin, t.studyId, { reason: '' }), ValidationError);
		await unlockStudy(admin, t.studyId, { reason: 'Query found after lock' });
		await correctAdverseEvent(
			c,
			ae.id,
			aeInput({ severity: '2', reason: 'Query found after lock' })
		);
	});

	it('lifting a freeze or a lock voids the signatures it stood behind, each audited with the cause', async () => {
		const { c, inv, admin, p, ae } = await people();
		const other = await enrolledParticipant(t, 'A1', '2026-10-02');
		const otherAe = await recordAdverseEvent(c, other.id, aeInput());
		const signBoth = () =>
			signRecords(inv, {
				records: [
					{ entityType: 'adverse_event', entityId: ae.id },
					{ entityType: 'adverse_event', entityId: otherAe.id }
				],
				meaning: 'reviewed',
				userId: inv.actor.email,
				password: PASSWORD
			});
		const standing = async () =>
			(
				await t.db
					.selectFrom('signature')
					.select('entity_id')
					.where('voided_at', 'is', null)
					.orderBy('entity_id')
					.execute()
			).map((r) => r.entity_id);
		await signBoth();
		expect(await standing()).toEqual([ae.id, otherAe.id]);

		await freezeCasebook(inv, p.id, { reason: 'Ready for sign-off' });
		await unfreezeCasebook(admin, p.id, { reason: 'Late lab result to enter' });
		// Only this participant's record lost its signature.
		expect(await standing()).toEqual([otherAe.id]);
		const voided = await t.db
			.selectFrom('signature')
			.select(['entity_id', 'voided_reason'])
			.where('voided_at', 'is not', null)
			.execute();
		expect(voided).toEqual([
			{ entity_id: ae.id, voided_reason: 'casebook unfrozen: Late lab result to enter' }
		]);

		clock += 60_000;
		await signRecords(inv, {
			records: [{ entityType: 'adverse_event', entityId: ae.id }],
			meaning: 'reviewed',
			userId: inv.actor.email,
			password: PASSWORD
		});
		await lockStudy(admin, t.studyId, { reason: 'Database lock for analysis' });
		await unlockStudy(admin, t.studyId, { reason: 'Query found after lock' });
		expect(await standing()).toEqual([]);
		const audit = await t.db
			.selectFrom('audit_event')
			.select(['action', 'reason'])
			.where('action', '=', 'signature.void')
			.orderBy('seq')
			.execute();
		expect(audit).toEqual([
			{ action: 'signature.void', reason: 'casebook unfrozen: Late lab result to enter' },
			{ action: 'signature.void', reason: 'study unlocked: Query found after lock' },
			{ action: 'signature.void', reason: 'study unlocked: Query found after lock' }
		]);
	});
});
