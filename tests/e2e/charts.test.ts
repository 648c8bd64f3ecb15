// The session chart (live), the participant safety timeline and the site overview, through the
// pages a coordinator uses. Every count is of records this file makes itself.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, openContext, signIn, signedInAll } from './setup/browser';
import { enrolParticipant, osloLocal, startSession } from './setup/clinical';

const COORDINATOR = 'coordinator@demo.vigil.test';
const NO = [
	'Results in death',
	'Is life-threatening',
	'Requires or prolongs inpatient hospitalisation',
	'Results in persistent or significant disability or incapacity',
	'Is a congenital anomaly or birth defect',
	'Is an important medical event'
];

/**
 * Types one row: when it was measured (the time field before systolic), then its values; Enter
 * saves. Readings carry their measured time, so each is typed as taken near its plan.
 */
async function typeRow(page: Page, key: string, values: string[], time: string): Promise<void> {
	await page.locator(`#r${key}-systolic`).focus();
	await page.keyboard.press('Shift+Tab');
	await page.keyboard.type(time);
	await page.keyboard.press('Tab');
	for (const [i, value] of values.entries()) {
		if (i > 0) await page.keyboard.press('Tab');
		await page.keyboard.type(value);
	}
	await page.keyboard.press('Enter');
	await page.locator(`[data-row="${key}"].saved`).waitFor();
}

/** A MADRS of all 3s (total 30) at the Baseline visit, given `minutesAgo`. */
async function recordMadrs(page: Page, participant: string, minutesAgo: number): Promise<void> {
	await page.goto(`/participants/${participant}/scales/new?instrument=MADRS`);
	const visit = await page
		.locator('#visitId option', { hasText: 'BL · Baseline' })
		.getAttribute('value');
	await page.locator('#visitId').selectOption(visit!);
	await page.getByLabel('Given at').fill(osloLocal(minutesAgo));
	await page.locator('#items-1').focus();
	for (let i = 1; i <= 10; i++) {
		await page.keyboard.type('3');
		if (i < 10) await page.keyboard.press('Tab');
	}
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/scales\/\d+$/);
}

/** An ongoing, non-serious grade 2 nausea that began `minutesAgo`. */
async function recordNausea(page: Page, participant: string, minutesAgo: number): Promise<void> {
	await page.goto(`/participants/${participant}/adverse-events/new`);
	await page.getByLabel('Verbatim term').fill('felt sick');
	await page.keyboard.press('Tab');
	await page.keyboard.type('Nausea');
	await page.getByLabel('Onset').fill(osloLocal(minutesAgo));
	await page.getByLabel('Site became aware').fill(osloLocal(minutesAgo - 5));
	await page.getByRole('radio', { name: 'Grade 2 – Moderate' }).press('Space');
	for (const name of NO) {
		await page.getByRole('group', { name }).getByRole('radio', { name: 'No' }).press('Space');
	}
	await page.getByLabel('Relatedness to the study drug').selectOption('possible');
	await page.getByLabel('Expectedness').selectOption('expected');
	await page.getByLabel('Action taken with the study drug').selectOption('dose-not-changed');
	await page.getByLabel('Outcome').selectOption('recovering');
	await page.getByRole('button', { name: 'Record adverse event' }).press('Enter');
	await page.waitForURL(/\/adverse-events\/\d+$/);
}

/** 'HH:mm' in Oslo, `minutesAgo` before now. */
const osloClock = (minutesAgo: number) => osloLocal(minutesAgo).slice(11);

const csvLink = (page: Page, name: RegExp) =>
	page.locator('figure', { has: page.locator('figcaption', { hasText: name }) }).locator('a.csv');
const tableRows = (page: Page, name: RegExp) =>
	page
		.locator('figure', { has: page.locator('figcaption', { hasText: name }) })
		.locator('tbody tr');

const text = async (page: Page, selector: string) =>
	((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe('the dosing session chart, the safety timeline and the site overview', () => {
	let page: Page;
	let participant: string;
	let subject: string;
	let session: string;
	signedInAll(COORDINATOR, (s) => (page = s.page));

	it('the session chart plots the readings in effect; its tables hold exactly those points', async () => {
		subject = await enrolParticipant(page);
		participant = new URL(page.url()).pathname.split('/')[2]!;
		await recordMadrs(page, participant, 300);
		await page.goto(`/participants/${participant}`);
		await startSession(page, 100);
		session = new URL(page.url()).pathname.split('/')[2]!;
		// T0 was 100 minutes ago.
		await typeRow(page, '-30', ['124', '80', '72', '36.8'], osloClock(130));
		await typeRow(page, '30', ['150', '92', '95', ''], osloClock(70));
		await typeRow(page, '60', ['168', '101', '118', '37.9'], osloClock(40));
		await typeRow(page, '90', ['128', '82', '88', ''], osloClock(10));
		// The 90-minute reading belonged to someone else: entered in error, so not plotted.
		const ninety = page.locator('[data-row="90"]');
		await ninety.getByRole('link', { name: 'Correct' }).click();
		await ninety.getByLabel(/or for marking it entered in error/).fill('another participant');
		await ninety.getByRole('button', { name: 'Entered in error' }).click();
		await expect.poll(() => page.locator('ul.struck li').count()).toBe(1);

		await page.goto(`/sessions/${session}/chart`);
		// Chart.js styles the canvases it has drawn on.
		await expect.poll(() => page.locator('canvas[style*="box-sizing"]').count()).toBe(2);
		expect(await csvLink(page, /Blood pressure/).textContent()).toBe('Download CSV (3 rows)');
		expect(await tableRows(page, /Blood pressure/).count()).toBe(3);
		expect(await tableRows(page, /Temperature/).count()).toBe(2);
		const sixty = tableRows(page, /Blood pressure/).filter({ hasText: '1 H POST-DOSE' });
		expect(await sixty.textContent()).toContain('action (systolic)');
		expect(
			await tableRows(page, /Temperature/)
				.last()
				.textContent()
		).toContain('notify (temperature)');
		await expectAccessible(page);
	});

	it('a live chart gains a reading saved in another browser, without a reload', async () => {
		await page.goto(`/sessions/${session}/chart`);
		await expect.poll(() => page.locator('p.live').textContent()).toContain('Live');
		await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
		const other = await openContext();
		try {
			const grid = await other.newPage();
			await signIn(grid, COORDINATOR);
			await grid.waitForURL('**/sites');
			await grid.goto(`/sessions/${session}`);
			await typeRow(grid, '90', ['130', '84', '90', ''], osloClock(8));
		} finally {
			await other.close();
		}
		await expect
			.poll(() => csvLink(page, /Blood pressure/).textContent(), { timeout: 5_000 })
			.toBe('Download CSV (4 rows)');
		expect(await tableRows(page, /Blood pressure/).count()).toBe(4);
		expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe(
			'same page'
		);
	});

	it('the timeline shows the session, the adverse event, the scale and the open flags', async () => {
		await recordNausea(page, participant, 60);
		await page.goto(`/participants/${participant}/timeline`);
		expect(await text(page, 'h1')).toContain(subject);
		expect(await page.locator('article').count()).toBe(1);
		expect(await tableRows(page, /Blood pressure/).count()).toBe(4);
		expect(await tableRows(page, /Temperature/).count()).toBe(2);
		const events = page.locator('table.ae-timeline tbody tr');
		expect(await events.count()).toBe(1);
		expect(await events.textContent()).toContain('Ongoing');
		expect(await tableRows(page, /MADRS/).count()).toBe(1);
		expect(await tableRows(page, /MADRS/).textContent()).toContain('30');
		// 5 action and 4 notify from the readings, MADRS item 10 = 3 (notify).
		expect(await page.locator('table.open-flags tbody tr').count()).toBe(10);
		await expectAccessible(page);
	});

	it('the site overview shows the running session and counts a new enrolment', async () => {
		await page.goto('/sites/01/overview');
		const row = `table.today-sessions tr[data-session="${session}"]`;
		expect(await text(page, row)).toContain('Running');
		expect(await text(page, `${row} td.done`)).toBe('4 / 4');
		expect(await text(page, `${row} td.late`)).toBe('0');
		expect(await text(page, `${row} td.flags`)).toBe('0 / 5 / 4');
		await expectAccessible(page);

		const enrolled = () =>
			page.locator('table.enrolment tr', { hasText: 'Enrolled' }).locator('td').textContent();
		const before = Number(await enrolled());
		await enrolParticipant(page);
		await page.goto('/sites/01/overview');
		expect(Number(await enrolled())).toBe(before + 1);
	});

	it('the overview counts every overdue visit and lists them a page at a time', async () => {
		await page.goto('/sites/01/overview');
		const heading = await text(page, '#visits-h');
		const total = Number(/\((\d+)\)/.exec(heading)?.[1]);
		expect(Number.isInteger(total)).toBe(true);
		const rows = page.locator('table.overdue-visits tbody tr');
		expect(await rows.count()).toBe(Math.min(total, 50));
		const next = page.getByRole('link', { name: 'Next page of overdue visits' });
		expect(await next.count()).toBe(total > 50 ? 1 : 0);
		if (total > 50) {
			const first = await rows.first().textContent();
			await next.click();
			await page.waitForURL(/overdue=/);
			expect(await rows.count()).toBe(Math.min(total - 50, 50));
			expect(await rows.first().textContent()).not.toBe(first);
			await page.getByRole('link', { name: 'First page' }).click();
			await page.waitForURL((u) => !u.search.includes('overdue='));
			expect(await rows.first().textContent()).toBe(first);
		}
		// A spoilt page link shows the first page, not an error.
		const res = await page.goto('/sites/01/overview?overdue=nonsense');
		expect(res?.status()).toBe(200);
		expect(await rows.count()).toBe(Math.min(total, 50));
	});
});
