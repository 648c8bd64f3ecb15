// Stored script payloads never run: hostile text is stored through the services (as a person
// would type it) in every free-text field a user fills in on this path: a site's name, people's
// names, an adverse event's verbatim term and notes, a deviation's description and review reason,
// a query's question and answer, a flag action, a medication's name and indication, a reading's
// entered-in-error reason. Then every page that shows them is opened in Chromium as the role that
// reads it: no dialog opens, no injected element exists (no <img src=x>, no javascript: link), and
// the payload shows as the literal text typed.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useHeadSigner } from '../../src/lib/server/audit/head-signature';
import { loadOrCreateSigningKey } from '../../src/lib/server/audit/signing-key';
import { openDatabase, openPostgres, type OpenedDatabase } from '../../src/lib/server/db';
import { systemContext, type ServiceContext } from '../../src/lib/server/runtime/context';
import { recordAdverseEvent } from '../../src/lib/server/services/capture/adverse-events';
import { listDosingSessions } from '../../src/lib/server/services/capture/dosing-sessions';
import { listParticipants } from '../../src/lib/server/services/capture/participants';
import {
	markVitalsEnteredInError,
	recordVitals
} from '../../src/lib/server/services/capture/vitals';
import { queryStep, raiseQuery } from '../../src/lib/server/services/monitoring/queries';
import { listSites, updateSite } from '../../src/lib/server/services/people/sites';
import { createUser } from '../../src/lib/server/services/people/users';
import {
	reportDeviation,
	reviewDeviation
} from '../../src/lib/server/services/protocol/deviations';
import { listFlags, recordFlagAction } from '../../src/lib/server/services/safety/flags';
import { recordConmed } from '../../src/lib/server/services/trial/conmeds';
import { openContext } from './setup/browser';
import { startOwnServer, type OwnServer } from './setup/own-server';

/** A payload that runs if any page puts it into the DOM as markup or a link. */
const hostile = (n: number) =>
	`"><img src=x onerror=alert(${n})><script>alert(${n})</script> javascript:alert(${n})`;
/** What every page that shows a payload must show as text. */
const LITERAL = '"><img src=x onerror=alert(';

let server: OwnServer;
let opened: OpenedDatabase;
const contexts: BrowserContext[] = [];
const password = `Xss-${randomBytes(12).toString('hex')}`;
const emails = {
	coordinator: 'xss-coordinator@probe.vigil.test',
	investigator: 'xss-investigator@probe.vigil.test',
	monitor: 'xss-monitor@probe.vigil.test'
};
const ids: Record<string, number> = {};

/** Minutes before now as 'YYYY-MM-DDTHH:mm' at Oslo (site 01), for the site-time fields. */
function osloMinutesAgo(minutes: number): string {
	const at = new Date(Date.now() - minutes * 60_000);
	const parts = new Intl.DateTimeFormat('sv-SE', {
		timeZone: 'Europe/Oslo',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hour12: false
	}).format(at);
	return parts.replace(' ', 'T');
}

async function storeHostileText(): Promise<void> {
	useHeadSigner(loadOrCreateSigningKey(join(server.keyDir, 'vigil-signing.key')));
	opened = server.databaseUrl ? openPostgres(server.databaseUrl, 2) : openDatabase(server.dbFile);
	const system = systemContext(opened.db, 'stored-xss test');
	const site = (await listSites(system)).find((s) => s.code === '01')!;
	ids.site = site.id;
	const as: Record<string, ServiceContext> = {};
	let n = 1;
	for (const [role, email] of Object.entries(emails)) {
		const name = `${role} ${hostile(n++)}`.slice(0, 120);
		const { user } = await createUser(system, { email, name, role, sites: ['01'] }, password);
		ids[role] = user.id;
		as[role] = {
			db: opened.db,
			requestId: null,
			now: () => new Date(),
			actor: {
				kind: 'user',
				id: user.id,
				email,
				name,
				role: role as 'coordinator',
				siteIds: [site.id]
			}
		};
	}
	const c = as.coordinator!;
	const p = (await listParticipants(c, { siteId: site.id }))[0]!;
	ids.participant = p.id;
	const ae = await recordAdverseEvent(c, p.id, {
		verbatimTerm: hostile(10),
		codedTermCode: '',
		onsetAt: osloMinutesAgo(120),
		awareAt: osloMinutesAgo(90),
		severity: '1',
		criteria: {
			death: 'no',
			lifeThreatening: 'no',
			hospitalisation: 'no',
			disability: 'no',
			congenitalAnomaly: 'no',
			importantMedicalEvent: 'no'
		},
		relatedness: 'possible',
		expectedness: 'expected',
		actionTaken: 'dose-not-changed',
		outcome: 'recovering',
		notes: hostile(11)
	});
	ids.adverseEvent = ae.id;
	const deviation = await reportDeviation(c, p.id, {
		category: 'OTHER',
		description: hostile(12),
		occurredAt: osloMinutesAgo(60),
		important: 'no'
	});
	ids.deviation = deviation.id;
	await reviewDeviation(as.investigator!, deviation.id, {
		category: 'ELIGIBILITY',
		important: 'yes',
		reason: `Reviewed: ${hostile(13)}`
	});
	const query = await raiseQuery(as.monitor!, {
		entityType: 'adverse_event',
		entityId: ae.id,
		field: 'outcome',
		text: `Please check ${hostile(14)}`
	});
	await queryStep(c, query.id, 'answer', { text: `Checked ${hostile(15)}` });
	await recordConmed(c, p.id, {
		name: hostile(16),
		indication: hostile(17),
		start: '2024-03'
	});
	// A session of the demo's (ended or not: an entered-in-error reason is allowed either way).
	const session = (await listDosingSessions(c, p.id))[0];
	if (!session) throw new Error('the demo participant has no dosing session');
	{
		ids.session = session.id;
		const reading = await recordVitals(c, session.id, {
			timepoint: 'unscheduled',
			takenAt: osloMinutesAgo(5).slice(11),
			systolic: 190,
			diastolic: 100,
			heartRate: 80,
			confirmed: true
		});
		await markVitalsEnteredInError(c, reading.id, { reason: `Wrong arm ${hostile(18)}` });
	}
	const flag = (await listFlags(c, { participantId: p.id })).find((f) => f.status !== 'closed');
	if (!flag) throw new Error('the demo participant has no open flag');
	await recordFlagAction(c, flag.id, { category: 'other', text: hostile(19) });
	await updateSite(system, site.id, {
		name: `Oslo ${hostile(20)}`.slice(0, 120),
		timezone: site.timezone,
		reason: `Renamed for a test ${hostile(21)}`
	});
}

async function signedIn(email: string, pass = password): Promise<Page> {
	const context = await openContext({ baseURL: server.base });
	contexts.push(context);
	const page = await context.newPage();
	await page.goto('/login', { waitUntil: 'networkidle' });
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(pass);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((u) => u.pathname !== '/login');
	return page;
}

beforeAll(async () => {
	server = await startOwnServer('stored-xss', {
		VIGIL_DEMO_PARTICIPANTS: '2',
		VIGIL_SECOND_FACTOR_ROLES: 'none'
	});
	await storeHostileText();
}, 240_000);
afterAll(async () => {
	// The server first: a close that times out on a loaded machine must not leave it running.
	server?.stop();
	for (const c of contexts) await c.close();
	await opened?.db.destroy();
});

/** Opens each page; fails on any dialog, injected element or missing literal text. */
async function sweep(page: Page, paths: Array<[string, boolean]>): Promise<void> {
	const dialogs: string[] = [];
	page.on('dialog', (d) => {
		dialogs.push(`${page.url()}: ${d.message()}`);
		void d.dismiss();
	});
	for (const [path, shows] of paths) {
		const res = await page.goto(path, { waitUntil: 'networkidle' });
		expect(res?.status(), path).toBe(200);
		await page.waitForTimeout(300);
		const injected = await page.evaluate(() => ({
			images: document.querySelectorAll('img[src="x"]').length,
			// An injected <script>alert(n)</script>; the page's own data script holds the payloads
			// serialised (and escaped), which is not one.
			scripts: [...document.scripts].filter((s) => /^alert\(\d+\)$/.test(s.text.trim())).length,
			links: document.querySelectorAll('a[href^="javascript:" i]').length
		}));
		expect(injected, path).toEqual({ images: 0, scripts: 0, links: 0 });
		if (!shows) continue;
		// Shown as text, or put back in a form field to edit.
		const text = await page.evaluate(() =>
			[
				document.body.innerText,
				...[...document.querySelectorAll('input, textarea')].map(
					(f) => (f as HTMLInputElement).value
				)
			].join('\n')
		);
		expect(text, path).toContain(LITERAL);
	}
	expect(dialogs).toEqual([]);
}

describe('stored script payloads in Chromium', () => {
	it('never run on the pages a coordinator reads, and show as typed', async () => {
		const page = await signedIn(emails.coordinator);
		await sweep(page, [
			[`/participants/${ids.participant}`, true],
			[`/participants/${ids.participant}/trial`, true],
			[`/participants/${ids.participant}/timeline`, true],
			[`/adverse-events/${ids.adverseEvent}`, true],
			[`/deviations/${ids.deviation}`, true],
			[`/sessions/${ids.session}`, true],
			['/sites', true],
			['/sites/01', true],
			['/sites/01/deviations', true],
			['/sites/01/overview', true],
			['/monitoring', true],
			['/review', true]
		]);
	});

	it('never run on the pages an investigator and a monitor read', async () => {
		const investigator = await signedIn(emails.investigator);
		await sweep(investigator, [
			['/review', true],
			['/review/queue', true],
			[`/participants/${ids.participant}/casebook`, true],
			['/cohort', false],
			['/safety-signals', false]
		]);
		const monitor = await signedIn(emails.monitor);
		await sweep(monitor, [['/monitoring', true]]);
	});

	it('never run on the administration and audit pages', async () => {
		const admin = await signedIn('admin@demo.vigil.test', server.password);
		await sweep(admin, [
			['/admin/users', true],
			[`/admin/users/${ids.coordinator}`, true],
			['/admin/sites', true],
			[`/admin/sites/${ids.site}`, true],
			['/audit', true],
			[`/audit/record/protocol_deviation/${ids.deviation}`, true],
			[`/audit/record/adverse_event/${ids.adverseEvent}`, true],
			['/exports', false]
		]);
	});
});
