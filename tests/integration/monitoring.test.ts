// The monitor role: data queries, source data verification, casebook freeze and study lock, and
// what each role may do with them.
import { beforeEach, describe, expect, it } from 'vitest';
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
	unfreezeCasebook
} from '../../src/lib/server/services/monitoring/freeze-lock';
import {
	approveUnlock,
	declineUnlock,
	pendingUnlock,
	requestUnlock
} from '../../src/lib/server/services/monitoring/unlock-approval';
import { systemContext } from '../../src/lib/server/runtime/context';
import {
	listDataQueries,
	queryStep,
	raiseQuery,
	unresolvedQueries
} from '../../src/lib/server/services/monitoring/queries';
import { verifySource } from '../../src/lib/server/services/monitoring/sdv';
import { participantSdv, recordSdv } from '../../src/lib/server/services/monitoring/sdv-status';
import { sdvProgressPage } from '../../src/lib/server/services/monitoring/sdv-progress';
import { signRecords } from '../../src/lib/server/services/signatures/signatures';
import { actorFor, enrolledParticipant, PASSWORD, type TestDb, freshDbEach } from '../helpers/db';
import { noCriteria } from '../helpers/fixtures';
import { sql } from 'kysely';
import { DEMO_PROTOCOL_JSON } from '../../src/lib/domain/protocol';
import { loadProtocol } from '../../src/lib/server/services/protocol/studies';
import { activateProtocolVersion } from '../../src/lib/server/services/protocol/protocol-versions';

let t: TestDb;
/** Every row of the SDV progress list (one page holds them here). */
const sdvProgress = async (ctx: Parameters<typeof sdvProgressPage>[0]) =>
	(await sdvProgressPage(ctx, { limit: 1000 })).items;
let clock: number;
const now = () => new Date(clock);

freshDbEach((db) => (t = db));
beforeEach(() => {
	clock = Date.parse('2026-11-20T15:00:00Z');
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
	const statuses = (sdv: { fields: Array<{ field: string; status: string }> }) =>
		Object.fromEntries(sdv.fields.map((f) => [f.field, f.status]));

	it('a monitor verifies a record field by field; a later change sends back only that field', async () => {
		const { c, mon, p } = await people();
		const { r } = await session(c, p.id);
		const before = await recordSdv(mon, 'vital_reading', r.id);
		expect(before).toMatchObject({ status: 'not-required', fieldCount: 5, fieldsVerified: 0 });
		await verifySource(mon, {
			entityType: 'vital_reading',
			entityId: r.id,
			source: 'bedside sheet'
		});
		const verified = await recordSdv(mon, 'vital_reading', r.id);
		expect(verified).toMatchObject({
			status: 'verified',
			fieldsVerified: 5,
			source: 'bedside sheet'
		});
		expect(statuses(verified)).toEqual({
			measured_at: 'verified',
			systolic: 'verified',
			diastolic: 'verified',
			heart_rate: 'verified',
			temperature_c: 'verified'
		});
		// One audit entry per field verified, each with the value it verified.
		const audit = await t.db
			.selectFrom('audit_event')
			.select(['new_values'])
			.where('action', '=', 'sdv.verify')
			.where('entity_id', '=', String(r.id))
			.execute();
		expect(audit).toHaveLength(5);
		expect(audit.map((a) => JSON.parse(String(a.new_values)).field).sort()).toEqual(
			['diastolic', 'heart_rate', 'measured_at', 'systolic', 'temperature_c'].sort()
		);
		await rejects(
			verifySource(mon, { entityType: 'vital_reading', entityId: r.id }),
			ConflictError
		);

		await correctVitals(c, r.id, {
			timepoint: -30,
			takenAt: '09:30',
			systolic: 126,
			diastolic: 80,
			reason: 'Misread'
		});
		const changed = await recordSdv(mon, 'vital_reading', r.id);
		expect(changed).toMatchObject({ status: 'changed', fieldsVerified: 4, fieldsChanged: 1 });
		expect(statuses(changed)).toMatchObject({ systolic: 'changed', diastolic: 'verified' });
		expect(changed.fields.find((f) => f.field === 'systolic')!.value).toBe('126');
		// Verifying the outstanding fields verifies only the one that went back.
		await verifySource(mon, { entityType: 'vital_reading', entityId: r.id, source: 'sheet v2' });
		const again = await recordSdv(mon, 'vital_reading', r.id);
		expect(again.status).toBe('verified');
		expect(again.fields.filter((f) => f.source === 'sheet v2').map((f) => f.field)).toEqual([
			'systolic'
		]);
	});

	it('a field the protocol does not list may be verified too; it shows but does not count', async () => {
		const { c, mon, p } = await people();
		const { r } = await session(c, p.id);
		await verifySource(mon, { entityType: 'vital_reading', entityId: r.id, field: 'position' });
		const sdv = await recordSdv(mon, 'vital_reading', r.id);
		expect(sdv).toMatchObject({ status: 'not-required', fieldCount: 5, fieldsVerified: 0 });
		expect(sdv.fields.at(-1)).toMatchObject({
			field: 'position',
			required: false,
			status: 'verified'
		});
		await rejects(
			verifySource(mon, { entityType: 'vital_reading', entityId: r.id, field: 'blood_type' }),
			ValidationError
		);
	});

	it('progress counts the fields of the records the protocol requires (sessions, serious AEs, MADRS, C-SSRS)', async () => {
		const { c, mon, admin, p, ae } = await people();
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
		// A session has 5 fields to verify, a serious adverse event 10.
		const expected = { records: 2, recordsVerified: 1, required: 15, verified: 5, changed: 0 };
		expect(progress.find((x) => x.participantId === null)).toMatchObject({
			siteCode: 'A1',
			...expected
		});
		expect(progress.find((x) => x.participantId === p.id)).toMatchObject(expected);
		// The worksheet lists the required records with every field's status.
		const sheet = await participantSdv(mon, p.id);
		expect(sheet.map((r) => `${r.entityType}:${r.entityId}`)).toEqual([
			`dosing_session:${s.id}`,
			`adverse_event:${serious.id}`
		]);
		expect(sheet[0]!.href).toBe(`/sessions/${s.id}`);

		// A protocol version listing two session fields and two AE fields: progress follows at once.
		const fewer = structuredClone(DEMO_PROTOCOL_JSON) as Record<string, unknown>;
		fewer.version = '1.1-sdv-fields';
		fewer.monitoring = {
			sdv: {
				fields: {
					dosing_session: ['t0', 'initial_dose_mg'],
					adverse_event: ['onset_at', 'severity']
				}
			}
		};
		const { protocolVersionId } = await loadProtocol(admin, fewer);
		await activateProtocolVersion(admin, protocolVersionId, { reason: 'Critical fields only' });
		const site = (await sdvProgress(mon)).find((x) => x.participantId === null);
		expect(site).toMatchObject({ records: 2, recordsVerified: 1, required: 4, verified: 2 });
		// Changing a field nobody is asked to verify leaves the AE as it was; changing one that is
		// verified sends back that field.
		await verifySource(mon, { entityType: 'adverse_event', entityId: serious.id });
		await correctAdverseEvent(
			c,
			serious.id,
			aeInput({
				criteria: { ...noCriteria, hospitalisation: true },
				notes: 'Seen',
				reason: 'Notes'
			})
		);
		expect((await recordSdv(mon, 'adverse_event', serious.id)).status).toBe('verified');
		await correctAdverseEvent(
			c,
			serious.id,
			aeInput({
				criteria: { ...noCriteria, hospitalisation: true },
				notes: 'Seen',
				severity: '3',
				reason: 'Regraded'
			})
		);
		const regraded = await recordSdv(mon, 'adverse_event', serious.id);
		expect(statuses(regraded)).toEqual({ onset_at: 'verified', severity: 'changed' });
		expect((await sdvProgress(mon)).find((x) => x.participantId === p.id)).toMatchObject({
			required: 4,
			verified: 3,
			changed: 1
		});

		const bad = structuredClone(DEMO_PROTOCOL_JSON) as Record<string, unknown>;
		bad.version = '1.2-bad-fields';
		bad.monitoring = { sdv: { fields: { vital_reading: ['systolic', 'blood_type'] } } };
		const e = await loadProtocol(admin, bad).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(ValidationError);
		expect(JSON.stringify((e as ValidationError).fieldErrors)).toContain(
			'A field of vital_reading'
		);
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
		await rejects(requestUnlock(admin, t.studyId, { reason: '' }), ValidationError);
		await requestUnlock(admin, t.studyId, { reason: 'Query found after lock' });
		await approveUnlock(await actorFor(t, 'admin', [], now), t.studyId);
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
		await requestUnlock(admin, t.studyId, { reason: 'Query found after lock' });
		// Asked for, not yet approved: the signatures stand.
		expect(await standing()).toEqual([ae.id, otherAe.id]);
		await approveUnlock(await actorFor(t, 'admin', [], now), t.studyId);
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

	it('unlocking is asked for with a reason by one administrator and approved by another, each step audited', async () => {
		const { c, inv, admin, p, ae } = await people();
		const second = await actorFor(t, 'admin', [], now);
		const correct = () =>
			correctAdverseEvent(c, ae.id, aeInput({ severity: '2', reason: 'After unlock' }));
		await rejects(requestUnlock(admin, t.studyId, { reason: 'Nothing locked' }), ConflictError);
		await lockStudy(admin, t.studyId, { reason: 'Database lock for analysis' });
		await rejects(requestUnlock(inv, t.studyId, { reason: 'Let me fix it' }), ForbiddenError);
		await rejects(approveUnlock(second, t.studyId), ConflictError);

		const asked = await requestUnlock(admin, t.studyId, { reason: 'Query found after lock' });
		expect(asked).toMatchObject({ reason: 'Query found after lock', askedByYou: true });
		expect(await pendingUnlock(second, t.studyId)).toMatchObject({ askedByYou: false });
		// Asked for is not unlocked; one request at a time; the one who asked cannot approve.
		await rejects(correct(), ConflictError);
		await rejects(requestUnlock(second, t.studyId, { reason: 'Me too' }), ConflictError);
		await rejects(approveUnlock(admin, t.studyId), ForbiddenError);
		await rejects(approveUnlock(inv, t.studyId), ForbiddenError);
		await rejects(correct(), ConflictError);

		// Declined by the second: still locked, nothing waiting.
		await rejects(declineUnlock(second, t.studyId, { reason: '' }), ValidationError);
		await declineUnlock(second, t.studyId, { reason: 'Answer the query in a listing instead' });
		expect(await pendingUnlock(admin, t.studyId)).toBeNull();
		await rejects(correct(), ConflictError);

		// The command-line operator may ask; an administrator approves.
		const operator = systemContext(t.db, 'cli:ops', now);
		await requestUnlock(operator, t.studyId, { reason: 'Late lab results' });
		await rejects(approveUnlock(operator, t.studyId), ForbiddenError);
		clock += 60_000;
		await approveUnlock(admin, t.studyId, { note: 'Agreed with the sponsor' });
		await correct();
		expect(await freezeCasebook(inv, p.id)).toMatchObject({ frozen: true });

		const audit = await t.db
			.selectFrom('audit_event')
			.select(['action', 'actor_label', 'reason'])
			.where(sql.ref<string>('action'), 'like', 'study.%')
			.orderBy('seq')
			.execute();
		expect(
			audit.filter((a) => a.action !== 'study.create').map((a) => [a.action, a.reason])
		).toEqual([
			['study.lock', 'Database lock for analysis'],
			['study.unlock_request', 'Query found after lock'],
			['study.unlock_decline', 'Answer the query in a listing instead'],
			['study.unlock_request', 'Late lab results'],
			['study.unlock_approve', 'Agreed with the sponsor'],
			['study.unlock', 'Late lab results']
		]);
		// Request and approval by different people.
		const [request, approval] = audit
			.filter((a) => /unlock_(request|approve)$/.test(a.action))
			.slice(1);
		expect(request!.actor_label).not.toBe(approval!.actor_label);
	});
});
