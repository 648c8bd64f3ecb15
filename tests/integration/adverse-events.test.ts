import { describe, expect, it } from 'vitest';
import {
	ConflictError,
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import {
	correctAdverseEvent,
	getAdverseEvent,
	listAdverseEvents,
	listOpenSaeClocks,
	markAdverseEventEnteredInError,
	recordAdverseEvent
} from '../../src/lib/server/services/capture/adverse-events';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';
import { noCriteria } from '../helpers/fixtures';
import type { AuditAction } from '../../src/lib/server/audit/actions';

let t: TestDb;
freshDbEach((db) => (t = db));

// Site A1 is in Europe/Oslo, UTC+1 in November: 10:00 there is 09:00Z.
const now = () => new Date('2026-11-20T12:00:00Z');
const aeInput = (over: Record<string, unknown> = {}) => ({
	verbatimTerm: 'felt sick after the dose',
	codedTermCode: 'VIG-0003',
	onsetAt: '2026-11-20T09:30',
	awareAt: '2026-11-20T10:00',
	severity: '2',
	criteria: noCriteria,
	relatedness: 'possible',
	expectedness: 'expected',
	actionTaken: 'dose-not-changed',
	outcome: 'recovering',
	...over
});
/** Site B1 is in America/New_York, so its morning is still ahead of `now` at 09:30. */
const earlyInNewYork = { onsetAt: '2026-11-20T05:00', awareAt: '2026-11-20T05:30' };
const hospitalised = { criteria: { ...noCriteria, hospitalisation: 'yes' } };

const coordinatorA = () => actorFor(t, 'coordinator', ['A1'], now);

async function counts() {
	const ae = await t.db
		.selectFrom('adverse_event')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	const audit = await t.db
		.selectFrom('audit_event')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return { ae: ae.n, audit: audit.n };
}

async function auditOf(action: AuditAction) {
	return t.db
		.selectFrom('audit_event')
		.selectAll()
		.where('action', '=', action)
		.orderBy('seq')
		.execute();
}

async function dosingSession(participantId: number, siteId: number): Promise<number> {
	const row = await t.db
		.insertInto('dosing_session')
		.values({
			participant_id: participantId,
			site_id: siteId,
			session_number: 1,
			t0: '2026-11-20T08:00:00.000Z',
			initial_dose_mg: 120,
			created_at: '2026-11-20T08:00:00.000Z',
			created_by: null
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

const errorOf = (p: Promise<unknown>) => p.then(() => null).catch((e: unknown) => e);

describe('recording an adverse event', () => {
	it('derives seriousness from the criteria, reads times in the site zone and audits', async () => {
		const c = await coordinatorA();
		const p = await enrolledParticipant(t, 'A1');
		const plain = await recordAdverseEvent(c, p.id, aeInput());
		expect(plain.serious).toBe(false);
		expect(plain.saeClock).toBeNull();
		expect(plain.codedTerm).toBe('Nausea');
		expect(plain.awareAt).toBe('2026-11-20T09:00:00.000Z');
		expect(plain.severity).toEqual({ scale: 'ctcae', grade: 2 });

		const sae = await recordAdverseEvent(c, p.id, aeInput(hospitalised));
		expect(sae.serious).toBe(true);
		expect(sae.criteria.hospitalisation).toBe(true);
		expect(sae.saeClock).toEqual({
			dueAt: '2026-11-21T09:00:00.000Z',
			reportedAt: null,
			overdue: false,
			remainingMs: 21 * 3_600_000
		});
		const row = await t.db
			.selectFrom('adverse_event')
			.selectAll()
			.where('id', '=', sae.id)
			.executeTakeFirstOrThrow();
		expect([row.serious, row.severity, row.severity_scale]).toEqual([1, 'grade:2', 'ctcae']);
		const [created] = (await auditOf('adverse_event.create')).slice(-1);
		expect(created!.entity_id).toBe(String(sae.id));
		expect(JSON.parse(created!.new_values!)).toMatchObject({ serious: true, severity: 'grade:2' });
	});

	it('a serious, related, unexpected event also runs the SUSAR clock', async () => {
		const c = await coordinatorA();
		const p = await enrolledParticipant(t, 'A1');
		const ae = await recordAdverseEvent(
			c,
			p.id,
			aeInput({ ...hospitalised, expectedness: 'unexpected' })
		);
		expect(ae.susarClock).toMatchObject({ days: 15, dueAt: '2026-12-05T09:00:00.000Z' });
	});

	it('a failed validation writes nothing and names the fields', async () => {
		const c = await coordinatorA();
		const p = await enrolledParticipant(t, 'A1');
		const before = await counts();
		const badOrder = aeInput({ endAt: '2026-11-20T08:00', outcome: 'recovered' });
		const e = await errorOf(recordAdverseEvent(c, p.id, badOrder));
		expect(e).toBeInstanceOf(ValidationError);
		expect(Object.keys((e as ValidationError).fieldErrors)).toEqual(['endAt']);
		const unanswered = await errorOf(
			recordAdverseEvent(c, p.id, aeInput({ criteria: { death: 'no' }, severity: '7' }))
		);
		expect(Object.keys((unanswered as ValidationError).fieldErrors)).toEqual(
			expect.arrayContaining(['severity', 'criteria.lifeThreatening'])
		);
		expect(await counts()).toEqual(before);
	});

	it('links only to a dosing session of the same participant', async () => {
		const c = await coordinatorA();
		const p = await enrolledParticipant(t, 'A1');
		const other = await enrolledParticipant(t, 'A1');
		const own = await dosingSession(p.id, t.siteA);
		const theirs = await dosingSession(other.id, t.siteA);
		const before = await counts();
		const e = await errorOf(recordAdverseEvent(c, p.id, aeInput({ dosingSessionId: theirs })));
		expect((e as ValidationError).fieldErrors.dosingSessionId).toHaveLength(1);
		expect(await counts()).toEqual(before);
		const ae = await recordAdverseEvent(c, p.id, aeInput({ dosingSessionId: String(own) }));
		expect(ae.dosingSessionId).toBe(own);
	});
});

describe('who may read and write', () => {
	it('readers see their own sites; other sites and no site are not found', async () => {
		const pa = await enrolledParticipant(t, 'A1');
		const pb = await enrolledParticipant(t, 'B1');
		const a = await recordAdverseEvent(await coordinatorA(), pa.id, aeInput());
		const b = await recordAdverseEvent(
			await actorFor(t, 'coordinator', ['B1'], now),
			pb.id,
			aeInput(earlyInNewYork)
		);
		for (const role of ['coordinator', 'investigator', 'auditor'] as const) {
			const own = await actorFor(t, role, ['A1'], now);
			const none = await actorFor(t, role, [], now);
			expect((await getAdverseEvent(own, a.id)).id).toBe(a.id);
			expect((await listAdverseEvents(own, pa.id)).map((x) => x.id)).toEqual([a.id]);
			await expect(getAdverseEvent(own, b.id)).rejects.toBeInstanceOf(NotFoundError);
			await expect(listAdverseEvents(own, pb.id)).rejects.toBeInstanceOf(NotFoundError);
			await expect(getAdverseEvent(none, a.id)).rejects.toBeInstanceOf(NotFoundError);
			await expect(listAdverseEvents(none, pa.id)).rejects.toBeInstanceOf(NotFoundError);
		}
		const admin = await actorFor(t, 'admin', [], now);
		expect((await getAdverseEvent(admin, b.id)).id).toBe(b.id);
		await expect(getAdverseEvent(admin, 9999)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('only a coordinator at the site writes (an investigator there may correct); others are refused', async () => {
		const pa = await enrolledParticipant(t, 'A1');
		const ae = await recordAdverseEvent(await coordinatorA(), pa.id, aeInput());
		const cases = [
			['coordinator', ['B1'], NotFoundError],
			['coordinator', [], NotFoundError],
			['investigator', ['A1'], ForbiddenError],
			['investigator', ['B1'], NotFoundError],
			['auditor', ['A1'], ForbiddenError],
			['auditor', [], NotFoundError],
			['admin', [], ForbiddenError]
		] as const;
		const before = await counts();
		for (const [role, sites, error] of cases) {
			const actor = await actorFor(t, role, [...sites], now);
			await expect(recordAdverseEvent(actor, pa.id, aeInput())).rejects.toBeInstanceOf(error);
			const correction = aeInput({ severity: '3', reason: 'graded again', version: 1 });
			if (role === 'investigator' && sites[0] === 'A1') {
				// The investigator at the site records their assessment (see ae-reports.test.ts).
				await expect(correctAdverseEvent(actor, ae.id, correction)).resolves.toMatchObject({
					version: 2
				});
			} else {
				await expect(correctAdverseEvent(actor, ae.id, correction)).rejects.toBeInstanceOf(error);
			}
			await expect(
				markAdverseEventEnteredInError(actor, ae.id, { reason: 'duplicate' })
			).rejects.toBeInstanceOf(error);
		}
		expect((await counts()).ae).toBe(before.ae);
	});
});

describe('corrections', () => {
	it('changing a saved value needs a reason and is audited old → new, changed fields only', async () => {
		const c = await coordinatorA();
		const p = await enrolledParticipant(t, 'A1');
		const ae = await recordAdverseEvent(c, p.id, aeInput());
		const e = await errorOf(correctAdverseEvent(c, ae.id, aeInput({ severity: '3' })));
		expect((e as ValidationError).fieldErrors.reason).toHaveLength(1);

		const fixed = await correctAdverseEvent(
			c,
			ae.id,
			aeInput({
				...hospitalised,
				severity: '3',
				reason: 'Grade re-read from the chart',
				version: 1
			})
		);
		expect([fixed.version, fixed.serious, fixed.severity]).toEqual([
			2,
			true,
			{ scale: 'ctcae', grade: 3 }
		]);
		const [corrected] = await auditOf('adverse_event.update');
		expect(corrected!.reason).toBe('Grade re-read from the chart');
		expect(JSON.parse(corrected!.old_values!)).toEqual({
			severity: 'grade:2',
			serious: false,
			criteria: { ...fixed.criteria, hospitalisation: false }
		});
		expect(JSON.parse(corrected!.new_values!)).toMatchObject({
			severity: 'grade:3',
			serious: true
		});
	});

	it('filling an empty field needs no reason; no change writes nothing; stale versions are refused', async () => {
		const c = await coordinatorA();
		const p = await enrolledParticipant(t, 'A1');
		const ae = await recordAdverseEvent(c, p.id, aeInput());
		const noted = await correctAdverseEvent(c, ae.id, aeInput({ notes: 'Settled with rest' }));
		expect([noted.notes, noted.version]).toEqual(['Settled with rest', 2]);
		const before = await counts();
		const same = await correctAdverseEvent(c, ae.id, aeInput({ notes: 'Settled with rest' }));
		expect(same.version).toBe(2);
		expect(await counts()).toEqual(before);
		const stale = aeInput({ severity: '1', reason: 'Typed the wrong grade', version: 1 });
		await expect(correctAdverseEvent(c, ae.id, stale)).rejects.toBeInstanceOf(ConflictError);
	});
});

describe('entered in error', () => {
	it('keeps the row and its trail, hides it from the list and the clocks, and freezes it', async () => {
		const c = await coordinatorA();
		const p = await enrolledParticipant(t, 'A1');
		const ae = await recordAdverseEvent(c, p.id, aeInput(hospitalised));
		await expect(markAdverseEventEnteredInError(c, ae.id, { reason: '' })).rejects.toBeInstanceOf(
			ValidationError
		);
		const marked = await markAdverseEventEnteredInError(c, ae.id, {
			reason: 'Recorded for the wrong participant'
		});
		expect(marked.enteredInError?.reason).toBe('Recorded for the wrong participant');
		expect(marked.saeClock).toBeNull();
		expect(await listAdverseEvents(c, p.id)).toEqual([]);
		const all = await listAdverseEvents(c, p.id, { includeEnteredInError: true });
		expect(all.map((x) => x.id)).toEqual([ae.id]);
		expect(await listOpenSaeClocks(c)).toEqual([]);
		const trail = await t.db
			.selectFrom('audit_event')
			.select('action')
			.where('entity_type', '=', 'adverse_event')
			.where('entity_id', '=', String(ae.id))
			.orderBy('seq')
			.execute();
		expect(trail.map((r) => r.action)).toEqual([
			'adverse_event.create',
			'adverse_event.entered_in_error'
		]);
		await expect(
			correctAdverseEvent(c, ae.id, aeInput({ severity: '1', reason: 'try again' }))
		).rejects.toBeInstanceOf(ConflictError);
	});
});

describe('open SAE clocks', () => {
	it('lists serious events only, in scope, overdue once past due', async () => {
		const c = await coordinatorA();
		const p = await enrolledParticipant(t, 'A1');
		const pb = await enrolledParticipant(t, 'B1');
		await recordAdverseEvent(c, p.id, aeInput());
		const sae = await recordAdverseEvent(c, p.id, aeInput(hospitalised));
		const cb = await actorFor(t, 'coordinator', ['B1'], now);
		await recordAdverseEvent(cb, pb.id, aeInput({ ...hospitalised, ...earlyInNewYork }));

		const later = () => new Date('2026-11-21T10:00:00Z');
		const investigator = await actorFor(t, 'investigator', ['A1'], later);
		const clocks = await listOpenSaeClocks(investigator);
		expect(clocks).toHaveLength(1);
		expect(clocks[0]).toMatchObject({
			adverseEventId: sae.id,
			subjectCode: p.subjectCode,
			term: 'Nausea',
			awareAt: '2026-11-20T09:00:00.000Z',
			dueAt: '2026-11-21T09:00:00.000Z',
			overdue: true
		});
		expect(await listOpenSaeClocks(await actorFor(t, 'auditor', [], now))).toEqual([]);
		expect(await listOpenSaeClocks(await actorFor(t, 'admin', [], now))).toHaveLength(2);
	});
});
