// Participant self-report through a one-time link: issued by a coordinator, stored hashed, used
// once, expiring; the answers are the participant's (origin, device time, audit actor), scored
// and flagged like a staff entry, and staff cannot change them.
import { describe, expect, it } from 'vitest';
import {
	AuthenticationError,
	ConflictError,
	ForbiddenError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import {
	correctScaleAdministration,
	markScaleEnteredInError
} from '../../src/lib/server/services/capture/scale-corrections';
import { listFlags } from '../../src/lib/server/services/safety/flags';
import {
	EproLinkRefused,
	eproLinkForm,
	issueEproLink,
	submitEproLink
} from '../../src/lib/server/services/trial/epro';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
const NOW = new Date('2026-11-20T10:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);
const HOUR = 3_600_000;
/** The page's door: nobody signed in, at `now`. */
const door = (now: Date, requestId: string | null = null) => ({
	db: t.db,
	actor: { kind: 'anonymous' as const },
	requestId,
	now: () => now
});
freshDbEach((db) => (t = db));

/** PHQ-9 answers: every item 1, item 9 as given. */
const answers = (item9: number) =>
	Object.fromEntries(Array.from({ length: 9 }, (_, i) => [String(i + 1), i === 8 ? item9 : 1]));

async function refusal(p: Promise<unknown>): Promise<unknown> {
	try {
		await p;
	} catch (e) {
		return e;
	}
	throw new Error('expected a refusal');
}

async function issued(mode: 'link' | 'kiosk' = 'link') {
	const c = await actorFor(t, 'coordinator', ['A1'], () => NOW);
	const p = await enrolledParticipant(t, 'A1', '2026-10-01');
	const link = await issueEproLink(c, p.id, { instrument: 'PHQ9', mode });
	return { c, p, link };
}

describe('issuing a link', () => {
	it('stores only the hash of its token, and expires after the protocol’s lifetime', async () => {
		const { link } = await issued();
		expect(link.token).toMatch(/^[a-z2-7]{32}$/);
		expect(link.expiresAt).toBe(later(24 * HOUR).toISOString());
		const rows = await t.db.selectFrom('epro_link').selectAll().execute();
		expect(rows).toHaveLength(1);
		expect(JSON.stringify(rows)).not.toContain(link.token);
		expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
		const trail = await t.db.selectFrom('audit_event').selectAll().execute();
		expect(JSON.stringify(trail)).not.toContain(link.token);
		expect(trail.map((e) => e.action)).toContain('epro.link_issue');

		const kiosk = (await issued('kiosk')).link;
		expect(kiosk.expiresAt).toBe(later(HOUR).toISOString());
	});

	it('only a coordinator at the site; a licensed scale needs the site’s wording', async () => {
		const p = await enrolledParticipant(t, 'A1', '2026-10-01');
		const auditor = await actorFor(t, 'auditor', ['A1'], () => NOW);
		expect(
			await refusal(issueEproLink(auditor, p.id, { instrument: 'PHQ9', mode: 'link' }))
		).toBeInstanceOf(ForbiddenError);
		const c = await actorFor(t, 'coordinator', ['A1'], () => NOW);
		const e = await refusal(issueEproLink(c, p.id, { instrument: 'BDI2', mode: 'link' }));
		expect(e).toBeInstanceOf(ValidationError);
		expect((e as ValidationError).fieldErrors.instrument![0]).toMatch(/licensed/);
		const madrs = await refusal(issueEproLink(c, p.id, { instrument: 'MADRS', mode: 'link' }));
		expect(madrs).toBeInstanceOf(ValidationError);
	});
});

describe('answering through the link', () => {
	it('shows only that scale, then stores the answers as the participant’s, flags item 9 and audits it so', async () => {
		const { c, p, link } = await issued();
		const { form } = await eproLinkForm(door(later(HOUR)), link.token);
		expect(form.instrument).toBe('PHQ9');
		expect(form.items).toHaveLength(10);
		expect(form.items[8]!.text).toMatch(/better off dead/);

		const { administrationId } = await submitEproLink(door(later(HOUR), 'epro-1'), link.token, {
			items: answers(2),
			deviceTime: '2026-11-20T12:01:30+01:00',
			deviceZone: 'Europe/Oslo'
		});
		const row = await t.db
			.selectFrom('scale_administration')
			.selectAll()
			.where('id', '=', administrationId)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({
			participant_id: p.id,
			instrument: 'PHQ9',
			origin: 'participant',
			created_by: null,
			device_time: '2026-11-20T12:01:30+01:00',
			device_zone: 'Europe/Oslo',
			administered_at: later(HOUR).toISOString(),
			total: 10
		});
		const entry = await t.db
			.selectFrom('audit_event')
			.selectAll()
			.where('request_id', '=', 'epro-1')
			.where('action', '=', 'epro.submit')
			.executeTakeFirstOrThrow();
		expect(entry).toMatchObject({
			actor_id: null,
			actor_role: 'participant',
			entity_type: 'scale_administration',
			entity_id: String(administrationId)
		});
		expect(entry.actor_label).toBe(`participant ${p.subjectCode} (ePRO link ${link.id})`);
		const flags = await listFlags(c, { participantId: p.id });
		expect(flags.map((f) => f.sourceType)).toContain('scale_administration');
		expect(flags.some((f) => f.sourceId === administrationId)).toBe(true);
		const used = await t.db.selectFrom('epro_link').selectAll().executeTakeFirstOrThrow();
		expect(used).toMatchObject({
			used_at: later(HOUR).toISOString(),
			scale_administration_id: administrationId
		});

		// Used once: the form and a second submission are refused, nothing more stored.
		const again = await refusal(
			submitEproLink(door(later(2 * HOUR), 'epro-2'), link.token, { items: answers(0) })
		);
		expect(again).toBeInstanceOf(EproLinkRefused);
		expect((again as EproLinkRefused).state).toBe('used');
		expect(
			((await refusal(eproLinkForm(door(later(2 * HOUR)), link.token))) as EproLinkRefused).status
		).toBe(410);
		expect(await t.db.selectFrom('scale_administration').selectAll().execute()).toHaveLength(1);
		const trail = await t.db
			.selectFrom('audit_event')
			.select('action')
			.where('request_id', '=', 'epro-2')
			.execute();
		expect(trail).toEqual([]);

		// Staff cannot change the participant's answers; they may mark them entered in error.
		expect(
			await refusal(
				correctScaleAdministration(c, administrationId, {
					instrument: 'PHQ9',
					items: answers(0),
					reason: 'Participant said they misread'
				})
			)
		).toBeInstanceOf(ConflictError);
		await markScaleEnteredInError(c, administrationId, { reason: 'Answered for the wrong week' });
	});

	it('refuses an expired link at its expiry, a forged one and a malformed one', async () => {
		const { link } = await issued();
		const expiry = new Date(link.expiresAt);
		await expect(
			eproLinkForm(door(new Date(expiry.getTime() - 1)), link.token)
		).resolves.toBeTruthy();
		for (const at of [expiry, later(48 * HOUR)]) {
			const e = await refusal(submitEproLink(door(at, null), link.token, { items: answers(0) }));
			expect((e as EproLinkRefused).state).toBe('expired');
		}
		const forged = link.token.replace(/^./, (ch) => (ch === 'a' ? 'b' : 'a'));
		for (const token of [forged, 'a'.repeat(32), '../../etc', '', null, 42]) {
			const e = await refusal(eproLinkForm(door(later(HOUR)), token));
			expect(e).toBeInstanceOf(EproLinkRefused);
			expect((e as EproLinkRefused).state).toBe('unknown');
		}
		expect(await t.db.selectFrom('scale_administration').selectAll().execute()).toEqual([]);
	});

	it('a missing answer is a field error and leaves the link usable', async () => {
		const { link } = await issued();
		const partial = answers(0);
		delete partial['4'];
		const e = await refusal(
			submitEproLink(door(later(HOUR), null), link.token, { items: partial })
		);
		expect(e).toBeInstanceOf(ValidationError);
		expect(Object.keys((e as ValidationError).fieldErrors)).toEqual(['items.4']);
		await submitEproLink(door(later(HOUR), null), link.token, { items: answers(0) });
	});

	it('the participant on a link may use no staff service', async () => {
		const { p, link } = await issued();
		const ctx = {
			db: t.db,
			requestId: null,
			now: () => NOW,
			actor: {
				kind: 'participant' as const,
				participantId: p.id,
				subjectCode: p.subjectCode,
				linkId: link.id
			}
		};
		expect(await refusal(listFlags(ctx, { participantId: p.id }))).toBeInstanceOf(
			AuthenticationError
		);
		expect(
			await refusal(issueEproLink(ctx, p.id, { instrument: 'PHQ9', mode: 'link' }))
		).toBeInstanceOf(AuthenticationError);
	});
});
