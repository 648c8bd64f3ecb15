// A NUL character in any text a user sends is refused as a field error, on every database: the
// fuzzer found PostgreSQL answering 500 to an unlock reason of "\u0000\u0000\u0000", because its
// text type cannot hold one. Nothing is written and the record stays as it was.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/lib/server/runtime/errors';
import { recordAdverseEvent } from '../../src/lib/server/services/capture/adverse-events';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import { lockStudy, studyLockState } from '../../src/lib/server/services/monitoring/freeze-lock';
import { requestUnlock } from '../../src/lib/server/services/monitoring/unlock-approval';
import { actorFor, runningSession, type TestDb, freshDbEach } from '../helpers/db';
import { noCriteria } from '../helpers/fixtures';

let t: TestDb;
const now = () => new Date('2026-11-20T15:00:00Z');

freshDbEach((db) => (t = db));

async function fieldErrorsOf(work: Promise<unknown>): Promise<Record<string, string[]>> {
	const e = await work.then(
		() => null,
		(err: unknown) => err
	);
	expect(e).toBeInstanceOf(ValidationError);
	return (e as ValidationError).fieldErrors;
}

const auditRows = async () =>
	Number(
		(
			await t.db
				.selectFrom('audit_event')
				.select((eb) => eb.fn.countAll().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);

describe('text holding a NUL character', () => {
	it('an unlock reason is refused by field and the study stays locked', async () => {
		const admin = await actorFor(t, 'admin', [], now);
		await lockStudy(admin, t.studyId, { reason: 'Database lock for analysis' });
		const before = await auditRows();
		const errors = await fieldErrorsOf(
			requestUnlock(admin, t.studyId, { reason: '\u0000\u0000\u0000' })
		);
		expect(Object.keys(errors)).toEqual(['reason']);
		expect(errors.reason!.join(' ')).toMatch(/cannot be printed|cannot be stored/);
		expect((await studyLockState(admin, t.studyId)).locked).toBe(true);
		expect(await auditRows()).toBe(before);
	});

	it('a reading, an adverse event and a scale name the field that holds it, and write nothing', async () => {
		const { coordinator: c, participant: p, session } = await runningSession(t, { now });
		const before = await auditRows();
		const vitals = await fieldErrorsOf(
			recordVitals(c, session.id, {
				timepoint: -30,
				takenAt: '09:30\u0000',
				systolic: '120',
				diastolic: '80',
				heartRate: '70'
			})
		);
		expect(Object.keys(vitals)).toEqual(['takenAt']);
		const ae = await fieldErrorsOf(
			recordAdverseEvent(c, p.id, {
				verbatimTerm: 'head\u0000ache',
				codedTermCode: 'VIG-0003',
				onsetAt: '2026-11-20T11:30',
				awareAt: '2026-11-20T12:00',
				severity: '1',
				criteria: noCriteria,
				relatedness: 'possible',
				expectedness: 'expected',
				actionTaken: 'dose-not-changed',
				outcome: 'recovering',
				notes: 'woke with it\u0000'
			})
		);
		expect(Object.keys(ae).sort()).toEqual(['notes', 'verbatimTerm']);
		const scale = await fieldErrorsOf(
			recordScaleAdministration(c, p.id, {
				instrument: 'PHQ-9',
				administeredAt: '2026-11-20T12:00',
				items: { 1: '1\u0000' }
			})
		);
		expect(Object.keys(scale).length).toBeGreaterThan(0);
		expect(await auditRows()).toBe(before);
	});
});
