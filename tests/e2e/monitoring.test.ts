// The monitor (CRA) at work: a query raised, answered and closed; source data verification that
// a later change resets visibly; the monitoring overview.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openContext, signIn } from './setup/browser';
import { enrolParticipant } from './setup/clinical';
import { noCriteria } from '../helpers/fixtures';

/** An adverse event recorded through the JSON API with the coordinator's session; its page path. */
async function adverseEvent(page: Page): Promise<string> {
	await enrolParticipant(page);
	const participantId = new URL(page.url()).pathname.split('/').pop();
	const created = await page.evaluate(
		async ({ id, criteria }) => {
			const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;
			const res = await fetch(`/api/v1/participants/${id}/adverse-events`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					verbatimTerm: 'headache after the dose',
					codedTermCode: 'VIG-0003',
					// Whole minutes, as the page's form keeps them: a correction then leaves them as they are.
					onsetAt: new Date(minute(Date.now() - 3 * 3_600_000)).toISOString(),
					awareAt: new Date(minute(Date.now() - 2 * 3_600_000)).toISOString(),
					severity: '1',
					criteria,
					relatedness: 'possible',
					expectedness: 'expected',
					actionTaken: 'dose-not-changed',
					outcome: 'recovering'
				})
			});
			return (await res.json()) as { id: number };
		},
		{ id: participantId, criteria: noCriteria }
	);
	return `/adverse-events/${created.id}`;
}

describe('a monitor queries and verifies a record', () => {
	let coordinator: BrowserContext;
	let monitor: BrowserContext;
	beforeAll(async () => {
		coordinator = await openContext();
		monitor = await openContext();
	});
	afterAll(async () => {
		await coordinator.close();
		await monitor.close();
	});

	it('raises a query the site answers and the monitor closes; a correction resets SDV visibly', async () => {
		const c = await coordinator.newPage();
		await signIn(c, 'coordinator@demo.vigil.test');
		await c.waitForURL('**/sites');
		const path = await adverseEvent(c);

		const m = await monitor.newPage();
		await signIn(m, 'monitor@demo.vigil.test');
		await m.waitForURL('**/monitoring');
		await expect.poll(() => m.locator('h1').textContent()).toBe('Monitoring');
		await expectAccessible(m);

		await m.goto(path);
		await m.getByLabel('Field').selectOption({ label: 'Outcome' });
		await m.getByLabel('Question').fill('The source says recovered; please check the outcome.');
		await m.getByRole('button', { name: 'Raise query' }).click();
		await expect.poll(() => m.locator('li.query').first().getAttribute('data-status')).toBe('open');
		// Every field the protocol lists for an adverse event, verified in one act.
		await m.getByRole('button', { name: /^Verify all \d+ outstanding fields$/ }).click();
		await expect.poll(() => m.locator('p[data-sdv]').getAttribute('data-sdv')).toBe('verified');
		expect(await m.locator('tr[data-sdv="verified"]').count()).toBeGreaterThan(5);
		await expectAccessible(m);

		await c.goto(path);
		await c.getByLabel('Answer').fill('Checked: still recovering at the last visit.');
		await c.getByRole('button', { name: 'Send answer' }).click();
		await expect
			.poll(() => c.locator('li.query').first().getAttribute('data-status'))
			.toBe('answered');
		// A note (no field SDV covers) and the outcome (one it does) are corrected.
		await c.locator('#notes').fill('Headache eased with rest.');
		await c.locator('#outcome').selectOption('not-recovered');
		await c.getByLabel('Reason for the correction').fill('Notes added after the monitor query');
		await c.getByRole('button', { name: 'Save correction' }).click();
		await expect.poll(() => c.locator('main').textContent()).toContain('Correction saved');

		await m.reload();
		await expect.poll(() => m.locator('p[data-sdv]').getAttribute('data-sdv')).toBe('changed');
		expect(await m.locator('p[data-sdv]').textContent()).toContain('Changed since verified');
		// Only the outcome went back; the other fields stay verified.
		expect(
			await m
				.locator('tr[data-sdv="changed"]')
				.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')))
		).toEqual(['outcome']);
		expect(await m.locator('tr[data-field="severity"]').getAttribute('data-sdv')).toBe('verified');
		expect(await m.locator('li.query').first().textContent()).toContain(
			'Checked: still recovering'
		);
		await m.getByRole('button', { name: 'Close query' }).click();
		await expect
			.poll(() => m.locator('li.query').first().getAttribute('data-status'))
			.toBe('closed');

		await m.goto('/monitoring?status=closed');
		await expect.poll(() => m.locator(`a[href="${path}"]`).count()).toBeGreaterThan(0);
	});
});

describe('the SDV worksheet', () => {
	it("shows a participant's required records field by field; a monitor verifies one field, then the rest", async () => {
		const context = await openContext();
		try {
			const m = await context.newPage();
			await signIn(m, 'monitor@demo.vigil.test');
			await m.waitForURL('**/monitoring');
			// A participant with something still to verify, from the progress table.
			const sdvTable = m.locator('table', {
				has: m.locator('caption', { hasText: 'SDV progress' })
			});
			const rows = sdvTable.locator('tbody tr:not(.site-row)');
			const count = await rows.count();
			let opened = false;
			for (let i = 0; i < count && !opened; i++) {
				const cells = await rows.nth(i).locator('td').allTextContents();
				if (Number(cells[3]) > Number(cells[4])) {
					await rows.nth(i).locator('a').click();
					opened = true;
				}
			}
			expect(opened).toBe(true);
			await m.waitForURL('**/monitoring/participants/*');
			await expect.poll(() => m.locator('h1').textContent()).toContain('Source data verification');
			await expectAccessible(m);

			const record = m.locator('section.sdv-record:has(tr[data-sdv="pending"])').first();
			const key = await record.getAttribute('data-record');
			const here = m.locator(`section[data-record="${key}"]`);
			const field = await here.locator('tr[data-sdv="pending"]').first().getAttribute('data-field');
			const pendingBefore = await here.locator('tr[data-sdv="pending"]').count();
			await here.locator(`tr[data-field="${field}"] button`).click();
			await expect
				.poll(() => here.locator(`tr[data-field="${field}"]`).getAttribute('data-sdv'))
				.toBe('verified');
			expect(await here.locator('tr[data-sdv="pending"]').count()).toBe(pendingBefore - 1);

			await here.getByLabel('Against').fill('clinic chart');
			await here.getByRole('button', { name: /^Verify all \d+ outstanding fields$/ }).click();
			await expect
				.poll(() => here.locator('p[data-sdv]').getAttribute('data-sdv'))
				.toBe('verified');
			expect(await here.locator('tr[data-sdv="pending"]').count()).toBe(0);
			expect(await here.textContent()).toContain('against clinic chart');
			await expectAccessible(m);
		} finally {
			await context.close();
		}
	});
});
