// A slow bedside tablet: the server's page is on screen and typed into before its scripts have
// run. Holding the app's scripts back (routed and released by the test) shows what a nurse sees
// then: what was typed is still there once the page has hydrated, and it is what gets saved.
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContext, signIn } from './setup/browser';
import { enrolParticipant, osloLocal } from './setup/clinical';
import { startSession } from './setup/session';

/** Holds the app's scripts until released; returns the release. */
async function holdScripts(
	page: Page
): Promise<{ held: () => number; release: () => Promise<void> }> {
	const held: Route[] = [];
	let holding = true;
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		if (holding) held.push(route);
		else await route.continue();
	});
	return {
		held: () => held.length,
		release: async () => {
			holding = false;
			for (const route of held.splice(0)) await route.continue();
		}
	};
}

/**
 * The page has hydrated: Svelte has taken over the field (it keeps its attribute cache on the
 * element, a symbol described 'attributes'), and every script has arrived.
 */
async function hydrated(page: Page, selector: string): Promise<void> {
	await page.waitForFunction((s) => {
		const el = document.querySelector(s);
		return !!el && Object.getOwnPropertySymbols(el).some((x) => x.description === 'attributes');
	}, selector);
	await page.waitForLoadState('networkidle');
}

describe('typing into a page before its scripts have run', () => {
	let context: BrowserContext;
	let page: Page;
	let participant = '';
	beforeAll(async () => {
		// No service worker: it would answer the script requests the test holds back.
		context = await openContext({ serviceWorkers: 'block' });
		page = await context.newPage();
		await page.setViewportSize({ width: 768, height: 1024 });
		await signIn(page, 'coordinator@demo.vigil.test');
		await page.waitForURL('**/sites');
		await enrolParticipant(page);
		participant = new URL(page.url()).pathname.split('/')[2]!;
	});
	afterAll(async () => {
		await context.close();
	});

	it('the session screen keeps a typed reading and the supplemental answer, and saves them', async () => {
		await startSession(page, 70);
		const url = page.url();
		const scripts = await holdScripts(page);
		await page.goto(url, { waitUntil: 'domcontentloaded' });
		await page.locator('#r-30-systolic').click();
		await page.keyboard.type('124');
		await page.locator('#r-30-diastolic').click();
		await page.keyboard.type('80');
		await page.locator('#r-30-heartRate').click();
		await page.keyboard.type('72');
		await page.locator('#r-30-temperature').click();
		await page.keyboard.type('98.6');
		await page.locator('#r-30-unit').selectOption('F');
		await page.locator('#r-30-position').selectOption('SUPINE');
		await page.getByRole('radio', { name: 'Not given' }).check();
		await page.getByLabel('If not given, why').fill('Participant declined');
		expect(scripts.held()).toBeGreaterThan(0);

		await scripts.release();
		await hydrated(page, '#r-30-systolic');
		expect(await page.locator('#r-30-systolic').inputValue()).toBe('124');
		expect(await page.locator('#r-30-diastolic').inputValue()).toBe('80');
		expect(await page.locator('#r-30-heartRate').inputValue()).toBe('72');
		expect(await page.locator('#r-30-temperature').inputValue()).toBe('98.6');
		expect(await page.locator('#r-30-unit').inputValue()).toBe('F');
		expect(await page.locator('#r-30-position').inputValue()).toBe('SUPINE');
		expect(await page.getByRole('radio', { name: 'Not given' }).isChecked()).toBe(true);
		expect(await page.getByLabel('If not given, why').inputValue()).toBe('Participant declined');

		await page.locator('#r-30-systolic').press('Enter');
		const saved = page.locator('[data-row="-30"].saved');
		await saved.waitFor();
		expect(await saved.textContent()).toContain('124');
		expect(await saved.textContent()).toContain('37'); // 98.6 °F stored as 37.0 °C
		expect(await saved.textContent()).toContain('supine');

		await page.getByRole('button', { name: 'Save supplemental dose' }).click();
		await expect
			.poll(() => page.locator('dl.facts').textContent())
			.toContain('Not given: Participant declined');
	});

	it('the adverse-event form keeps what was typed and chosen', async () => {
		const onset = osloLocal(60);
		const scripts = await holdScripts(page);
		await page.goto(`/participants/${participant}/adverse-events/new`, {
			waitUntil: 'domcontentloaded'
		});
		await page.getByLabel('Verbatim term').fill('Headache after the dose');
		await page.getByLabel('Onset').fill(onset);
		await page.getByRole('radio', { name: 'Grade 2 – Moderate' }).check();
		await page.getByLabel('Outcome').selectOption('recovering');
		expect(scripts.held()).toBeGreaterThan(0);

		await scripts.release();
		await hydrated(page, '#verbatimTerm, [name="verbatimTerm"]');
		expect(await page.getByLabel('Verbatim term').inputValue()).toBe('Headache after the dose');
		expect(await page.getByLabel('Onset').inputValue()).toBe(onset);
		expect(await page.getByRole('radio', { name: 'Grade 2 – Moderate' }).isChecked()).toBe(true);
		expect(await page.getByLabel('Outcome').inputValue()).toBe('recovering');
	});

	it('the scale form keeps the typed items, and its live total counts them', async () => {
		const scripts = await holdScripts(page);
		await page.goto(`/participants/${participant}/scales/new?instrument=MADRS`, {
			waitUntil: 'domcontentloaded'
		});
		const baseline = await page
			.locator('#visitId option', { hasText: 'BL · Baseline' })
			.getAttribute('value');
		await page.locator('#visitId').selectOption(baseline!);
		for (let i = 1; i <= 10; i += 1) await page.locator(`#items-${i}`).fill('2');
		expect(scripts.held()).toBeGreaterThan(0);

		await scripts.release();
		await hydrated(page, '#items-1');
		expect(await page.locator('#visitId').inputValue()).toBe(baseline);
		for (let i = 1; i <= 10; i += 1) {
			expect(await page.locator(`#items-${i}`).inputValue()).toBe('2');
		}
		await expect.poll(() => page.locator('.live-total').textContent()).toContain('Total 20');
		await page.getByRole('button', { name: 'Save MADRS' }).click();
		await page.waitForURL(/\/scales\/\d+$/);
		expect(await page.locator('.scale-result').textContent()).toContain('20');
		expect(await page.locator('dl.facts').textContent()).toContain('BL · Baseline');
	});
});
