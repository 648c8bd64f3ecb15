import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolParticipant } from './setup/clinical';
import { expectAccessible, openContext, signIn } from './setup/browser';

const COORDINATOR = 'coordinator@demo.vigil.test';
const MADRS = ['3', '3', '3', '3', '3', '3', '3', '3', '3', '3'];

/** Enrols a participant at site 01 through the site page; returns the participant's id. */
async function enrol(page: Page): Promise<string> {
	await enrolParticipant(page);
	return new URL(page.url()).pathname.split('/')[2]!;
}

/** The id of the participant's Baseline visit, read from the entry form's visit list. */
async function baselineVisit(page: Page, participant: string): Promise<string> {
	await page.goto(`/participants/${participant}/scales/new?instrument=MADRS`);
	const value = await page
		.locator('#visitId option', { hasText: 'BL · Baseline' })
		.getAttribute('value');
	return value!;
}

const itemValues = (page: Page) =>
	Promise.all(MADRS.map((_, i) => page.locator(`#items-${i + 1}`).inputValue()));

describe('entering a MADRS', () => {
	let withJs: BrowserContext;
	let withoutJs: BrowserContext;
	let participant: string;
	let visit: string;

	beforeAll(async () => {
		withJs = await openContext();
		withoutJs = await openContext({ javaScriptEnabled: false });
		const page = await withJs.newPage();
		await signIn(page, COORDINATOR);
		await page.waitForURL('**/sites');
		participant = await enrol(page);
		visit = await baselineVisit(page, participant);
	});
	afterAll(async () => {
		await withJs.close();
		await withoutJs.close();
	});

	it('with the keyboard only: a digit, Tab, and Enter to save; the total shows', async () => {
		const page = await withJs.newPage();
		await page.goto(`/participants/${participant}/scales/new?instrument=MADRS&visit=${visit}`);
		expect(await page.locator('#visitId').inputValue()).toBe(visit);
		await expectAccessible(page);
		await page.locator('#items-1').focus();
		for (const [i, digit] of MADRS.entries()) {
			await page.keyboard.type(digit);
			if (i < MADRS.length - 1) await page.keyboard.press('Tab');
		}
		await expect.poll(() => page.locator('.live-total').textContent()).toContain('Total 30');
		await page.keyboard.press('Enter');
		await page.waitForURL(/\/scales\/\d+$/);
		expect(await page.locator('.scale-result').textContent()).toContain('30 · Moderate');
		expect(await page.locator('dl.facts').textContent()).toContain('BL · Baseline');
		await expectAccessible(page);
	});

	it('an out-of-range item shows its own error and keeps every typed value', async () => {
		const page = await withJs.newPage();
		await page.goto(`/participants/${participant}/scales/new?instrument=MADRS&visit=${visit}`);
		const typed = MADRS.map((d, i) => (i === 2 ? '7' : d));
		await page.locator('#items-1').focus();
		for (const digit of typed) {
			await page.keyboard.type(digit);
			await page.keyboard.press('Tab');
		}
		await page.getByRole('button', { name: 'Save MADRS' }).click();
		await expect
			.poll(() => page.locator('#items-3-errors').textContent())
			.toContain('Item 3 must be a whole number from 0 to 6');
		expect(await page.locator('#items-1-errors').count()).toBe(0);
		expect(await itemValues(page)).toEqual(typed);
		expect(await page.locator('#visitId').inputValue()).toBe(visit);
		await expectAccessible(page);
	});

	it('works with JavaScript off: refused, kept, fixed, saved and corrected', async () => {
		const page = await withoutJs.newPage();
		await signIn(page, COORDINATOR);
		await page.waitForURL('**/sites');
		await page.goto(`/participants/${participant}/scales/new?instrument=MADRS&visit=${visit}`);
		const typed = MADRS.map((d, i) => (i === 9 ? '7' : d));
		for (const [i, digit] of typed.entries()) await page.locator(`#items-${i + 1}`).fill(digit);
		await page.getByRole('button', { name: 'Save MADRS' }).click();
		await page.locator('#items-10-errors').waitFor();
		expect(await itemValues(page)).toEqual(typed);
		await page.locator('#items-10').fill('5');
		await page.getByRole('button', { name: 'Save MADRS' }).click();
		await page.waitForURL(/\/scales\/\d+$/);
		expect(await page.locator('.scale-result').textContent()).toContain('32 · Moderate');

		// A changed saved answer needs a reason.
		await page.locator('#items-1').fill('4');
		await page.getByRole('button', { name: 'Save correction' }).click();
		await page.locator('#reason-errors').waitFor();
		expect(await page.locator('#items-1').inputValue()).toBe('4');
		await page.getByLabel('Reason for the change').fill('item 1 misheard');
		await page.getByRole('button', { name: 'Save correction' }).click();
		await expect.poll(() => page.locator('.scale-result').textContent()).toContain('33');
	});
});
