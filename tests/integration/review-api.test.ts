// The review queue's group actions through the JSON API: the endpoints called as SvelteKit calls
// them, on the running app's database (SQLite in memory, or PostgreSQL), with a signed-in user.
// Several flags acknowledged, acted on and closed in one request, several records signed in one
// act; each change audited on its own under the request's id; another site, a read-only role and
// a bad body refused in the API's error shape, changing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAdverseEvent } from '../../src/lib/server/services/capture/adverse-events';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import { listFlags } from '../../src/lib/server/services/safety/flags';
import { POST as acknowledgeMany } from '../../src/routes/api/v1/flags/acknowledge/+server';
import { POST as actOnMany } from '../../src/routes/api/v1/flags/action/+server';
import { POST as closeMany } from '../../src/routes/api/v1/flags/close/+server';
import { GET as reviewQueueGet } from '../../src/routes/api/v1/review-queue/+server';
import { GET as casebookGet } from '../../src/routes/api/v1/participants/[id=id]/casebook/+server';
import { POST as signMany } from '../../src/routes/api/v1/signatures/+server';
import {
	actorFor,
	enrolledParticipant,
	PASSWORD,
	runningSession,
	type TestDb
} from '../helpers/db';
import { callEndpoint, startedApp } from '../helpers/app';
import { noCriteria } from '../helpers/fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestDb;

beforeAll(async () => {
	t = await startedApp();
});
afterAll(async () => {
	await t.db.destroy();
});

/** One API request by a signed-in user, as SvelteKit hands it to the endpoint. */
const call = callEndpoint;

/** The audit entries one request wrote. */
const auditOf = (requestId: string) =>
	t.db
		.selectFrom('audit_event')
		.select(['action', 'entity_type', 'entity_id'])
		.where('request_id', '=', requestId)
		.orderBy('seq')
		.execute();

/** A 30-minute reading of 172/95 after a baseline of 122/80: several flags on one record. */
async function breach() {
	const { coordinator, participant, session } = await runningSession(t);
	await recordVitals(coordinator, session.id, {
		timepoint: -30,
		takenAt: '09:30',
		systolic: 122,
		diastolic: 80
	});
	await recordVitals(coordinator, session.id, {
		timepoint: 30,
		takenAt: '10:30',
		systolic: 172,
		diastolic: 95
	});
	const flags = (await listFlags(coordinator, { sessionId: session.id, open: true })).filter(
		(f) => f.sourceType === 'vital_reading'
	);
	return { coordinator, participant, ids: flags.map((f) => f.id) };
}

describe('flags in groups through the API', () => {
	it('acknowledges, acts on and closes several flags per request, each audited', async () => {
		const { coordinator, ids } = await breach();
		expect(ids.length).toBeGreaterThanOrEqual(2);
		const inv = (await actorFor(t, 'investigator', ['A1'])).actor;

		const seen = await call(acknowledgeMany, inv, { body: { flagIds: ids } });
		expect(seen.status).toBe(200);
		expect(seen.json.flags.map((f: Json) => [f.id, f.status])).toEqual(
			ids.map((id) => [id, 'acknowledged'])
		);
		expect(await auditOf(seen.requestId)).toEqual(
			ids.map((id) => ({ action: 'flag.acknowledge', entity_type: 'flag', entity_id: String(id) }))
		);
		const again = await call(acknowledgeMany, inv, { body: { flagIds: ids } });
		expect(again.status).toBe(409);
		expect(again.json.error.status).toBe(409);

		const acted = await call(actOnMany, coordinator.actor, {
			body: { flagIds: ids, category: 'recheck', text: 'Rechecked seated: 150/90.' }
		});
		expect(acted.status).toBe(200);
		expect(acted.json.flags.map((f: Json) => f.actionText)).toEqual(
			ids.map(() => 'Rechecked seated: 150/90.')
		);
		expect((await auditOf(acted.requestId)).map((a) => a.action)).toEqual(
			ids.map(() => 'flag.action')
		);

		// Closing is the investigator's: the coordinator is refused and nothing moves.
		const refused = await call(closeMany, coordinator.actor, {
			body: { flagIds: ids, outcome: 'Not mine to close.' }
		});
		expect(refused.status).toBe(403);
		expect(await auditOf(refused.requestId)).toEqual([]);
		const closed = await call(closeMany, inv, {
			body: { flagIds: ids, outcome: 'Settled by the recheck.' }
		});
		expect(closed.status).toBe(200);
		expect(closed.json.flags.map((f: Json) => [f.status, f.outcome])).toEqual(
			ids.map(() => ['closed', 'Settled by the recheck.'])
		);
		expect((await auditOf(closed.requestId)).map((a) => a.action)).toEqual(
			ids.map(() => 'flag.close')
		);
		const closedTwice = await call(closeMany, inv, { body: { flagIds: ids, outcome: 'Again.' } });
		expect(closedTwice.status).toBe(409);
	});

	it('refuses another site, a read-only role and bad bodies, moving no flag', async () => {
		const { ids } = await breach();
		const inv = (await actorFor(t, 'investigator', ['A1'])).actor;
		const elsewhere = (await actorFor(t, 'investigator', ['B1'])).actor;
		const auditor = (await actorFor(t, 'auditor', ['A1'])).actor;

		// Another site hears "not found", even for a body that is wrong too.
		const far = await call(closeMany, elsewhere, { body: { flagIds: ids, outcome: '' } });
		expect(far.status).toBe(404);
		expect(far.json.error.fields).toEqual([]);
		expect((await call(acknowledgeMany, auditor, { body: { flagIds: ids } })).status).toBe(403);
		// One unknown id refuses the whole list.
		const unknown = await call(acknowledgeMany, inv, { body: { flagIds: [...ids, 999_999] } });
		expect(unknown.status).toBe(404);

		const empty = await call(acknowledgeMany, inv, { body: { flagIds: [] } });
		expect(empty.status).toBe(422);
		expect(empty.json.error.fields).toEqual([{ path: 'flagIds', message: 'Choose the flags.' }]);
		const noOutcome = await call(closeMany, inv, { body: { flagIds: ids } });
		expect(noOutcome.status).toBe(422);
		expect(noOutcome.json.error.fields.map((f: Json) => f.path)).toEqual(['outcome']);
		const badAction = await call(actOnMany, inv, { body: { flagIds: ids, category: 'dance' } });
		expect(badAction.json.error.fields.map((f: Json) => f.path).sort()).toEqual([
			'category',
			'text'
		]);
		const form = await call(acknowledgeMany, inv, {
			body: { flagIds: ids },
			type: 'application/x-www-form-urlencoded'
		});
		expect(form.status).toBe(415);

		const inv2 = await actorFor(t, 'investigator', ['A1']);
		const still = (await listFlags(inv2, { open: true })).filter((f) => ids.includes(f.id));
		expect(still.map((f) => f.status)).toEqual(ids.map(() => 'raised'));
		const touched = await t.db
			.selectFrom('audit_event')
			.select('action')
			.where('entity_type', '=', 'flag')
			.where(
				'entity_id',
				'in',
				ids.map((id) => String(id))
			)
			.where('action', '!=', 'flag.raise')
			.execute();
		expect(touched).toEqual([]);
	});
});

const ae = (day: string, term: string) => ({
	verbatimTerm: term,
	codedTermCode: 'VIG-0003',
	onsetAt: `${day}T11:30`,
	awareAt: `${day}T12:00`,
	severity: '1',
	criteria: noCriteria,
	relatedness: 'possible',
	expectedness: 'expected',
	actionTaken: 'dose-not-changed',
	outcome: 'recovering'
});

describe('the review queue and signing many through the API', () => {
	it("signs a participant's casebook in one act: one signature and audit entry per record", async () => {
		const c = await actorFor(t, 'coordinator', ['A1']);
		const inv = await actorFor(t, 'investigator', ['A1']);
		const p = await enrolledParticipant(t, 'A1', '2026-10-01');
		await recordAdverseEvent(c, p.id, ae('2026-11-01', 'headache'));
		await recordAdverseEvent(c, p.id, ae('2026-11-03', 'nausea'));

		const queue = await call(reviewQueueGet, inv.actor, { query: `?participantId=${p.id}` });
		expect(queue.status).toBe(200);
		expect(queue.json.total).toBe(2);
		const casebook = await call(casebookGet, inv.actor, { params: { id: String(p.id) } });
		expect(casebook.json.items).toHaveLength(2);
		const records = (queue.json.items as Json[]).map((i) => ({
			entityType: i.entityType,
			entityId: i.entityId,
			version: i.version
		}));

		// An auditor reads the queue but does not sign; a wrong password signs nothing.
		const auditor = await actorFor(t, 'auditor', ['A1']);
		expect((await call(reviewQueueGet, auditor.actor)).status).toBe(200);
		const body = { userId: inv.actor.email, password: PASSWORD, meaning: 'reviewed', records };
		expect((await call(signMany, auditor.actor, { body })).status).toBe(403);
		const wrong = await call(signMany, inv.actor, { body: { ...body, password: 'not-it' } });
		expect(wrong.status).toBe(422);
		expect(wrong.json.error.fields.map((f: Json) => f.path)).toContain('password');

		const signed = await call(signMany, inv.actor, { body });
		expect(signed.status).toBe(201);
		expect(signed.json.signatures).toHaveLength(2);
		expect(signed.json.signatures.every((s: Json) => s.meaning === 'reviewed')).toBe(true);
		const audit = (await auditOf(signed.requestId)).filter((a) => a.action === 'signature.sign');
		expect(audit.map((a) => [a.entity_type, a.entity_id])).toEqual(
			signed.json.signatures.map((s: Json) => ['signature', String(s.id)])
		);

		const after = await call(reviewQueueGet, inv.actor, { query: `?participantId=${p.id}` });
		expect(after.json.total).toBe(0);
		// Another site's investigator cannot see the queue's records nor sign them.
		const elsewhere = await actorFor(t, 'investigator', ['B1']);
		const far = await call(signMany, elsewhere.actor, {
			body: { ...body, userId: elsewhere.actor.email }
		});
		expect(far.status).toBe(404);
	});
});
