// The adverse-event and scale entry screens on a bedside tablet and a phone, as the session
// screen is checked (session-layout.test.ts): no sideways scrolling, fingertip-sized controls,
// no accessibility violations (the scale form also with the messages of a refused save).
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openContext, signIn } from './setup/browser';
import { enrolParticipant } from './setup/clinical';
import { overflowing, smallTargets } from './setup/layout';

async function expectFits(page: Page): Promise<void> {
	const o = await overflowing(page);
	expect(o.wide).toEqual([]);
	expect(o.scrollWidth).toBeLessThanOrEqual(o.width);
	expect(await smallTargets(page)).toEqual([]);
	await expectAccessible(page);
}

describe.each([
	{ name: 'a bedside tablet', width: 768, height: 1024 },
	{ name: 'a phone', width: 390, height: 844 }
])('the entry screens on $name ($width × $height)', ({ width, height }) => {
	let context: BrowserContext;
	let page: Page;
	let participant = '';
	beforeAll(async () => {
		context = await openContext();
		page = await context.newPage();
		await page.setViewportSize({ width, height });
		await signIn(page, 'coordinator@demo.vigil.test');
		await page.waitForURL('**/sites');
		await enrolParticipant(page);
		participant = new URL(page.url()).pathname.split('/')[2]!;
	});
	afterAll(async () => {
		await context.close();
	});

	it('the adverse-event form fits', async () => {
		await page.goto(`/participants/${participant}/adverse-events/new`, {
			waitUntil: 'networkidle'
		});
		await expectFits(page);
	}, 90_000);

	it('the MADRS form fits, before and after a refused save', async () => {
		await page.goto(`/participants/${participant}/scales/new?instrument=MADRS`, {
			waitUntil: 'networkidle'
		});
		await expectFits(page);
		await page
			.getByRole('button', { name: /^(Save|Record)/ })
			.first()
			.click();
		await page.locator('[aria-invalid="true"], [role=alert]').first().waitFor();
		await expectFits(page);
	}, 90_000);
});
