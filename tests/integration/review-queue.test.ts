// The review queue in SQL (filters, counts, paging, newest first) and signing many records in one
// act, with the continuous-session rule of 21 CFR 11.200(a)(1).
import { describe, expect, it } from 'vitest';
import { sessionIdFromToken } from '../../src/lib/server/auth/token';
import {
	ConflictError,
	ForbiddenError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import {
	recordAdverseEvent,
	correctAdverseEvent
} from '../../src/lib/server/services/capture/adverse-events';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { signIn } from '../../src/lib/server/services/people/auth';
import { casebookPreview } from '../../src/lib/server/services/signatures/casebook';
import {
	reviewQueue,
	signaturesFor,
	signRecords
} from '../../src/lib/server/services/signatures/signatures';
import {
	actorFor,
	enrolledParticipant,
	passwordOnly,
	PASSWORD,
	type TestDb,
	freshDbEach
} from '../helpers/db';
import { noCriteria } from '../helpers/fixtures';

let t: TestDb;
const NOW = '2026-11-20T15:00:00.000Z';
const now = () => new Date(NOW);

freshDbEach((db) => (t = db));

const ae = (day: string, term = 'headache') => ({
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
const madrs = () => Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i + 1), 2]));

/** Two participants at A1 with AEs on three days and a scale, one participant at B1. */
async function study() {
	const c = await actorFor(t, 'coordinator', ['A1'], now);
	const cb = await actorFor(t, 'coordinator', ['B1'], now);
	const inv = await actorFor(t, 'investigator', ['A1'], now);
	const p1 = await enrolledParticipant(t, 'A1', '2026-10-01');
	const p2 = await enrolledParticipant(t, 'A1', '2026-10-01');
	const pb = await enrolledParticipant(t, 'B1', '2026-10-01');
	const e1 = await recordAdverseEvent(c, p1.id, ae('2026-11-01'));
	const e2 = await recordAdverseEvent(c, p1.id, ae('2026-11-10', 'nausea'));
	const e3 = await recordAdverseEvent(c, p2.id, ae('2026-11-05', 'dizziness'));
	const s1 = await recordScaleAdministration(c, p1.id, {
		instrument: 'MADRS',
		administeredAt: '2026-11-12T10:00',
		items: madrs()
	});
	await recordAdverseEvent(cb, pb.id, ae('2026-11-06'));
	return { c, inv, p1, p2, pb, e1, e2, e3, s1 };
}

const keys = (items: Array<{ entityType: string; entityId: number }>) =>
	items.map((i) => `${i.entityType}:${i.entityId}`);

describe('the review queue', () => {
	it('is newest first, at the actor’s sites only, with counts per filter', async () => {
		const { inv, e1, e2, e3, s1 } = await study();
		const q = await reviewQueue(inv);
		expect(keys(q.items)).toEqual([
			`scale_administration:${s1.id}`,
			`adverse_event:${e2.id}`,
			`adverse_event:${e3.id}`,
			`adverse_event:${e1.id}`
		]);
		expect(q.total).toBe(4);
		expect(q.counts.byType).toEqual({
			dosing_session: 0,
			adverse_event: 3,
			scale_administration: 1,
			protocol_deviation: 0
		});
		expect(q.counts).toMatchObject({ changedSinceSigned: 0, neverSigned: 4 });
	});

	it('filters by type, participant, date and changed-since-signed; counts follow the others', async () => {
		const { c, inv, p1, e1, e2 } = await study();
		const byType = await reviewQueue(inv, { type: 'adverse_event', participantId: String(p1.id) });
		expect(keys(byType.items)).toEqual([`adverse_event:${e2.id}`, `adverse_event:${e1.id}`]);
		// The type counts are under the participant filter, not the type filter.
		expect(byType.counts.byType).toMatchObject({ adverse_event: 2, scale_administration: 1 });
		const days = await reviewQueue(inv, { from: '2026-11-05', to: '2026-11-10' });
		expect(days.total).toBe(2);

		await signRecords(inv, {
			records: [{ entityType: 'adverse_event', entityId: e1.id }],
			meaning: 'reviewed',
			userId: inv.actor.email,
			password: PASSWORD
		});
		await correctAdverseEvent(c, e1.id, { ...ae('2026-11-01'), severity: '2', reason: 'Re-read' });
		const changed = await reviewQueue(inv, { changed: 'true' });
		expect(keys(changed.items)).toEqual([`adverse_event:${e1.id}`]);
		expect(changed.counts).toMatchObject({ changedSinceSigned: 1, neverSigned: 3 });
		expect((await reviewQueue(inv, { changed: 'false' })).total).toBe(3);
	});

	it('filters by a subject code as typed, at the actor’s sites only', async () => {
		const { inv, p1, p2, pb, e1, e2, e3, s1 } = await study();
		const code = (p: { id: number }) =>
			t.db
				.selectFrom('participant')
				.select('subject_code')
				.where('id', '=', p.id)
				.executeTakeFirstOrThrow()
				.then((r) => r.subject_code);
		const one = await reviewQueue(inv, { participant: ` ${await code(p1)} ` });
		expect(keys(one.items)).toEqual([
			`scale_administration:${s1.id}`,
			`adverse_event:${e2.id}`,
			`adverse_event:${e1.id}`
		]);
		expect(one.counts.byType).toMatchObject({ adverse_event: 2, scale_administration: 1 });
		const other = await reviewQueue(inv, { participant: await code(p2) });
		expect(keys(other.items)).toEqual([`adverse_event:${e3.id}`]);
		// A participant at a site the investigator does not hold, and a code nobody has: nothing.
		expect((await reviewQueue(inv, { participant: await code(pb) })).total).toBe(0);
		expect((await reviewQueue(inv, { participant: 'NO-SUCH' })).total).toBe(0);
		// Empty is every participant.
		expect((await reviewQueue(inv, { participant: '' })).total).toBe(4);
		const long = await reviewQueue(inv, { participant: 'x'.repeat(65) }).catch((x) => x);
		expect(Object.keys((long as ValidationError).fieldErrors)).toEqual(['participant']);
	});

	it('pages in SQL, and refuses a bad filter field by field', async () => {
		const { inv } = await study();
		const first = await reviewQueue(inv, { pageSize: '3' });
		const second = await reviewQueue(inv, { pageSize: '3', page: '2' });
		expect(first).toMatchObject({ total: 4, pages: 2, page: 1 });
		expect(first.items).toHaveLength(3);
		expect(second.items).toHaveLength(1);
		expect(new Set(keys([...first.items, ...second.items])).size).toBe(4);
		const e = await reviewQueue(inv, { from: '2026-11-10', to: '2026-11-01' }).catch((x) => x);
		expect(e).toBeInstanceOf(ValidationError);
		expect(Object.keys((e as ValidationError).fieldErrors)).toEqual(['to']);
	});
});

describe('the review queue, page by page', () => {
	it('pages of every size make the whole queue once, newest or oldest first, across record types', async () => {
		const { c, inv, p1, p2 } = await study();
		await recordAdverseEvent(c, p2.id, ae('2026-11-12', 'fatigue'));
		await recordScaleAdministration(c, p2.id, {
			instrument: 'MADRS',
			administeredAt: '2026-11-03T10:00',
			items: madrs()
		});
		await recordAdverseEvent(c, p1.id, ae('2026-11-08', 'insomnia'));
		for (const order of ['newest', 'oldest'] as const) {
			const whole = await reviewQueue(inv, { order, pageSize: '100' });
			expect(whole.total).toBe(7);
			const at = whole.items.map((i) => i.at);
			expect(at).toEqual(
				[...at].sort((a, b) => (order === 'newest' ? b.localeCompare(a) : a.localeCompare(b)))
			);
			for (const size of [1, 2, 3]) {
				const pages = [];
				for (let page = 1; page <= Math.ceil(7 / size); page++) {
					const q = await reviewQueue(inv, { order, pageSize: String(size), page: String(page) });
					expect(q.pages).toBe(Math.ceil(7 / size));
					pages.push(...q.items);
				}
				expect(keys(pages)).toEqual(keys(whole.items));
			}
		}
	});

	it('counts follow a change at once: a record signed leaves them, a correction brings it back', async () => {
		const { c, inv, e1 } = await study();
		const before = await reviewQueue(inv, {});
		expect(before.total).toBe(4);
		await signRecords(inv, {
			records: [{ entityType: 'adverse_event', entityId: e1.id }],
			meaning: 'reviewed',
			userId: inv.actor.email,
			password: PASSWORD
		});
		const after = await reviewQueue(inv, {});
		expect(after.total).toBe(3);
		expect(after.counts.byType.adverse_event).toBe(before.counts.byType.adverse_event - 1);
		await correctAdverseEvent(c, e1.id, { ...ae('2026-11-01'), severity: '2', reason: 'Re-read' });
		const again = await reviewQueue(inv, {});
		expect(again.total).toBe(4);
		expect(again.counts).toMatchObject({ changedSinceSigned: 1, neverSigned: 3 });
	});
});

describe('casebook signing', () => {
	it('previews exactly a participant’s unsigned records (up to a date) and signs them in one act', async () => {
		const { inv, p1, e1, e2, s1 } = await study();
		const upTo = await casebookPreview(inv, p1.id, { upTo: '2026-11-10' });
		expect(keys(upTo.items)).toEqual([`adverse_event:${e1.id}`, `adverse_event:${e2.id}`]);
		const all = await casebookPreview(inv, p1.id);
		expect(keys(all.items)).toEqual([
			`adverse_event:${e1.id}`,
			`adverse_event:${e2.id}`,
			`scale_administration:${s1.id}`
		]);
		const signed = await signRecords(inv, {
			records: all.items.map((i) => ({
				entityType: i.entityType,
				entityId: i.entityId,
				version: i.version
			})),
			meaning: 'approved',
			userId: inv.actor.email,
			password: PASSWORD
		});
		expect(signed).toHaveLength(3);
		expect(signed.every((s) => s.status === 'valid' && s.meaningLabel === 'Approved')).toBe(true);
		expect((await casebookPreview(inv, p1.id)).items).toEqual([]);
		const rows = await t.db
			.selectFrom('audit_event')
			.select('new_values')
			.where('action', '=', 'signature.sign')
			.execute();
		expect(rows).toHaveLength(3);
		const scopes = rows.map((r) => JSON.parse(r.new_values!) as Record<string, unknown>);
		expect(new Set(scopes.map((s) => s.batchScopeSha256)).size).toBe(1);
		expect(scopes[0]).toMatchObject({ batchOf: 3, signerName: inv.actor.name });
	});

	it('refuses the whole act when one record changed since the preview', async () => {
		const { c, inv, p1, e1 } = await study();
		const preview = await casebookPreview(inv, p1.id);
		await correctAdverseEvent(c, e1.id, { ...ae('2026-11-01'), severity: '2', reason: 'Re-read' });
		await expect(
			signRecords(inv, {
				records: preview.items.map((i) => ({ ...i, version: i.version })),
				meaning: 'approved',
				userId: inv.actor.email,
				password: PASSWORD
			})
		).rejects.toBeInstanceOf(ConflictError);
		expect(await t.db.selectFrom('signature').selectAll().execute()).toEqual([]);
	});

	it('only investigators sign many; a coordinator or auditor is refused', async () => {
		const { c, p1 } = await study();
		const auditor = await actorFor(t, 'auditor', ['A1'], now);
		for (const ctx of [c, auditor]) {
			await expect(
				signRecords(ctx, {
					records: [{ entityType: 'adverse_event', entityId: 1 }],
					meaning: 'reviewed',
					userId: ctx.actor.email,
					password: PASSWORD
				})
			).rejects.toBeInstanceOf(ForbiddenError);
		}
		await expect(casebookPreview(c, p1.id)).rejects.toBeInstanceOf(ForbiddenError);
	});
});

describe('a continuous signing session (21 CFR 11.200(a)(1)(i))', () => {
	it('the first signing needs both components; later ones in the same sign-in session the password', async () => {
		const { inv, e1, e2, e3 } = await study();
		const { token } = passwordOnly(
			await signIn(
				{ ...inv, actor: { kind: 'anonymous' } },
				{
					email: inv.actor.email,
					password: PASSWORD
				}
			)
		);
		const session = { ...inv, actor: { ...inv.actor, sessionId: sessionIdFromToken(token) } };
		const sign = (id: number, over: Record<string, unknown>) =>
			signRecords(session, {
				records: [{ entityType: 'adverse_event', entityId: id }],
				meaning: 'reviewed',
				password: PASSWORD,
				...over
			});
		const e = await sign(e1.id, {}).catch((x) => x);
		expect(e).toBeInstanceOf(ValidationError);
		expect(Object.keys((e as ValidationError).fieldErrors)).toEqual(['userId']);
		await sign(e1.id, { userId: inv.actor.email });
		await sign(e2.id, {});
		expect((await signaturesFor(t.db, 'adverse_event', e2.id))[0]!.status).toBe('valid');
		// A wrong password alone still signs nothing.
		await expect(sign(e3.id, { password: 'not-mine-at-all' })).rejects.toBeInstanceOf(
			ValidationError
		);
		// Without a sign-in session (an API token), both components every time.
		const noSession = signRecords(inv, {
			records: [{ entityType: 'adverse_event', entityId: e3.id }],
			meaning: 'reviewed',
			password: PASSWORD
		});
		await expect(noSession).rejects.toBeInstanceOf(ValidationError);
		expect(await signaturesFor(t.db, 'adverse_event', e3.id)).toEqual([]);
	});
});
