// Response, remission, sustained remission and relapse on a demo participant's timeline, as the
// protocol defines them (the demo study seeds a few relapses: demo/relapse.ts): marked on the MADRS
// chart with a legend, and the same facts as text (a table of outcomes, and a column of the chart's
// data table), readable without the canvas.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openContext, signIn } from './setup/browser';

const AUDITOR = 'auditor@demo.vigil.test'; // sites 01 and 02

/** The first demo participant whose timeline lists a relapse. */
async function relapsedParticipant(page: Page): Promise<string> {
	for (const site of ['01', '02']) {
		await page.goto(`/sites/${site}`);
		const links = await page
			.locator('a[href^="/participants/"]')
			.evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
		for (const href of [...new Set(links)].filter((h) => /^\/participants\/\d+$/.test(h))) {
			await page.goto(`${href}/timeline`);
			const outcomes = page.locator('table.outcomes tbody tr.relapse');
			if ((await outcomes.count()) > 0) return href;
		}
	}
	throw new Error('No demo participant with a relapse on their timeline');
}

describe('durability on the participant timeline', () => {
	let auditor: BrowserContext;
	beforeAll(async () => {
		auditor = await openContext();
	});
	afterAll(async () => {
		await auditor.close();
	});

	it('a demo participant who relapsed: the outcomes in a table and on the chart’s data, with a legend', async () => {
		const page = await auditor.newPage();
		await signIn(page, AUDITOR);
		await page.waitForURL((u) => !u.pathname.startsWith('/login'));
		const href = await relapsedParticipant(page);
		expect(href).toMatch(/^\/participants\/\d+$/);

		const box = page.locator('.durability');
		// The legend names every mark in words, not by colour or shape alone.
		expect(await box.locator('ul.legend li').allTextContents()).toEqual([
			expect.stringContaining('Response'),
			expect.stringContaining('Remission'),
			expect.stringContaining('Sustained remission'),
			expect.stringContaining('Relapse')
		]);
		expect(await box.locator('p.hint').textContent()).toMatch(
			/relapse: MADRS ≥ 22 at 2 consecutive assessments 5–15 days apart/
		);
		const kinds = await box.locator('table.outcomes tbody tr th').allTextContents();
		expect(kinds.map((k) => k.trim().replace(/^\S+\s+/, ''))).toEqual(
			expect.arrayContaining(['Remission', 'Relapse'])
		);
		const relapse = box.locator('table.outcomes tbody tr.relapse');
		expect(await relapse.locator('td').first().textContent()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(await relapse.textContent()).toMatch(/MADRS ≥ 22 at 2 consecutive assessments/);
		expect(await box.locator('p.follow-up').textContent()).toMatch(
			/^Relapse \d+ days \([\d.]+ weeks\) after first remission on \d{4}-\d{2}-\d{2}\.$/
		);

		// The chart's data table says which assessment each mark sits on.
		const madrs = page.locator('figure.scale-chart', { hasText: 'MADRS' });
		const data = madrs.locator('details.chart-data');
		await data.locator('summary').click();
		expect(await data.locator('th', { hasText: 'Marked on the chart' }).count()).toBe(1);
		expect(await data.locator('tbody tr', { hasText: 'Relapse' }).count()).toBe(1);
		await expectAccessible(page);
	});
});
