import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { stratumAllocationList } from '../../src/lib/domain/randomisation';
import {
	ConflictError,
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { pharmacyList } from '../../src/lib/server/services/trial/pharmacy';
import {
	participantRandomisation,
	randomiseParticipant
} from '../../src/lib/server/services/trial/randomisation';
import { emergencyUnblind } from '../../src/lib/server/services/trial/unblinding';
import { PASSWORD, actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';
import { sql } from 'kysely';

let t: TestDb;
const NOW = () => new Date('2026-11-20T18:00:00Z');
const NO_MAIL = { smtpUrl: undefined, from: 'vigil@test.example' };

freshDbEach((db) => (t = db));

const madrsTotalling = (total: number) =>
	Object.fromEntries(
		Array.from({ length: 10 }, (_, i) => [
			String(i + 1),
			String(Math.floor(total / 10) + (i < total % 10 ? 1 : 0))
		])
	);

/** An enrolled participant at A1 with a baseline MADRS. */
async function withBaseline(c: Awaited<ReturnType<typeof actorFor>>, madrs: number) {
	const p = await enrolledParticipant(t, 'A1', '2026-10-01');
	const bl = (await listVisits(c, p.id)).find((v) => v.visit_code === 'BL')!;
	await recordScaleAdministration(c, p.id, {
		instrument: 'MADRS',
		visitId: String(bl.id),
		administeredAt: '2026-10-20T10:00',
		items: madrsTotalling(madrs)
	});
	return p;
}

const slots = () =>
	t.db.selectFrom('allocation_slot').selectAll().orderBy('stratum').orderBy('sequence').execute();

describe('randomisation', () => {
	it('needs a complete baseline MADRS to choose the stratum', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		const p = await enrolledParticipant(t, 'A1', '2026-10-01');
		const e = await randomiseParticipant(c, p.id).catch((x: unknown) => x);
		expect((e as ValidationError).fieldErrors.baseline![0]).toMatch(/baseline MADRS/);
	});

	it('takes the stratum’s slots in list order, reproducible from the stored seed; once only', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		const severe = [];
		for (let i = 0; i < 6; i++) severe.push(await withBaseline(c, 36));
		const mild = await withBaseline(c, 20);
		const kits = [];
		for (const p of severe) kits.push((await randomiseParticipant(c, p.id)).kit);
		const m = await randomiseParticipant(c, mild.id);
		expect(m.stratum).toBe('A1|MADRS<35');

		const seed = (await t.db.selectFrom('randomisation_seed').selectAll().executeTakeFirstOrThrow())
			.seed;
		expect(seed).toMatch(/^[0-9a-f]{64}$/);
		const expected = stratumAllocationList(
			{
				seed,
				arms: [
					{ code: 'MDMA', ratio: 1 },
					{ code: 'PBO', ratio: 1 }
				],
				blockSizes: [2, 4],
				slotsPerStratum: 40
			},
			'A1|MADRS>=35'
		);
		expect(kits).toEqual(expected.slice(0, 6).map((s) => s.kit));
		const taken = (await slots()).filter(
			(s) => s.participant_id !== null && s.stratum === 'A1|MADRS>=35'
		);
		expect(taken.map((s) => s.participant_id)).toEqual(severe.map((p) => p.id));
		expect(taken.map((s) => s.arm)).toEqual(expected.slice(0, 6).map((s) => s.arm));

		const again = await randomiseParticipant(c, severe[0]!.id).catch((x: unknown) => x);
		expect(again).toBeInstanceOf(ConflictError);
		expect((again as Error).message).toMatch(/randomised once/);
		expect(await participantRandomisation(c, severe[0]!.id)).toMatchObject({
			randomised: true,
			kit: kits[0],
			stratum: 'A1|MADRS>=35'
		});
	});

	it('audits list generation and assignment without the seed or any arm', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		const p = await withBaseline(c, 40);
		await randomiseParticipant(c, p.id);
		const events = await t.db
			.selectFrom('audit_event')
			.selectAll()
			.where(sql.ref<string>('action'), 'like', 'randomisation.%')
			.orderBy('seq')
			.execute();
		expect(events.map((e) => e.action)).toEqual([
			'randomisation.list_generate',
			'randomisation.assign'
		]);
		const list = JSON.parse(events[0]!.new_values!);
		expect(list).toMatchObject({ algorithm: 'permuted-blocks/sfc32-sha256/v1' });
		expect(list.slots).toBeGreaterThanOrEqual(40);
		expect(list.listSha256).toMatch(/^[0-9a-f]{64}$/);
		const seed = (await t.db.selectFrom('randomisation_seed').selectAll().executeTakeFirstOrThrow())
			.seed;
		expect(events.some((e) => (e.new_values ?? '').includes(seed))).toBe(false);
		expect(Object.keys(JSON.parse(events[1]!.new_values!)).sort()).toEqual([
			'algorithm',
			'kit',
			'stratum'
		]);
	});

	it('only a coordinator at the site randomises; not a withdrawn or screening participant', async () => {
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		const cB = await actorFor(t, 'coordinator', ['B1'], NOW);
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		const p = await withBaseline(c, 30);
		await expect(randomiseParticipant(inv, p.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(randomiseParticipant(cB, p.id)).rejects.toBeInstanceOf(NotFoundError);
	});
});

describe('the pharmacist (unblinded) and everyone else (blinded)', () => {
	it('the pharmacist sees arms at their own sites; every other role is refused', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		const p = await withBaseline(c, 36);
		await randomiseParticipant(c, p.id);
		const arm = (await slots()).find((s) => s.participant_id === p.id)!.arm;
		const pharmA = await actorFor(t, 'pharmacist', ['A1'], NOW);
		const pharmB = await actorFor(t, 'pharmacist', ['B1'], NOW);
		expect(await pharmacyList(pharmA, t.studyId)).toEqual([
			expect.objectContaining({ subjectCode: p.subjectCode, armCode: arm })
		]);
		expect(await pharmacyList(pharmB, t.studyId)).toEqual([]);
		for (const role of ['coordinator', 'investigator', 'auditor', 'admin'] as const) {
			const ctx = await actorFor(t, role, role === 'admin' ? [] : ['A1'], NOW);
			await expect(pharmacyList(ctx, t.studyId)).rejects.toBeInstanceOf(ForbiddenError);
		}
	});
});

describe('emergency unblinding', () => {
	async function randomised() {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		const p = await withBaseline(c, 36);
		const r = await randomiseParticipant(c, p.id);
		const arm = (await slots()).find((s) => s.participant_id === p.id)!.arm;
		return { c, p, r, arm };
	}
	const reason = 'Serotonin syndrome suspected; treating physician needs to know exposure.';

	it('investigator only, with reason, confirmation and password; the arm is returned once', async () => {
		const { c, p, r, arm } = await randomised();
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		await expect(
			emergencyUnblind(c, p.id, { reason, confirm: 'on', password: PASSWORD }, NO_MAIL)
		).rejects.toBeInstanceOf(ForbiddenError);
		const missing = await emergencyUnblind(inv, p.id, { reason: 'x' }, NO_MAIL).catch(
			(e: unknown) => e
		);
		expect(Object.keys((missing as ValidationError).fieldErrors).sort()).toEqual([
			'confirm',
			'password',
			'reason'
		]);
		const wrong = await emergencyUnblind(
			inv,
			p.id,
			{ reason, confirm: 'on', password: 'nope' },
			NO_MAIL
		).catch((e: unknown) => e);
		expect((wrong as ValidationError).fieldErrors.password![0]).toMatch(/Nothing was revealed/);
		expect((await participantRandomisation(inv, p.id)).unblindedAt).toBeNull();

		const result = await emergencyUnblind(
			inv,
			p.id,
			{ reason, confirm: 'on', password: PASSWORD },
			NO_MAIL
		);
		expect(result).toMatchObject({ armCode: arm, kit: r.kit, subjectCode: p.subjectCode });
		expect(result.armLabel).toBe(arm === 'MDMA' ? 'MDMA-assisted therapy' : 'Placebo with therapy');
		expect(await participantRandomisation(c, p.id)).toMatchObject({
			unblindedAt: NOW().toISOString(),
			unblindedByName: inv.actor.name,
			unblindReason: reason
		});
		const twice = await emergencyUnblind(
			inv,
			p.id,
			{ reason, confirm: 'on', password: PASSWORD },
			NO_MAIL
		).catch((e: unknown) => e);
		expect((twice as ConflictError).message).toMatch(/already unblinded/);

		const audit = await t.db
			.selectFrom('audit_event')
			.selectAll()
			.where(sql.ref<string>('action'), 'like', 'randomisation.emergency%')
			.orderBy('seq')
			.execute();
		expect(audit.map((a) => a.action)).toEqual([
			'randomisation.emergency_unblind_refused',
			'randomisation.emergency_unblind'
		]);
		expect(audit[1]!.reason).toBe(reason);
		expect(audit[1]!.new_values).not.toMatch(/MDMA|PBO|Placebo/);
	});

	it('an investigator at another site cannot unblind (not found)', async () => {
		const { p } = await randomised();
		const invB = await actorFor(t, 'investigator', ['B1'], NOW);
		await expect(
			emergencyUnblind(invB, p.id, { reason, confirm: 'on', password: PASSWORD }, NO_MAIL)
		).rejects.toBeInstanceOf(NotFoundError);
	});

	it('e-mails the unblinding contact on a real SMTP server, without the arm', async () => {
		const { p } = await randomised();
		const received: string[] = [];
		const server = new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS'],
			onData(stream, _session, done) {
				let text = '';
				stream.on('data', (d: Buffer) => (text += d.toString()));
				stream.on('end', () => {
					received.push(text);
					done();
				});
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const port = (server.server.address() as AddressInfo).port;
		try {
			const inv = await actorFor(t, 'investigator', ['A1'], NOW);
			const result = await emergencyUnblind(
				inv,
				p.id,
				{ reason, confirm: 'on', password: PASSWORD },
				{ smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true`, from: 'vigil@test.example' }
			);
			expect(result.mail).toEqual({ sent: true });
			expect(received).toHaveLength(1);
			expect(received[0]).toMatch(/To: medical\.monitor@example\.org/);
			expect(received[0]).toContain(p.subjectCode);
			expect(received[0]).toContain('Serotonin syndrome suspected');
			expect(received[0]).not.toMatch(/PBO|Placebo with therapy|Arm: /);
			// Sent through the alert mailer, so the notice is in the audit trail like every alert.
			const sentAlerts = await t.db
				.selectFrom('audit_event')
				.select(['entity_id', 'new_values'])
				.where('action', '=', 'alert.sent')
				.execute();
			expect(sentAlerts).toHaveLength(1);
			expect(String(sentAlerts[0]!.entity_id)).toBe(String(p.id));
			expect(sentAlerts[0]!.new_values).toContain('medical.monitor@example.org');
		} finally {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});
