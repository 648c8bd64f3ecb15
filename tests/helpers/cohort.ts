// Participants with MADRS totals for the cohort's tests: enrolled at a site, totals recorded at
// visits before and after a first dose on 2026-10-20 10:00 site time.
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { createParticipant } from '../../src/lib/server/services/capture/participants';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { actorFor, type TestDb } from './db';

/** Ten MADRS items adding up to `total`. */
export const madrs = (total: number) =>
	Object.fromEntries(
		Array.from({ length: 10 }, (_, i) => [
			String(i + 1),
			Math.floor(total / 10) + (i < total % 10 ? 1 : 0)
		])
	);

let seq = 0;
/**
 * Enrols a participant, records MADRS totals at visits (before or after a first dose on
 * 2026-10-20 10:00 site time when `dosed`), and returns their id, their coordinator and a way to
 * record more totals.
 */
export async function cohortParticipant(
	t: TestDb,
	site: 'A1' | 'B1',
	totals: Record<string, number>,
	o: { dosed?: boolean; doseGroup?: string; now: () => Date }
) {
	seq += 1;
	const c = await actorFor(t, 'coordinator', [site], o.now);
	const p = await createParticipant(
		c,
		{ studyId: t.studyId, siteId: site === 'A1' ? t.siteA : t.siteB },
		{
			subjectCode: `${site}-${String(seq).padStart(3, '0')}`,
			sex: 'F',
			birthYear: 1980,
			doseGroup: o.doseGroup ?? '120 mg',
			status: 'enrolled',
			enrolledOn: '2026-09-01'
		}
	);
	const visits = await listVisits(c, p.id);
	const visit = (code: string) => visits.find((v) => v.visit_code === code)!.id;
	const when: Record<string, string> = {
		SCR: '2026-09-02T10:00',
		BL: '2026-10-01T10:00',
		FU1M: '2026-11-25T10:00',
		FU6M: '2027-04-20T10:00',
		FU12M: '2027-10-20T10:00'
	};
	const record = (code: string, total: number, at = when[code]!) =>
		recordScaleAdministration(c, p.id, {
			instrument: 'MADRS',
			visitId: String(visit(code)),
			administeredAt: at,
			items: madrs(total)
		});
	for (const code of ['SCR', 'BL']) {
		if (totals[code] !== undefined) await record(code, totals[code]);
	}
	if (o.dosed !== false) {
		await startDosingSession(c, p.id, {
			visitId: visit('DS1'),
			t0: '2026-10-20T10:00',
			initialDoseMg: 120,
			deviationReason: 'test set-up'
		});
	}
	for (const code of ['FU1M', 'FU6M', 'FU12M']) {
		if (totals[code] !== undefined) await record(code, totals[code]);
	}
	return { id: p.id, coordinator: c, record };
}
