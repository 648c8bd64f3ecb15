// The review board's live channel: the flag fingerprint, and the Server-Sent Events handler called
// as SvelteKit would call it, on the running app's (in-memory) database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceContext, type UserActor } from '../../src/lib/server/runtime/context';
import { flagsFingerprint } from '../../src/lib/server/repositories/flags';
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { acknowledgeFlag, listFlags } from '../../src/lib/server/services/safety/flags';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import { _reviewEvents } from '../../src/routes/review/events/+server';
import { generateSessionToken, sessionIdFromToken } from '../../src/lib/server/auth/token';
import { signOut } from '../../src/lib/server/services/people/auth';
import { disableUser } from '../../src/lib/server/services/people/users';
import { actorFor, enrolledParticipant, type TestDb } from '../helpers/db';
import { startedApp } from '../helpers/app';
import { inlineReads } from '../../src/lib/server/reads/executor';
import { receiveChangeNotice } from '../../src/lib/server/services/safety/flag-events';
import { watchFlags } from '../../src/lib/server/services/safety/flag-watch';

let t: TestDb;
// Flags stamp changed_at from the context's clock: each step moves it on, as real time would.
let clock = Date.parse('2026-11-20T09:31:00Z');
const now = () => new Date((clock += 1_000));

beforeAll(async () => {
	t = await startedApp();
});
afterAll(async () => {
	await t.db.destroy();
});

/** Site-local wall times of a session with T0 at 09:00Z (Oslo +1 h, New York −5 h in November). */
const LOCAL = {
	A1: { t0: '2026-11-20T10:00', baseline: '09:30', post: '10:30' },
	B1: { t0: '2026-11-20T04:00', baseline: '03:30', post: '04:30' }
};

/** A coordinator at the site starts a session and saves a reading of 172/95: flags are raised. */
async function raiseFlagAt(site: 'A1' | 'B1'): Promise<ServiceContext> {
	const c = await actorFor(t, 'coordinator', [site], now);
	const p = await enrolledParticipant(t, site, '2026-10-01');
	const dosing = (await listVisits(c, p.id)).find((v) => v.kind === 'dosing')!;
	const local = LOCAL[site];
	const s = await startDosingSession(c, p.id, {
		visitId: dosing.id,
		t0: local.t0,
		initialDoseMg: 120,
		deviationReason: 'test set-up'
	});
	await recordVitals(c, s.id, {
		timepoint: -30,
		takenAt: local.baseline,
		systolic: 122,
		diastolic: 80
	});
	await recordVitals(c, s.id, { timepoint: 30, takenAt: local.post, systolic: 172, diastolic: 95 });
	return c;
}

describe('the flag fingerprint', () => {
	it('changes when a flag is raised or acknowledged at the site, not for another site', async () => {
		const [a0, b0] = [
			await flagsFingerprint(t.db, [t.siteA]),
			await flagsFingerprint(t.db, [t.siteB])
		];
		const c = await raiseFlagAt('A1');
		const a1 = await flagsFingerprint(t.db, [t.siteA]);
		expect(a1).not.toBe(a0);
		expect(await flagsFingerprint(t.db, [t.siteB])).toBe(b0);

		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const [flag] = await listFlags(c, { open: true });
		await acknowledgeFlag(inv, flag!.id);
		expect(await flagsFingerprint(t.db, [t.siteA])).not.toBe(a1);
		expect(await flagsFingerprint(t.db, [t.siteB])).toBe(b0);
	});
});

describe('the boards’ fingerprint reads', () => {
	it('boards at the same sites asking at once share one read on the read handle; an ask after a flag notice never shares one begun before it', async () => {
		let reads = 0;
		const counted = t.db.withPlugin({
			transformQuery: (a) => {
				if (a.node.kind === 'SelectQueryNode') reads += 1;
				return a.node;
			},
			transformResult: async (a) => a.result
		});
		const inv = {
			...(await actorFor(t, 'investigator', ['A1'], now)),
			reads: inlineReads(counted)
		};
		const otherSite = { ...(await actorFor(t, 'investigator', ['B1'], now)), reads: inv.reads };
		const boards = await Promise.all([...Array(10)].map(() => watchFlags(inv)));
		const other = await watchFlags(otherSite);

		reads = 0;
		const seen = await Promise.all([...boards.map((b) => b.fingerprint()), other.fingerprint()]);
		expect(reads).toBe(2); // one for the ten boards at A1, one for B1
		expect(new Set(seen.slice(0, 10)).size).toBe(1);
		expect(seen[10]).toBe(await flagsFingerprint(t.db, [t.siteB]));
		expect(seen[0]).toBe(await flagsFingerprint(t.db, [t.siteA]));

		reads = 0;
		const before = boards[0]!.fingerprint();
		receiveChangeNotice(t.siteA);
		const after = boards[1]!.fingerprint();
		await Promise.all([before, after]);
		expect(reads).toBe(2);

		// Once settled nothing is kept: the next poll reads again.
		reads = 0;
		await boards[2]!.fingerprint();
		expect(reads).toBe(1);
	});
});

/**
 * Reads the event stream without waiting on the clock: `next()` takes the next `event: flags`
 * already sent, or null when none has been. Every event a save or a poll sends is enqueued before
 * the save (or `poll()`) returns, and a chunk already enqueued is read within a few microtasks, so
 * a turn of the event loop (setImmediate) is long enough to know that nothing more has come.
 */
function eventReader(body: ReadableStream<Uint8Array>) {
	const reader = body.getReader();
	const decoder = new TextDecoder();
	let text = '';
	let pending: ReturnType<typeof reader.read> | null = null;
	let done = false;
	const turn = () => new Promise<'empty'>((r) => setImmediate(() => r('empty')));
	async function next(): Promise<string | null> {
		while (!done) {
			const at = text.indexOf('event: flags\n');
			if (at >= 0) {
				const end = text.indexOf('\n\n', at);
				const event = text.slice(at, end);
				text = text.slice(end + 2);
				return event;
			}
			pending ??= reader.read();
			const result = await Promise.race([pending, turn()]);
			if (result === 'empty') return null;
			pending = null;
			if (result.done) done = true;
			else text += decoder.decode(result.value, { stream: true });
		}
		return null;
	}
	return { next, seen: () => text, isDone: () => done };
}

async function openStream(user: UserActor | null, sessionToken?: string) {
	const abort = new AbortController();
	const request = new Request('http://localhost/review/events', { signal: abort.signal });
	const cookies = { get: (name: string) => (name === 'vigil_session' ? sessionToken : undefined) };
	const event = {
		locals: { user, requestId: 'req-sse', mustChangePassword: false },
		request,
		cookies
	};
	// The fingerprint poll is run by hand: `poll()` settles once that poll's check is done.
	let tick: (() => Promise<void>) | undefined;
	const response = await _reviewEvents(
		event as unknown as Parameters<typeof _reviewEvents>[0],
		(fn) => {
			tick = fn;
			return () => (tick = undefined);
		}
	);
	const poll = async () => {
		if (!tick) throw new Error('the stream is not polling');
		await tick();
	};
	return { response, abort, poll };
}

describe('the review events stream', () => {
	it('refuses a caller who is not signed in', async () => {
		const { response } = await openStream(null);
		expect(response.status).toBe(401);
	});

	it("sends an event for a flag at the user's site, none for another site, and stops on abort", async () => {
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const { response, abort, poll } = await openStream(inv.actor);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('text/event-stream');
		const events = eventReader(response.body!);
		await poll();
		expect(await events.next()).toBeNull();
		expect(events.seen()).toContain('retry:');

		await raiseFlagAt('B1');
		await poll();
		expect(await events.next()).toBeNull();

		const c = await raiseFlagAt('A1');
		expect(await events.next()).toMatch(/^event: flags\ndata: /);
		// Starting the session and each reading are separate saves: let their events pass.
		while ((await events.next()) !== null);
		await poll();
		expect(await events.next()).toBeNull();

		// The notice and the next fingerprint poll agree: one save, one event.
		const flag = (await listFlags(c, { open: true })).find((f) => f.status === 'raised');
		await acknowledgeFlag(await actorFor(t, 'investigator', ['A1'], now), flag!.id);
		expect(await events.next()).toMatch(/^event: flags/);
		await poll();
		expect(await events.next()).toBeNull();

		abort.abort();
		expect(await events.next()).toBeNull();
		expect(events.isDone()).toBe(true);
		await expect(poll()).rejects.toThrow('not polling');
		// Nothing is sent, and nothing fails, after the client has gone.
		await raiseFlagAt('A1');
	});

	it('notices a write by another process through the fingerprint alone', async () => {
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const { response, abort, poll } = await openStream(inv.actor);
		const events = eventReader(response.body!);
		await poll();
		expect(await events.next()).toBeNull();
		// As the CLI would write: straight to the table, without this process's notice.
		await t.db
			.updateTable('flag')
			.set({ changed_at: new Date(clock + 60_000).toISOString() })
			.where('site_id', '=', t.siteA)
			.execute();
		expect(await events.next()).toBeNull(); // no notice: only the poll can see it
		await poll();
		expect(await events.next()).toMatch(/^event: flags/);
		abort.abort();
	});

	it('ends at the next poll after sign-out, a disabled account, or an expired session', async () => {
		const cases: Array<[string, (who: ServiceContext & { actor: UserActor }) => Promise<void>]> = [
			['sign-out', (who) => signOut(who)],
			['disable', (who) => disableUser(t.system, who.actor.id, { reason: 'left the study team' })],
			[
				'expiry',
				async (who) => {
					await t.db
						.updateTable('auth_session')
						.set({ created_at: 0, last_active_at: 0 })
						.where('user_id', '=', who.actor.id)
						.execute();
				}
			]
		];
		for (const [label, endIt] of cases) {
			const who = await actorFor(t, 'investigator', ['A1'], now);
			const token = generateSessionToken();
			await t.db
				.insertInto('auth_session')
				.values({
					id: sessionIdFromToken(token),
					user_id: who.actor.id,
					created_at: Date.now(),
					last_active_at: Date.now()
				})
				.execute();
			const { response, abort, poll } = await openStream(who.actor, token);
			const events = eventReader(response.body!);
			await poll();
			await poll();
			expect(await events.next(), label).toBeNull();
			expect(events.isDone(), label).toBe(false);
			await endIt(who);
			await poll();
			expect(await events.next(), label).toBeNull();
			expect(events.isDone(), label).toBe(true);
			expect(events.seen(), label).toContain('event: end');
			abort.abort();
		}
	});
});
