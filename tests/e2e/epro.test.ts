// A participant answers PHQ-9 through a one-time link on a phone-sized screen, without an account;
// the link then refuses a second use, and a forged link is refused.
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openContext, signIn } from './setup/browser';
import { enrolParticipant } from './setup/clinical';

const SUBMIT = { timeout: 20_000 };

describe('ePRO: a one-time self-report link', () => {
	let coordinator: BrowserContext;
	let phone: BrowserContext;
	beforeAll(async () => {
		coordinator = await openContext();
		phone = await openContext();
	});
	afterAll(async () => {
		await coordinator.close();
		await phone.close();
	});

	it('a coordinator makes a PHQ-9 link; the participant answers it once on a phone', async () => {
		const page = await coordinator.newPage();
		await signIn(page, 'coordinator@demo.vigil.test');
		await page.waitForURL('**/sites');
		await enrolParticipant(page);
		const id = new URL(page.url()).pathname.split('/')[2]!;
		await page.goto(`/participants/${id}/trial`);
		await page.locator('#epro-instrument').selectOption('PHQ9');
		await page.getByRole('button', { name: 'Make a self-report link' }).click();
		const link = page.locator('a.epro-url');
		await link.waitFor(SUBMIT);
		const url = (await link.getAttribute('href'))!;
		expect(url).toMatch(/\/epro\/[a-z2-7]{32}$/);

		// The participant's phone: no cookies, no staff session.
		const p = await phone.newPage();
		await p.setViewportSize({ width: 390, height: 844 });
		await p.goto(new URL(url).pathname, { waitUntil: 'networkidle' });
		expect(await p.locator('h1').textContent()).toBe('Patient Health Questionnaire-9');
		expect(await p.locator('body').textContent()).not.toMatch(/Safety board|Sign out/);
		expect(await p.locator('fieldset').count()).toBe(10);
		// Nothing wider than the screen.
		expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await expectAccessible(p);

		const fieldsets = p.locator('fieldset');
		for (let i = 0; i < 9; i += 1) {
			if (i === 3) continue; // item 4 left out at first
			await fieldsets
				.nth(i)
				.getByLabel(i === 8 ? 'Several days' : 'Not at all')
				.check();
		}
		await p.getByRole('button', { name: 'Send my answers' }).click();
		await expect.poll(() => p.locator('[id="items.4-errors"]').textContent(), SUBMIT).not.toBe('');
		// What was chosen is still chosen.
		expect(await fieldsets.nth(8).getByLabel('Several days').isChecked()).toBe(true);
		await fieldsets.nth(3).getByLabel('More than half the days').check();
		await p.getByRole('button', { name: 'Send my answers' }).click();
		await p.waitForURL('**/epro/done', SUBMIT);
		expect(await p.locator('h1').textContent()).toBe('Thank you');
		await expectAccessible(p);

		// Used once: opening it again is refused.
		const again = await p.goto(new URL(url).pathname);
		expect(again?.status()).toBe(410);
		expect(await p.locator('main').textContent()).toMatch(/already been used/);
		const forged = await p.goto(`/epro/${'a'.repeat(32)}`);
		expect(forged?.status()).toBe(404);
		expect(await p.locator('main').textContent()).toMatch(/not valid/);

		// The coordinator sees the link answered, and item 9 raised a flag on the board.
		await page.goto(`/participants/${id}/trial`);
		const row = page.locator('section[aria-labelledby="epro-h"] tbody tr').first();
		expect(await row.textContent()).toMatch(/PHQ9.*link/);
		expect((await row.locator('td').nth(4).textContent())?.trim()).not.toBe('—');
	});
});
