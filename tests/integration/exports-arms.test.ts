// DM arms in a randomised study: the allocated arm only in an export whose reader may know arms
// (the study locked for analysis; auditors and admins are blinded roles), nothing hinting at it
// before; the dose group is never passed off as the arm. CSV and the bundle's DM alike.
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { exportDomainCsv } from '../../src/lib/server/services/audit/exports';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { lockStudy } from '../../src/lib/server/services/monitoring/freeze-lock';
import { randomiseParticipant } from '../../src/lib/server/services/trial/randomisation';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
const NOW = () => new Date('2026-11-20T18:00:00Z');
freshDbEach((db) => (t = db));

async function dm(reader: Parameters<typeof exportDomainCsv>[0]) {
	const file = await exportDomainCsv(reader, 'DM', {});
	return parse(await new Response(file.stream).text(), { columns: true }) as Array<
		Record<string, string>
	>;
}

const ARM_COLUMNS = ['ARMCD', 'ARM', 'ACTARMCD', 'ACTARM', 'ARMNRS'];
const armsOfRow = (r: Record<string, string>) => ARM_COLUMNS.map((c) => r[c]);

describe('DM arms in a randomised study', () => {
	it('are concealed until the study is locked, then the allocated arms', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		const randomised: Array<{ id: number; subjectCode: string }> = [];
		for (let i = 0; i < 4; i++) {
			const p = await enrolledParticipant(t, 'A1', '2026-10-01');
			const bl = (await listVisits(c, p.id)).find((v) => v.visit_code === 'BL')!;
			await recordScaleAdministration(c, p.id, {
				instrument: 'MADRS',
				visitId: String(bl.id),
				administeredAt: '2026-10-20T10:00',
				items: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [String(k + 1), '4']))
			});
			await randomiseParticipant(c, p.id);
			randomised.push(p);
		}
		const waiting = await enrolledParticipant(t, 'A1', '2026-10-01'); // enrolled, not randomised
		const slots = await t.db
			.selectFrom('allocation_slot')
			.select(['participant_id', 'arm'])
			.where('participant_id', 'is not', null)
			.execute();
		const armOf = new Map(slots.map((s) => [s.participant_id!, s.arm]));
		expect(new Set(armOf.values())).toEqual(new Set(['MDMA', 'PBO']));

		const auditor = await actorFor(t, 'auditor', ['A1'], NOW);
		const admin = await actorFor(t, 'admin', [], NOW);
		const bySubject = (rows: Array<Record<string, string>>, code: string) =>
			rows.find((r) => r.SUBJID === code)!;

		for (const reader of [auditor, admin]) {
			const rows = await dm(reader);
			// Every randomised row looks the same whatever its arm: nothing to infer from.
			for (const p of randomised) {
				expect(armsOfRow(bySubject(rows, p.subjectCode))).toEqual(['', '', '', '', '']);
			}
			expect(armsOfRow(bySubject(rows, waiting.subjectCode))).toEqual([
				'',
				'',
				'',
				'',
				'NOT ASSIGNED'
			]);
		}

		await lockStudy(admin, t.studyId, { reason: 'database lock for analysis' });
		const labels: Record<string, string> = {
			MDMA: 'MDMA-assisted therapy',
			PBO: 'Placebo with therapy'
		};
		for (const reader of [auditor, admin]) {
			const rows = await dm(reader);
			for (const p of randomised) {
				const arm = armOf.get(p.id)!;
				// Randomised, not dosed: the planned arm, and why the actual arm is null.
				expect(armsOfRow(bySubject(rows, p.subjectCode))).toEqual([
					arm,
					labels[arm],
					'',
					'',
					'ASSIGNED, NOT TREATED'
				]);
			}
			expect(bySubject(rows, waiting.subjectCode).ARMNRS).toBe('NOT ASSIGNED');
		}
	});
});
