import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, signedInAll } from './setup/browser';
import { enrolParticipant } from './setup/clinical';
import { overflowing, smallTargets } from './setup/layout';
import { startSession, typeRow } from './setup/session';

describe.each([
	{ name: 'a bedside tablet', width: 768, height: 1024 },
	{ name: 'a phone', width: 390, height: 844 }
])('the session screen on $name ($width × $height)', ({ width, height }) => {
	let page: Page;
	signedInAll('coordinator@demo.vigil.test', (s) => (page = s.page), {
		viewport: { width, height }
	});

	it('has no sideways scrolling, fingertip-sized controls and no accessibility violations', async () => {
		await enrolParticipant(page);
		await startSession(page, 60);
		await page.waitForLoadState('networkidle');
		// A saved row, a late row with its flag, and a row refused with its messages.
		await typeRow(page, ['124', '80', '72', '36.8']);
		await page.locator('[data-row="-30"].saved').waitFor();
		await typeRow(page, ['400', '85', '77', '98.6F']);
		await page.locator('form[data-row="30"] .row-messages').waitFor();

		const o = await overflowing(page);
		expect(o.wide).toEqual([]);
		expect(o.scrollWidth).toBeLessThanOrEqual(o.width);
		expect(await smallTargets(page)).toEqual([]);
		// Every value of a row is visible, with what it is, on the screen (not only to a reader).
		const row = page.locator('form[data-row="60"]');
		for (const field of ['Systolic', 'Diastolic', 'Heart rate', 'Temp.', 'Unit', 'Position']) {
			expect(await row.getByText(field, { exact: false }).first().isVisible()).toBe(true);
		}
		await expectAccessible(page);

		// Correct opens the row for correction; it fits too.
		await page.getByRole('link', { name: 'Correct PRE-DOSE' }).click();
		await page.locator('form[data-row="-30"]').waitFor();
		expect((await overflowing(page)).wide).toEqual([]);
		expect(await smallTargets(page)).toEqual([]);
		await expectAccessible(page);
	}, 120_000);
});
