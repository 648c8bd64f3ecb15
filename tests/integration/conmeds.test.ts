import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../src/lib/server/runtime/errors';
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import {
	correctConmed,
	listConmeds,
	markConmedEnteredInError,
	recordConmed
} from '../../src/lib/server/services/trial/conmeds';
import { listConmedsForExport } from '../../src/lib/server/repositories/conmeds';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
const NOW = () => new Date('2026-11-20T18:00:00Z');

freshDbEach((db) => (t = db));

const flags = () =>
	t.db
		.selectFrom('flag')
		.selectAll()
		.where('source_type', '=', 'concomitant_medication')
		.orderBy('id')
		.execute();

async function setup() {
	const c = await actorFor(t, 'coordinator', ['A1'], NOW);
	const p = await enrolledParticipant(t, 'A1', '2026-10-01');
	const ds1 = (await listVisits(c, p.id)).find((v) => v.visit_code === 'DS1')!;
	const dose = (extra: Record<string, unknown> = {}) =>
		startDosingSession(c, p.id, {
			visitId: ds1.id,
			t0: '2026-11-20T10:00',
			initialDoseMg: '120',
			...extra,
			deviationReason: 'test set-up'
		});
	return { c, p, dose };
}

describe('concomitant medications', () => {
	it('codes a known ingredient to its ATC class; a partial stop date is allowed', async () => {
		const { c, p } = await setup();
		const m = await recordConmed(c, p.id, {
			name: 'Zoloft 50 mg',
			ingredient: 'Sertraline',
			dose: '50',
			doseUnit: 'mg',
			frequency: 'QD',
			route: 'ORAL',
			indication: 'Depression',
			start: '2024-03',
			stop: '2026-09'
		});
		expect(m).toMatchObject({
			ingredient: 'sertraline',
			atc_code: 'N06AB06',
			atc_class: 'Selective serotonin reuptake inhibitors',
			start_date: '2024-03',
			stop_date: '2026-09'
		});
		const rows = await listConmedsForExport(t.db, t.studyId, 'all');
		expect(rows).toEqual([
			expect.objectContaining({ subject_code: p.subjectCode, name: 'Zoloft 50 mg' })
		]);
	});

	it('refuses bad input field by field, keeping the meaning of each message', async () => {
		const { c, p } = await setup();
		const e = (await recordConmed(c, p.id, {
			name: '',
			atcCode: 'XYZ',
			dose: '5',
			start: '2026-13',
			stop: ''
		}).catch((x: unknown) => x)) as ValidationError;
		expect(Object.keys(e.fieldErrors).sort()).toEqual(['atcCode', 'doseUnit', 'name', 'start']);
		const order = (await recordConmed(c, p.id, {
			name: 'Ibuprofen',
			start: '2026-10-05',
			stop: '2026-10-01'
		}).catch((x: unknown) => x)) as ValidationError;
		expect(order.fieldErrors.stop![0]).toMatch(/before the start/);
	});

	it('an MAOI taken now raises an urgent flag at entry and holds the dose; an override is audited', async () => {
		const { c, p, dose } = await setup();
		const m = await recordConmed(c, p.id, {
			name: 'Nardil',
			ingredient: 'phenelzine',
			start: '2026-06-01'
		});
		expect(await flags()).toEqual([
			expect.objectContaining({
				rule_id: 'conmed.maoi',
				level: 'urgent',
				status: 'raised',
				source_id: m.id
			})
		]);
		const held = (await dose().catch((x: unknown) => x)) as ValidationError;
		expect(held).toBeInstanceOf(ValidationError);
		expect(held.fieldErrors.conmedOverrideReason!.join(' ')).toMatch(
			/Nardil \(MAO inhibitors\).*Do not dose/
		);
		expect(await t.db.selectFrom('dosing_session').selectAll().execute()).toEqual([]);

		const s = await dose({ conmedOverrideReason: 'Stopped 3 weeks ago; chart entry was wrong' });
		expect(s.initial_dose_mg).toBe(120);
		const raised = await flags();
		expect(raised.map((f) => f.condition_key)).toEqual([
			`conmed.maoi:cm:${m.id}:entry`,
			`conmed.maoi:cm:${m.id}:session:${s.id}`
		]);
		const override = await t.db
			.selectFrom('audit_event')
			.selectAll()
			.where('action', '=', 'dosing_session.conmed_hold_override')
			.executeTakeFirstOrThrow();
		expect(override.reason).toBe('Stopped 3 weeks ago; chart entry was wrong');
	});

	it('an SSRI stopped within its washout holds the dose; correcting the stop date closes the flags', async () => {
		const { c, p, dose } = await setup();
		const m = await recordConmed(c, p.id, {
			name: 'Cipralex',
			ingredient: 'escitalopram',
			start: '2025-01-01',
			stop: '2026-11-10'
		});
		expect((await flags()).map((f) => f.rule_id)).toEqual(['conmed.ssri']);
		const held = (await dose().catch((x: unknown) => x)) as ValidationError;
		expect(held.fieldErrors.conmedOverrideReason![0]).toMatch(
			/stopped 10 days ago; the washout is 14 days/
		);
		await expect(
			correctConmed(c, m.id, {
				name: 'Cipralex',
				ingredient: 'escitalopram',
				start: '2025-01-01',
				stop: '2026-10-01'
			})
		).rejects.toBeInstanceOf(ValidationError); // a saved value changes: a reason is needed
		await correctConmed(c, m.id, {
			name: 'Cipralex',
			ingredient: 'escitalopram',
			start: '2025-01-01',
			stop: '2026-10-01',
			reason: 'Stop date confirmed with the GP'
		});
		expect((await flags()).every((f) => f.status === 'closed' && f.auto_closed === 1)).toBe(true);
		await expect(dose()).resolves.toMatchObject({ initial_dose_mg: 120 });
	});

	it('paracetamol neither flags nor holds; entered in error drops out of the list', async () => {
		const { c, p, dose } = await setup();
		const m = await recordConmed(c, p.id, {
			name: 'Panodil',
			ingredient: 'paracetamol',
			start: '2026-11-01'
		});
		expect(await flags()).toEqual([]);
		expect((await listConmeds(c, p.id))[0]!.warnings).toEqual([]);
		await expect(dose()).resolves.toBeDefined();
		await markConmedEnteredInError(c, m.id, { reason: 'Wrong participant' });
		expect(await listConmeds(c, p.id)).toEqual([]);
	});

	it('only coordinators record medications', async () => {
		const { p } = await setup();
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		await expect(
			recordConmed(inv, p.id, { name: 'Panodil', start: '2026-11-01' })
		).rejects.toBeInstanceOf(ForbiddenError);
	});
});
