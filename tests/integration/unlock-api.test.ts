// Unlock approval through the JSON API, the endpoints called as SvelteKit calls them on the running
// app's database: one administrator asks, the same one may not approve (403), another does; the
// study stays read-only until then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type UserActor } from '../../src/lib/server/runtime/context';
import { studyLockState } from '../../src/lib/server/services/monitoring/freeze-lock';
import { POST as lock } from '../../src/routes/api/v1/studies/[id=id]/lock/+server';
import { POST as askUnlock } from '../../src/routes/api/v1/studies/[id=id]/unlock/+server';
import { POST as approve } from '../../src/routes/api/v1/studies/[id=id]/unlock/approve/+server';
import { POST as decline } from '../../src/routes/api/v1/studies/[id=id]/unlock/decline/+server';
import { actorFor, type TestDb } from '../helpers/db';
import { callEndpoint, startedApp } from '../helpers/app';

let t: TestDb;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
	t = await startedApp();
});
afterAll(async () => {
	await t.db.destroy();
});

const call = (handler: Parameters<typeof callEndpoint>[0], user: UserActor, body: unknown) =>
	callEndpoint(handler, user, { body, params: { id: String(t.studyId) } });

describe('unlocking through the API', () => {
	it('needs a request with a reason and another administrator’s approval', async () => {
		const first = await actorFor(t, 'admin', []);
		const second = await actorFor(t, 'admin', []);
		const inv = await actorFor(t, 'investigator', ['A1']);
		expect((await call(lock, first.actor, { reason: 'Analysis' })).status).toBe(200);

		const noReason = await call(askUnlock, first.actor, {});
		expect(noReason.status).toBe(422);
		expect(noReason.json.error.fields.map((f: Json) => f.path)).toEqual(['reason']);
		expect((await call(askUnlock, inv.actor, { reason: 'Let me fix it' })).status).toBe(403);
		const asked = await call(askUnlock, first.actor, { reason: 'Query found after lock' });
		expect(asked.status).toBe(201);
		expect(asked.json).toMatchObject({ reason: 'Query found after lock', askedByYou: true });
		expect((await call(askUnlock, second.actor, { reason: 'Again' })).status).toBe(409);

		const self = await call(approve, first.actor, {});
		expect(self.status).toBe(403);
		expect(self.json.error.message).toContain('Another administrator');
		expect((await studyLockState(first, t.studyId)).locked).toBe(true);

		expect((await call(decline, second.actor, { reason: 'Use a listing' })).status).toBe(200);
		expect((await call(approve, second.actor, {})).status).toBe(409);
		expect((await studyLockState(first, t.studyId)).locked).toBe(true);

		await call(askUnlock, first.actor, { reason: 'Late lab results' });
		const approved = await call(approve, second.actor, { note: 'Agreed' });
		expect(approved.status).toBe(200);
		expect(approved.json.locked).toBe(false);
		expect((await studyLockState(first, t.studyId)).locked).toBe(false);
		const audit = await t.db
			.selectFrom('audit_event')
			.select(['action', 'actor_id'])
			.where('action', 'in', ['study.unlock_request', 'study.unlock_approve', 'study.unlock'])
			.orderBy('seq')
			.execute();
		expect(audit).toEqual([
			{ action: 'study.unlock_request', actor_id: first.actor.id },
			{ action: 'study.unlock_request', actor_id: first.actor.id },
			{ action: 'study.unlock_approve', actor_id: second.actor.id },
			{ action: 'study.unlock', actor_id: second.actor.id }
		]);
	});
});
