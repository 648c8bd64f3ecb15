// A write to a dosing session reads its session, participant, site, protocol, lock, freeze and
// signature state in one statement (repositories/session-write.ts). It must read exactly what the
// separate reads give, and a save must still void a standing signature (and only then update).
import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { findDosingSession } from '../../src/lib/server/repositories/dosing-sessions';
import { findParticipant } from '../../src/lib/server/repositories/participants';
import { findSessionForWrite } from '../../src/lib/server/repositories/session-write';
import { signedAuditHead } from '../../src/lib/server/repositories/audit';
import { appendAudit } from '../../src/lib/server/audit/log';
import { writeTransaction } from '../../src/lib/server/db/transaction';
import { verifyAuditChain } from '../../src/lib/server/services/audit/audit';
import { loadSessionForWrite } from '../../src/lib/server/services/capture/dosing-sessions';
import { findSiteById } from '../../src/lib/server/repositories/sites';
import { ConflictError } from '../../src/lib/server/runtime/errors';
import { updateDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import { freezeCasebook, lockStudy } from '../../src/lib/server/services/monitoring/freeze-lock';
import { activeProtocol } from '../../src/lib/server/services/protocol/studies';
import { signaturesFor, signRecord } from '../../src/lib/server/services/signatures/signatures';
import { actorFor, freshDbEach, PASSWORD, runningSession, type TestDb } from '../helpers/db';

let t: TestDb;
const NOW = '2026-11-20T15:00:00.000Z';
const now = () => new Date(NOW);

freshDbEach((db) => (t = db));

const recheck = (takenAt: string) => ({
	timepoint: 'unscheduled',
	takenAt,
	systolic: 124,
	diastolic: 80,
	heartRate: 72
});

/** Counts the UPDATEs of the signature table, by watching the queries Kysely runs. */
function signatureUpdates(): { plugin: KyselyPlugin; count: () => number } {
	let n = 0;
	type Table = { table?: { table?: { identifier: { name: string } } } };
	const plugin: KyselyPlugin = {
		transformQuery({ node }) {
			const name = (node as Table).table?.table?.identifier.name;
			if (node.kind === 'UpdateQueryNode' && name === 'signature') n++;
			return node;
		},
		async transformResult({ result }) {
			return result;
		}
	};
	return { plugin, count: () => n };
}

/** Counts the statements that read audit_head itself (not the session read that joins it). */
function headReads(): { plugin: KyselyPlugin; count: () => number } {
	let n = 0;
	type From = { from?: { froms: Array<{ table?: { identifier: { name: string } } }> } };
	const plugin: KyselyPlugin = {
		transformQuery({ node }) {
			const first = (node as From).from?.froms[0];
			if (node.kind === 'SelectQueryNode' && first?.table?.identifier.name === 'audit_head') n++;
			return node;
		},
		async transformResult({ result }) {
			return result;
		}
	};
	return { plugin, count: () => n };
}

/** A session ended at 15:30 in Oslo with one reading, and an investigator who may sign it. */
async function endedSession() {
	const { coordinator: c, session: s } = await runningSession(t, { now });
	await recordVitals(c, s.id, { ...recheck('09:30'), timepoint: -30 });
	await updateDosingSession(c, s.id, { endedAt: '2026-11-20T15:30' });
	const inv = await actorFor(t, 'investigator', ['A1'], now);
	return { c, s, inv };
}

const sign = (inv: Awaited<ReturnType<typeof endedSession>>['inv'], sessionId: number) =>
	signRecord(inv, {
		entityType: 'dosing_session',
		entityId: sessionId,
		meaning: 'reviewed',
		userId: inv.actor.kind === 'user' ? inv.actor.email : '',
		password: PASSWORD
	});

describe('the one read before a session write', () => {
	it('gives the rows the separate reads give, with their keys in the same order', async () => {
		const { s } = await endedSession();
		const found = (await findSessionForWrite(t.db, s.id))!;
		const session = (await findDosingSession(t.db, s.id))!;
		const participant = (await findParticipant(t.db, session.participant_id))!;
		const site = (await findSiteById(t.db, session.site_id))!;
		for (const [one, separate] of [
			[found.session, session],
			[found.participant, participant],
			[found.site, site]
		] as const) {
			expect(one).toEqual(separate);
			expect(Object.keys(one)).toEqual(Object.keys(separate));
		}
		const active = await activeProtocol(t.db, participant.study_id);
		expect(found.protocol?.id).toBe(active.protocolVersionId);
		expect({ locked: found.locked, frozen: found.frozen, signed: found.signed }).toEqual({
			locked: false,
			frozen: false,
			signed: false
		});
		expect(await findSessionForWrite(t.db, s.id + 1000)).toBeUndefined();
	});

	it('sees a standing signature, a frozen casebook and a locked study', async () => {
		const { s, inv } = await endedSession();
		await sign(inv, s.id);
		expect((await findSessionForWrite(t.db, s.id))!.signed).toBe(true);
		await freezeCasebook(inv, s.participant_id, { reason: 'Ready for database lock' });
		expect((await findSessionForWrite(t.db, s.id))!).toMatchObject({
			frozen: true,
			locked: false
		});
		await lockStudy(await actorFor(t, 'admin', [], now), t.studyId, { reason: 'Final analysis' });
		expect((await findSessionForWrite(t.db, s.id))!).toMatchObject({ frozen: true, locked: true });
	});

	it('refuses a save into a locked study, as before', async () => {
		const { c, s } = await endedSession();
		await lockStudy(await actorFor(t, 'admin', [], now), t.studyId, { reason: 'Final analysis' });
		await expect(recordVitals(c, s.id, recheck('14:00'))).rejects.toBeInstanceOf(ConflictError);
	});
});

describe('the chain head read with the session', () => {
	it('is the stored head, and a save chains from it with no read of its own', async () => {
		const { c, s } = await endedSession();
		const stored = (await signedAuditHead(t.db))!;
		expect((await findSessionForWrite(t.db, s.id))!.head).toEqual({
			seq: stored.seq,
			hash: stored.hash
		});
		const watch = headReads();
		await recordVitals({ ...c, db: t.db.withPlugin(watch.plugin) }, s.id, recheck('14:00'));
		expect(watch.count()).toBe(0);
		expect((await signedAuditHead(t.db))!.seq).toBeGreaterThan(stored.seq);
		const report = await verifyAuditChain(t.system);
		expect(report).toMatchObject({ ok: true, problem: null });
	});

	it('gives way to the head an earlier append of the same transaction has moved', async () => {
		const { c, s } = await endedSession();
		// A site renamed twice in one transaction, the session read in between (as a write that
		// renames and then saves would), each rename audited as the data changes.
		const rename = async (
			trx: Parameters<Parameters<typeof writeTransaction>[1]>[0],
			n: number
		) => {
			const before = (await trx
				.selectFrom('site')
				.select('name')
				.where('id', '=', t.siteA)
				.executeTakeFirstOrThrow())!.name;
			await trx
				.updateTable('site')
				.set({ name: `Site A ${n}` })
				.where('id', '=', t.siteA)
				.execute();
			await appendAudit(trx, c, {
				action: 'site.update',
				entityType: 'site',
				entityId: t.siteA,
				siteId: t.siteA,
				oldValues: { name: before },
				newValues: { name: `Site A ${n}` }
			});
		};
		await writeTransaction(t.db, async (trx) => {
			await rename(trx, 1);
			// The session read now names a head this transaction has already moved past.
			await loadSessionForWrite(c, trx, s.id);
			await rename(trx, 2);
		});
		const report = await verifyAuditChain(t.system);
		expect(report).toMatchObject({ ok: true, problem: null });
	});
});

describe('a save and the session signature', () => {
	it('voids a standing signature when a reading is added', async () => {
		const { c, s, inv } = await endedSession();
		await sign(inv, s.id);
		const watch = signatureUpdates();
		await recordVitals({ ...c, db: t.db.withPlugin(watch.plugin) }, s.id, recheck('14:00'));
		expect(watch.count()).toBe(1);
		const [sig] = await signaturesFor(t.db, 'dosing_session', s.id);
		expect(sig).toMatchObject({ status: 'void', voidedAt: NOW });
	});

	it('runs no signature update when none stands', async () => {
		const { c, s } = await endedSession();
		const watch = signatureUpdates();
		await recordVitals({ ...c, db: t.db.withPlugin(watch.plugin) }, s.id, recheck('14:00'));
		expect(watch.count()).toBe(0);
	});
});
