// The cohort and safety-signals dashboards against the demo study. Expected counts come from the
// server's own database (the SQLite file read-only, or its PostgreSQL database), queried here
// independently of the dashboards' code, so the test holds whatever the demo generator writes and
// whatever other browser tests add.
import Database from 'better-sqlite3';
import pg from 'pg';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, openContext, signIn } from './setup/browser';

const INVESTIGATOR = 'investigator@demo.vigil.test'; // site 01
const AUDITOR = 'auditor@demo.vigil.test'; // sites 01 and 02
const COORDINATOR = 'coordinator@demo.vigil.test';

/** Runs one counting query (with ? placeholders) on the server's database. */
async function count(query: string, ...params: unknown[]): Promise<number> {
	const url = inject('databaseUrl');
	if (url) {
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		try {
			let i = 0;
			const text = query.replace(/\?/g, () => `$${(i += 1)}`);
			const { rows } = await client.query<{ n: string }>(text, params);
			return Number(rows[0]!.n);
		} finally {
			await client.end();
		}
	}
	const db = new Database(inject('dbFile'), { readonly: true, fileMustExist: true });
	try {
		return (db.prepare(query).get(...params) as { n: number }).n;
	} finally {
		db.close();
	}
}

/** `p` standing, in the demo study, at these sites. */
const inSites = (sites: string[]) =>
	`p.entered_in_error_at is null and p.study_id = (select id from study where code = 'MDMA-TRD-01')
	 and p.site_id in (select id from site where code in (${sites.map((s) => `'${s}'`).join(', ')}))`;

/** Participants with a complete MADRS total at the visit (entered-in-error rows left out). */
const madrsAt = (sites: string[], visit: string) =>
	count(
		`select count(distinct s.participant_id) as n from scale_administration s
		 join visit v on v.id = s.visit_id join participant p on p.id = s.participant_id
		 where s.instrument = 'MADRS' and s.complete = 1 and s.total is not null
		   and s.entered_in_error_at is null and v.entered_in_error_at is null
		   and v.visit_code = ? and ${inSites(sites)}`,
		visit
	);

const DOSED = (sites: string[]) => `select ds.participant_id from dosing_session ds
	join participant p on p.id = ds.participant_id
	where ds.entered_in_error_at is null and ${inSites(sites)}`;

const dosedParticipants = (sites: string[]) =>
	count(`select count(distinct participant_id) as n from (${DOSED(sites)}) as d`);
const dosingSessions = (sites: string[]) =>
	count(`select count(*) as n from (${DOSED(sites)}) as d`);
const participantsWithAe = (sites: string[]) =>
	count(
		`select count(distinct ae.participant_id) as n from adverse_event ae
		 where ae.entered_in_error_at is null and ae.participant_id in (${DOSED(sites)})`
	);
const breaches = (sites: string[]) =>
	count(
		`select count(*) as n from flag f join dosing_session ds on ds.id = f.dosing_session_id
		 join participant p on p.id = ds.participant_id
		 where f.rule_id like 'vitals%' and f.auto_closed = 0 and ds.entered_in_error_at is null
		   and ${inSites(sites)}`
	);

const MADRS_VISITS = ['SCR', 'BL', 'INT1b', 'INT2b', 'FU1M', 'FU2M', 'FU6M', 'FU12M'];

const contexts: BrowserContext[] = [];

/** A page signed in as this user, in a context of its own (cookies are per context). */
async function signedIn(email: string, javaScriptEnabled = true): Promise<Page> {
	const context = await openContext({ javaScriptEnabled });
	contexts.push(context);
	const page = await context.newPage();
	await signIn(page, email);
	await page.waitForURL((url) => url.pathname !== '/login');
	return page;
}

/** The summary table's n column, by visit code. */
async function summaryCounts(page: Page): Promise<Record<string, number>> {
	const rows = await page.locator('table.summary tbody tr').all();
	const out: Record<string, number> = {};
	for (const row of rows) {
		const visit = (await row.locator('th').innerText()).split(' · ')[0]!;
		out[visit] = Number(await row.locator('td').first().innerText());
	}
	return out;
}

const expectedCounts = async (sites: string[]) =>
	Object.fromEntries(
		await Promise.all(MADRS_VISITS.map(async (v) => [v, await madrsAt(sites, v)] as const))
	);

describe('dashboards', () => {
	afterAll(async () => {
		for (const context of contexts) await context.close();
	});

	it('cohort: the investigator sees n per visit at their site, accessibly', async () => {
		const page = await signedIn(INVESTIGATOR);
		const res = await page.goto('/cohort');
		expect(res?.status()).toBe(200);
		await expect.poll(() => page.locator('canvas').count()).toBeGreaterThan(0);
		expect(await summaryCounts(page)).toEqual(await expectedCounts(['01']));
		await expect
			.poll(() => page.getByRole('link', { name: /Download CSV \(8 rows\)/ }).count())
			.toBeGreaterThan(0);
		// Time to relapse: overall only for a blinded investigator, never an arm's name.
		const relapse = page.locator('section[aria-labelledby="relapse-h"]');
		expect(await relapse.textContent()).toMatch(/MADRS ≥ 22 at 2 consecutive assessments/);
		expect(await relapse.textContent()).toMatch(/Overall only: arms stay concealed/);
		expect(await relapse.textContent()).not.toMatch(/Placebo with therapy|MDMA-assisted therapy/);
		await expectAccessible(page);
		await page.close();
	});

	it("cohort: a follow-up's points are listed from the CSV when their table opens", async () => {
		const page = await signedIn(INVESTIGATOR);
		await page.goto('/cohort');
		const explore = page.locator('section[aria-labelledby="explore-h"]');
		const link = explore.locator('a.csv').first();
		const count = Number(/\((\d+) rows\)/.exec(await link.innerText())![1]);
		const href = (await link.getAttribute('href'))!;
		expect(href).toMatch(/^\/cohort\/points\.csv\?at=FU/);
		const csv = await page.request.get(href);
		expect(csv.status()).toBe(200);
		expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
		const lines = (await csv.text()).trimEnd().split('\r\n');
		expect(lines[0]).toBe('Participant,Site,Dose group,Baseline,Total,% change');
		expect(lines).toHaveLength(count + 1);
		// The demo enrols over ~14 months: site 01 has participants past their 6-month follow-up.
		expect(count).toBeGreaterThan(0);
		// The page carries what the chart draws, not who: the table is listed from the CSV.
		expect(await page.content()).not.toContain(lines[1]!.split(',')[0]);
		const table = explore.locator('details.chart-data').first();
		await table.locator('summary').click();
		const rows = table.locator('tbody tr');
		// The table shows what the CSV holds, row by row (no commas in these fields). Until the CSV
		// arrives its one row says so: with one point, a count alone would pass before it is listed.
		const firstRow = async () => (await rows.first().locator('td').allInnerTexts()).join(',');
		await expect.poll(firstRow).toBe(lines[1]);
		expect(await rows.count()).toBe(count);
		// The investigator reads site 01 only.
		for (const line of lines.slice(1)) expect(line.split(',')[1]).toBe('01');
		await expectAccessible(page);
		await page.close();
	});

	it('cohort: the by-site tables are listed when opened, as the CSV and the summary count them', async () => {
		const page = await signedIn(AUDITOR);
		await page.goto('/cohort');
		const bySite = page.locator('section[aria-labelledby="site-h"]');
		const link = bySite.locator('a.csv');
		const count = Number(/\((\d+) rows\)/.exec(await link.innerText())![1]);
		// Sites 01 and 02, each at the 8 MADRS visits.
		expect(count).toBe(2 * MADRS_VISITS.length);
		const href = (await link.getAttribute('href'))!;
		expect(href).toMatch(/^\/cohort\/groups\.csv\?by=site/);
		const csv = await page.request.get(href);
		expect(csv.status()).toBe(200);
		const lines = (await csv.text()).trimEnd().split('\r\n');
		expect(lines[0]).toBe('Site,Visit,n,Mean,95 % CI lower,95 % CI upper');
		expect(lines).toHaveLength(count + 1);
		// The means table: listed once opened, row for row the CSV.
		const means = bySite.locator('details.chart-data');
		await means.locator('summary').click();
		const rows = means.locator('tbody tr');
		await expect.poll(() => rows.count()).toBe(count);
		const shown = await rows.evaluateAll((trs) =>
			trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent).join(','))
		);
		expect(shown).toEqual(lines.slice(1));
		// Each site's n at a visit adds up to the summary's n (sites 01 and 02 are all the auditor's).
		const summary = await summaryCounts(page);
		for (const visit of MADRS_VISITS) {
			const n = shown.map((l) => l.split(',')).filter((c) => c[1] === visit);
			expect(
				n.reduce((sum, c) => sum + Number(c[2]), 0),
				visit
			).toBe(summary[visit]);
		}
		// Response and remission by site: listed once opened, n/N (%) with the percentage from n/N.
		const rates = bySite.locator('details.rates');
		expect(await rates.locator('tbody tr').count()).toBe(1);
		await rates.locator('summary').click();
		await expect.poll(() => rates.locator('tbody tr').count()).toBe(count);
		const cells = await rates.locator('tbody tr td').allInnerTexts();
		for (const cell of cells.filter((c) => c.includes('/'))) {
			const [, n, of, percent] = /^(\d+)\/(\d+) \(([\d.]+) %\)$/.exec(cell)!;
			expect(Math.abs(Number(percent) - (100 * Number(n)) / Number(of))).toBeLessThanOrEqual(0.05);
		}
		await expectAccessible(page);
		await page.close();
	});

	it('cohort without JavaScript: the by-site rates table links to the page with both tables listed', async () => {
		const page = await signedIn(AUDITOR, false);
		expect((await page.goto('/cohort?dose=120+mg'))?.status()).toBe(200);
		const rates = page.locator('details#by-site-rates');
		await rates.locator('summary').click();
		expect(await rates.locator('tbody tr').count()).toBe(1);
		await rates.getByRole('link', { name: 'List them here' }).click();
		await page.waitForURL(/list=by-site/);
		// The filter stays; both by-site tables are open with the rows the server listed.
		expect(new URL(page.url()).searchParams.get('dose')).toBe('120 mg');
		const bySite = page.locator('section[aria-labelledby="site-h"]');
		const count = 2 * MADRS_VISITS.length;
		expect(await bySite.locator('details.chart-data').getAttribute('open')).not.toBeNull();
		expect(await bySite.locator('details.chart-data tbody tr').count()).toBe(count);
		expect(await rates.getAttribute('open')).not.toBeNull();
		expect(await rates.locator('tbody tr').count()).toBe(count);
		expect(await rates.locator('tbody th').first().innerText()).toBe('01');
		// The dose-group tables were not asked for.
		const byDose = page.locator('section[aria-labelledby="dose-h"]');
		expect(await byDose.locator('details.rates tbody tr').count()).toBe(1);
		await page.close();
	});

	it('cohort: the auditor of both sites counts both; a site filter narrows to one', async () => {
		const page = await signedIn(AUDITOR);
		await page.goto('/cohort');
		expect(await summaryCounts(page)).toEqual(await expectedCounts(['01', '02']));
		await page.getByLabel('Site', { exact: true }).selectOption('02');
		await page.getByRole('button', { name: 'Show' }).click();
		await page.waitForURL(/site=02/);
		expect(await summaryCounts(page)).toEqual(await expectedCounts(['02']));
		await page.goto('/safety-signals');
		expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Safety signals');
		await page.close();
	});

	it('safety signals: dosed, sessions, any-AE incidence and breaches from the database', async () => {
		// Other browser tests write to the same server while this page is read: each number shown
		// must lie between the database's counts just before and just after the page was built.
		const counts = async () => ({
			dosed: await dosedParticipants(['01']),
			sessions: await dosingSessions(['01']),
			withAe: await participantsWithAe(['01']),
			breaches: await breaches(['01'])
		});
		const page = await signedIn(INVESTIGATOR);
		const before = await counts();
		const res = await page.goto('/safety-signals');
		const after = await counts();
		expect(res?.status()).toBe(200);
		const between = (shown: number, key: keyof typeof before) => {
			expect(shown, key).toBeGreaterThanOrEqual(before[key]);
			expect(shown, key).toBeLessThanOrEqual(after[key]);
		};
		const [dosed, sessions] = await page.locator('.lead strong').allInnerTexts();
		between(Number(dosed), 'dosed');
		between(Number(sessions), 'sessions');
		const any = page.locator('table.grades tbody tr').first();
		expect(await any.locator('th').innerText()).toBe('Any adverse event');
		const anyText = await any.locator('td').first().innerText();
		if (Number(dosed) === 0) {
			expect(anyText).toBe('—');
		} else {
			const m = /^(\d+)\/(\d+) \(/.exec(anyText);
			expect(m, anyText).not.toBeNull();
			between(Number(m![1]), 'withAe');
			expect(Number(m![2])).toBe(Number(dosed));
			// The by-site table, printed in the browser from per-site counts once its section is
			// opened (it is not sent as markup): site 01's cell reads as the total's.
			const section = page.locator('details#ae-by-site');
			expect(await section.locator('table').count()).toBe(0);
			await section.locator('summary').click();
			const bySite = section.getByRole('table', {
				name: 'Participants with the event among those dosed, per site'
			});
			await bySite.waitFor();
			const heads = await bySite.locator('thead th').allInnerTexts();
			expect(heads).toContain('Site 01');
			const anyBySite = bySite.locator('tbody tr', { hasText: 'Any adverse event' });
			expect(
				await anyBySite
					.locator('td')
					.nth(heads.indexOf('Site 01') - 1)
					.innerText()
			).toBe(anyText);
		}
		// A chart's data table is listed once opened, with the rows its CSV holds.
		const terms = page.locator('section[aria-labelledby="terms-h"]');
		const termRows = Number(
			/\((\d+) rows\)/.exec(await terms.locator('a.csv').first().innerText())![1]
		);
		await terms.locator('details.chart-data summary').click();
		await expect
			.poll(() => terms.locator('details.chart-data tbody tr').count())
			.toBe(Math.max(termRows, 1));
		await page.locator('details#breaches-by-site summary').click();
		const site = page
			.getByRole('table', { name: 'Vital-sign breaches per 100 dosing sessions, by site' })
			.locator('tbody tr', { hasText: '01' });
		if (Number(sessions) > 0) {
			between(Number(await site.locator('td').nth(1).innerText()), 'breaches');
		}
		await expectAccessible(page);
		await page.close();
	});

	it('safety signals without JavaScript: a by-site section links to the page with its table listed', async () => {
		const page = await signedIn(INVESTIGATOR, false);
		expect((await page.goto('/safety-signals?site=01'))?.status()).toBe(200);
		const section = page.locator('details#ae-by-site');
		await section.locator('summary').click();
		expect(await section.locator('table').count()).toBe(0);
		await section.getByRole('link', { name: 'List it here' }).click();
		await page.waitForURL(/list=ae-by-site/);
		// The filters stay; the section is open with the table the server listed.
		expect(new URL(page.url()).searchParams.get('site')).toBe('01');
		expect(await page.locator('details#ae-by-site').getAttribute('open')).not.toBeNull();
		const bySite = page.getByRole('table', {
			name: 'Participants with the event among those dosed, per site'
		});
		expect(await bySite.locator('thead th').allInnerTexts()).toEqual(['Term', 'Site 01']);
		expect(await bySite.locator('tbody th').first().innerText()).toBe('Any adverse event');
		expect(await page.locator('details#breaches-by-site table').count()).toBe(0);
		await page.close();
	});

	it('the dashboards are closed to coordinators', async () => {
		const page = await signedIn(COORDINATOR);
		expect((await page.goto('/cohort'))?.status()).toBe(403);
		expect((await page.goto('/safety-signals'))?.status()).toBe(403);
		await page.close();
	});
});
