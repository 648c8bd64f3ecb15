// Arms are visible after database lock only (DOMAIN-2.md §8: lock, then unblind): before lock a
// blinded role is refused the allocation through the service, the CLI and the participant's arm;
// after lock each door opens for the reading roles at their own sites, and every read is audited.
// Dose group is the protocol's list, not free text.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/lib/server/cli/main';
import { ForbiddenError, ValidationError } from '../../src/lib/server/runtime/errors';
import { createParticipant } from '../../src/lib/server/services/capture/participants';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { lockStudy } from '../../src/lib/server/services/monitoring/freeze-lock';
import { participantArm, pharmacyList } from '../../src/lib/server/services/trial/pharmacy';
import { randomiseParticipant } from '../../src/lib/server/services/trial/randomisation';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
const NOW = () => new Date('2026-11-20T18:00:00Z');
freshDbEach((db) => (t = db));

type Ctx = Awaited<ReturnType<typeof actorFor>>;

async function randomised(c: Ctx, site: 'A1' | 'B1') {
	const p = await enrolledParticipant(t, site, '2026-10-01');
	const bl = (await listVisits(c, p.id)).find((v) => v.visit_code === 'BL')!;
	await recordScaleAdministration(c, p.id, {
		instrument: 'MADRS',
		visitId: String(bl.id),
		administeredAt: '2026-10-20T10:00',
		items: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [String(k + 1), '4']))
	});
	await randomiseParticipant(c, p.id);
	return p;
}

async function cli(line: string[]) {
	const out: string[] = [];
	const err: string[] = [];
	const code = await runCli(line, {
		out: (l: string) => out.push(l),
		err: (l: string) => err.push(l),
		readStdin: () => Promise.resolve(''),
		open: () => Promise.resolve(t.opened)
	});
	return { code, out, err };
}

describe('arms after lock', () => {
	it('before lock only the pharmacist; after lock every reading role at its sites, the CLI too', async () => {
		const cA = await actorFor(t, 'coordinator', ['A1'], NOW);
		const cB = await actorFor(t, 'coordinator', ['B1'], NOW);
		const a = await randomised(cA, 'A1');
		const b = await randomised(cB, 'B1');
		const study = await t.db
			.selectFrom('study')
			.select('code')
			.where('id', '=', t.studyId)
			.executeTakeFirstOrThrow();
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		const auditor = await actorFor(t, 'auditor', ['A1'], NOW);
		const pharm = await actorFor(t, 'pharmacist', ['A1'], NOW);

		for (const reader of [inv, auditor, cA]) {
			const e = await pharmacyList(reader, t.studyId).catch((x: unknown) => x);
			expect(e).toBeInstanceOf(ForbiddenError);
			expect((e as Error).message).toMatch(/before the study is locked/);
			expect(await participantArm(reader, a.id)).toBeNull();
		}
		expect((await pharmacyList(pharm, t.studyId)).map((r) => r.subjectCode)).toEqual([
			a.subjectCode
		]);
		const refused = await cli(['study', 'allocation', '--study', study.code]);
		expect(refused.code).not.toBe(0);
		expect(refused.out).toEqual([]);
		expect(refused.err.join('\n')).toMatch(/before the study is locked/);

		await lockStudy(await actorFor(t, 'admin', [], NOW), t.studyId, { reason: 'Final analysis' });
		const slot = await t.db
			.selectFrom('allocation_slot')
			.select('arm')
			.where('participant_id', '=', a.id)
			.executeTakeFirstOrThrow();
		for (const reader of [inv, auditor, cA]) {
			const rows = await pharmacyList(reader, t.studyId);
			// Their own site only: B1's participant is not theirs to see.
			expect(rows.map((r) => [r.subjectCode, r.armCode])).toEqual([[a.subjectCode, slot.arm]]);
			expect(await participantArm(reader, a.id)).toMatchObject({ code: slot.arm });
		}
		const listed = await cli(['study', 'allocation', '--study', study.code]);
		expect(listed.code).toBe(0);
		expect(listed.out[0]).toBe('subject,kit,arm_code,arm,randomised_at,unblinded_at');
		expect(
			listed.out
				.slice(1)
				.map((l) => l.split(',')[0])
				.sort()
		).toEqual([a.subjectCode, b.subjectCode].sort());
		const views = await t.db
			.selectFrom('audit_event')
			.select('action')
			.where('action', '=', 'randomisation.allocation_view')
			.execute();
		expect(views.length).toBe(5); // pharmacist once, three readers and the CLI after lock
	});
});

describe('dose group', () => {
	it('is one of the protocol’s dose groups, or a field error that names them', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		const e = await createParticipant(
			c,
			{ studyId: t.studyId, siteId: t.siteA },
			{ subjectCode: 'A1-950', sex: 'F', birthYear: 1980, doseGroup: '100 mg', status: 'screening' }
		).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(ValidationError);
		expect((e as ValidationError).fieldErrors.doseGroup![0]).toMatch(/120 mg, 80 mg/);
		const ok = await createParticipant(
			c,
			{ studyId: t.studyId, siteId: t.siteA },
			{ subjectCode: 'A1-951', sex: 'F', birthYear: 1980, doseGroup: '80 mg', status: 'screening' }
		);
		expect(ok.dose_group).toBe('80 mg');
	});
});
