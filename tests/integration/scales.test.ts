import { describe, expect, it } from 'vitest';
import {
	ConflictError,
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import {
	correctScaleAdministration,
	getScaleAdministration,
	listScaleAdministrations,
	markScaleEnteredInError,
	recordScaleAdministration,
	scaleSeries
} from '../../src/lib/server/services/capture/scales';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
freshDbEach((db) => (t = db));

const NOW = () => new Date('2027-06-01T12:00:00Z');

/** MADRS answers '1'…'10' from a list of scores; undefined leaves an item out. */
const madrs = (scores: Array<number | string | undefined>) =>
	Object.fromEntries(scores.map((s, i) => [String(i + 1), s ?? '']));
/** Ten items that add up to `total` (at most 60). */
const madrsTotalling = (total: number) =>
	madrs(Array.from({ length: 10 }, (_, i) => Math.floor(total / 10) + (i < total % 10 ? 1 : 0)));

async function setup() {
	const c = await actorFor(t, 'coordinator', ['A1'], NOW);
	const p = await enrolledParticipant(t, 'A1', '2026-09-01');
	const visits = await listVisits(c, p.id);
	const visit = (code: string) => visits.find((v) => v.visit_code === code)!;
	return { c, p, visit };
}

const scaleRows = () => t.db.selectFrom('scale_administration').selectAll().execute();
const scaleAudit = () =>
	t.db
		.selectFrom('audit_event')
		.selectAll()
		.where('entity_type', '=', 'scale_administration')
		.orderBy('seq')
		.execute();

async function errorOf(work: Promise<unknown>): Promise<ValidationError> {
	const e = await work.catch((x: unknown) => x);
	expect(e).toBeInstanceOf(ValidationError);
	return e as ValidationError;
}

describe('recording an administration', () => {
	it('stores a complete MADRS with its total and band, in UTC from site time', async () => {
		const { c, p, visit } = await setup();
		const view = await recordScaleAdministration(c, p.id, {
			instrument: 'MADRS',
			visitId: String(visit('BL').id),
			administeredAt: '2026-10-01T14:30',
			items: madrs([3, 3, 3, 3, 3, 3, 3, 3, 3, 5])
		});
		expect(view).toMatchObject({
			total: 32,
			band: 'Moderate',
			complete: true,
			visitCode: 'BL',
			instrumentLabel: 'MADRS',
			suicidalityItemScore: 5,
			notScheduled: false,
			administeredAt: '2026-10-01T12:30:00.000Z'
		});
		const [row] = await scaleRows();
		expect(row).toMatchObject({ total: 32, band: 'Moderate', complete: 1, site_id: t.siteA });
		expect((await scaleAudit()).map((e) => e.action)).toEqual(['scale.create']);
	});

	it('a partial form without "incomplete" names each missing item and writes nothing', async () => {
		const { c, p } = await setup();
		const e = await errorOf(
			recordScaleAdministration(c, p.id, {
				instrument: 'MADRS',
				administeredAt: '2026-10-01T14:30',
				items: madrs([1, 1, 9, 1, 1, 1, 1, 1])
			})
		);
		// The unreadable item and the unanswered ones, all in one round.
		expect(Object.keys(e.fieldErrors).sort()).toEqual(['items.10', 'items.3', 'items.9']);
		expect(e.fieldErrors['items.3']![0]).toContain('from 0 to 6');
		expect(e.fieldErrors['items.9']![0]).toContain('Item 9');
		expect(await scaleRows()).toEqual([]);
		expect(await scaleAudit()).toEqual([]);
	});

	it('saves a partial form marked incomplete, with no total', async () => {
		const { c, p } = await setup();
		const view = await recordScaleAdministration(c, p.id, {
			instrument: 'MADRS',
			administeredAt: '2026-10-01T14:30',
			incomplete: 'on',
			items: madrs([1, 1, 1, 1, 1, 1, 1, 1])
		});
		expect(view).toMatchObject({ complete: false, total: null, band: null });
		expect(view.missingItems).toEqual(['9', '10']);
		expect((await scaleRows())[0]).toMatchObject({ complete: 0, total: null });
	});

	it('refuses out-of-range answers, another participant\u2019s visit and future times', async () => {
		const { c, p } = await setup();
		const other = await enrolledParticipant(t, 'A1');
		const otherVisit = (await listVisits(c, other.id))[0]!;
		const e = await errorOf(
			recordScaleAdministration(c, p.id, {
				instrument: 'MADRS',
				visitId: otherVisit.id,
				administeredAt: '2027-06-02T10:00',
				items: madrs([7, 1, 1, 1, 1, 1, 1, 1, 1, 1])
			})
		);
		expect(e.fieldErrors['items.1']).toEqual(['Item 1 must be a whole number from 0 to 6.']);
		expect(e.fieldErrors.administeredAt?.[0]).toContain('not come yet');
		const v = await errorOf(
			recordScaleAdministration(c, p.id, {
				instrument: 'MADRS',
				visitId: otherVisit.id,
				administeredAt: '2026-10-01T10:00',
				items: madrsTotalling(10)
			})
		);
		expect(Object.keys(v.fieldErrors)).toEqual(['visitId']);
		expect(await scaleRows()).toEqual([]);
	});

	it('marks an instrument the protocol does not give at that visit, but keeps it', async () => {
		const { c, p, visit } = await setup();
		const view = await recordScaleAdministration(c, p.id, {
			instrument: 'BDI2',
			visitId: visit('DS1').id,
			administeredAt: '2026-10-20T08:00',
			items: {
				...Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`${i + 1}`, 1])),
				16: '2a'
			}
		});
		expect(view).toMatchObject({ notScheduled: true, total: 22, band: 'Moderate' });
		expect(view.answers['16']).toBe('2a');
	});

	it('scores QIDS domains, HAM-D item 16 parts and C-SSRS categories', async () => {
		const { c, p } = await setup();
		const at = '2026-10-01T09:00';
		const qids = Object.fromEntries(
			Array.from({ length: 16 }, (_, i) => [`${i + 1}`, i < 4 ? i : 1])
		);
		const q = await recordScaleAdministration(c, p.id, {
			instrument: 'QIDSSR16',
			administeredAt: at,
			items: qids
		});
		expect(q.domains?.find((d) => d.key === 'sleep')?.score).toBe(3);
		const h = await recordScaleAdministration(c, p.id, {
			instrument: 'HAMD17',
			administeredAt: at,
			items: {
				...Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`${i + 1}`, 1])),
				16: 'B3'
			}
		});
		expect(h.total).toBe(16);
		const s = await recordScaleAdministration(c, p.id, {
			instrument: 'CSSRS',
			administeredAt: at,
			items: {
				1: 'yes',
				2: 'yes',
				3: 'no',
				4: 'yes',
				5: 'no',
				actualAttempt: 'no',
				interruptedAttempt: 'no',
				abortedAttempt: 'no',
				preparatoryActs: 'no',
				nonSuicidalSelfInjury: 'no'
			}
		});
		expect(s.cssrs).toMatchObject({ summary: 'suicidal ideation', maxIdeationType: 4 });
		const e = await errorOf(
			recordScaleAdministration(c, p.id, {
				instrument: 'CSSRS',
				administeredAt: at,
				items: { 1: 'no', 2: 'no' }
			})
		);
		expect(e.fieldErrors['items.actualAttempt']?.[0]).toContain('Actual attempt');
	});
});

describe('who may read and write', () => {
	it('coordinators write at their own sites; readers read their own sites; no site sees nothing', async () => {
		const { c, p } = await setup();
		const input = {
			instrument: 'MADRS',
			administeredAt: '2026-10-01T10:00',
			items: madrsTotalling(20)
		};
		const saved = await recordScaleAdministration(c, p.id, input);
		for (const role of ['coordinator', 'investigator', 'auditor'] as const) {
			const own = await actorFor(t, role, ['A1'], NOW);
			const other = await actorFor(t, role, ['B1'], NOW);
			const none = await actorFor(t, role, [], NOW);
			expect((await getScaleAdministration(own, saved.id)).total).toBe(20);
			expect(await listScaleAdministrations(own, p.id)).toHaveLength(1);
			for (const outsider of [other, none]) {
				await expect(getScaleAdministration(outsider, saved.id)).rejects.toBeInstanceOf(
					NotFoundError
				);
				await expect(listScaleAdministrations(outsider, p.id)).rejects.toBeInstanceOf(
					NotFoundError
				);
				await expect(recordScaleAdministration(outsider, p.id, input)).rejects.toBeInstanceOf(
					NotFoundError
				);
				await expect(
					markScaleEnteredInError(outsider, saved.id, { reason: 'wrong person' })
				).rejects.toBeInstanceOf(NotFoundError);
			}
			if (role !== 'coordinator') {
				await expect(recordScaleAdministration(own, p.id, input)).rejects.toBeInstanceOf(
					ForbiddenError
				);
				await expect(
					correctScaleAdministration(own, saved.id, { ...input, reason: 'typo fixed' })
				).rejects.toBeInstanceOf(ForbiddenError);
			}
		}
		const admin = await actorFor(t, 'admin', [], NOW);
		expect((await getScaleAdministration(admin, saved.id)).id).toBe(saved.id);
		await expect(recordScaleAdministration(admin, p.id, input)).rejects.toBeInstanceOf(
			ForbiddenError
		);
		expect(await scaleRows()).toHaveLength(1);
	});
});

describe('corrections and entered in error', () => {
	it('a changed saved answer needs a reason; only changed items are audited; rescored', async () => {
		const { c, p } = await setup();
		const base = { instrument: 'MADRS', administeredAt: '2026-10-01T10:00' };
		const saved = await recordScaleAdministration(c, p.id, {
			...base,
			items: madrs([2, 2, 2, 2, 2, 2, 2, 2, 2, 2])
		});
		const changed = { ...base, items: madrs([2, 2, 4, 2, 2, 2, 2, 2, 2, 2]) };
		const e = await errorOf(correctScaleAdministration(c, saved.id, changed));
		expect(Object.keys(e.fieldErrors)).toEqual(['reason']);
		const after = await correctScaleAdministration(c, saved.id, {
			...changed,
			reason: 'item 3 misread',
			version: '1'
		});
		expect(after).toMatchObject({ total: 22, band: 'Moderate', version: 2 });
		const trail = (await scaleAudit()).at(-1)!;
		expect(trail.action).toBe('scale.update');
		expect(trail.reason).toBe('item 3 misread');
		expect(JSON.parse(trail.old_values!)).toEqual({ answers: { 3: 2 }, total: 20 });
		expect(JSON.parse(trail.new_values!)).toEqual({ answers: { 3: 4 }, total: 22 });
		// Sending the same answers again changes nothing and writes nothing.
		await correctScaleAdministration(c, saved.id, changed);
		expect(await scaleAudit()).toHaveLength(2);
		// A form opened before that correction is refused rather than overwriting it.
		await expect(
			correctScaleAdministration(c, saved.id, { ...changed, version: 1, reason: 'again' })
		).rejects.toBeInstanceOf(ConflictError);
	});

	it('answering the items an incomplete form left empty needs no reason', async () => {
		const { c, p } = await setup();
		const base = { instrument: 'MADRS', administeredAt: '2026-10-01T10:00' };
		const saved = await recordScaleAdministration(c, p.id, {
			...base,
			incomplete: true,
			items: madrs([1, 1, 1, 1, 1, 1, 1, 1])
		});
		const done = await correctScaleAdministration(c, saved.id, {
			...base,
			items: madrs([1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
		});
		expect(done).toMatchObject({ complete: true, total: 10, band: 'Mild' });
		expect((await scaleAudit()).at(-1)!.reason).toBeNull();
	});

	it('entered in error leaves the list and the series, and the trail keeps both events', async () => {
		const { c, p } = await setup();
		const saved = await recordScaleAdministration(c, p.id, {
			instrument: 'MADRS',
			administeredAt: '2026-10-01T10:00',
			items: madrsTotalling(20)
		});
		await errorOf(markScaleEnteredInError(c, saved.id, { reason: '' }));
		const marked = await markScaleEnteredInError(c, saved.id, { reason: 'wrong participant' });
		expect(marked.enteredInError?.reason).toBe('wrong participant');
		expect(await listScaleAdministrations(c, p.id)).toEqual([]);
		expect(await listScaleAdministrations(c, p.id, { includeEnteredInError: true })).toHaveLength(
			1
		);
		expect((await scaleSeries(c, p.id, 'MADRS')).points).toEqual([]);
		expect((await getScaleAdministration(c, saved.id)).enteredInError).not.toBeNull();
		expect((await scaleAudit()).map((e) => e.action)).toEqual([
			'scale.create',
			'scale.entered_in_error'
		]);
		await expect(
			correctScaleAdministration(c, saved.id, { items: madrsTotalling(10), reason: 'fix' })
		).rejects.toBeInstanceOf(ConflictError);
	});
});

describe('scaleSeries', () => {
	async function series(withSession: boolean) {
		const { c, p, visit } = await setup();
		const record = (administeredAt: string, total: number) =>
			recordScaleAdministration(c, p.id, {
				instrument: 'MADRS',
				administeredAt,
				items: madrsTotalling(total)
			});
		const ds1 = visit('DS1').planned_on!;
		await record('2026-09-01T10:00', 30);
		await record('2026-09-22T10:00', 28);
		// Given on the dosing day: before T0 it is the baseline; without a session it is not.
		await record(`${ds1}T07:00`, 26);
		if (withSession) {
			await t.db
				.insertInto('dosing_session')
				.values({
					participant_id: p.id,
					site_id: t.siteA,
					visit_id: visit('DS1').id,
					session_number: 1,
					t0: `${ds1}T07:00:00.000Z`,
					initial_dose_mg: 120,
					created_at: NOW().toISOString(),
					created_by: null
				})
				.execute();
		}
		await record('2026-11-01T10:00', 14);
		await record('2026-11-20T10:00', 15);
		await record('2026-12-20T10:00', 10);
		return scaleSeries(c, p.id, 'MADRS');
	}

	it('measures change from the last total before the first dosing visit, response at 50 %', async () => {
		const s = await series(false);
		expect(s.baseline).toBe(28);
		expect(s.points.map((x) => x.percentChange)).toEqual([
			null,
			null,
			expect.closeTo(-7.14, 2),
			-50,
			expect.closeTo(-46.43, 2),
			expect.closeTo(-64.29, 2)
		]);
		expect(s.points.map((x) => x.response)).toEqual([null, null, false, true, false, true]);
		expect(s.points.map((x) => x.remission)).toEqual([false, false, false, false, false, true]);
		expect(s.points[0]).toMatchObject({ visitCode: null, complete: true, total: 30 });
	});

	it('uses the first dosing session T0 when one is recorded', async () => {
		const s = await series(true);
		expect(s.baseline).toBe(26);
		expect(s.points[3]).toMatchObject({ total: 14, response: false });
		expect(s.points[5]).toMatchObject({ total: 10, response: true, remission: true });
	});

	it('refuses C-SSRS, which has no total', async () => {
		const { c, p } = await setup();
		await errorOf(scaleSeries(c, p.id, 'CSSRS'));
	});
});
