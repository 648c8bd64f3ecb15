import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, expectAccessible, openContext, signIn } from './setup/browser';

describe('consent, randomisation and emergency unblinding in the browser', () => {
	let investigator: BrowserContext;
	let pharmacist: BrowserContext;
	beforeAll(async () => {
		investigator = await openContext();
		pharmacist = await openContext();
	});
	afterAll(async () => {
		await investigator.close();
		await pharmacist.close();
	});

	it('an investigator unblinds one randomised participant: the arm shows once, then only the fact', async () => {
		const page = await investigator.newPage();
		await signIn(page, 'investigator@demo.vigil.test');
		await page.waitForURL('**/review');
		await page.goto('/sites/01');
		const links = await page
			.locator('a[href^="/participants/"]')
			.evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
		let trial: string | null = null;
		for (const href of [...new Set(links)].filter((h) => /^\/participants\/\d+$/.test(h))) {
			await page.goto(`${href}/trial`);
			if ((await page.getByText('Emergency unblinding').count()) > 0) {
				trial = `${href}/trial`;
				break;
			}
		}
		expect(trial).not.toBeNull();
		expect(await page.locator('body').textContent()).toContain('Blinded');
		await expect
			.poll(() => page.getByText(/Consent valid|No valid consent/).count())
			.toBeGreaterThan(0);
		await expectAccessible(page);

		await page.getByText('Emergency unblinding').click();
		await page
			.getByLabel('Medical reason')
			.fill('Suspected serotonin syndrome in the emergency room');
		await page.getByLabel(/I confirm that knowing the arm/).check();
		await page.getByLabel('Your password, again').fill('wrong-password');
		await page.getByRole('button', { name: 'Unblind this participant' }).click();
		await expect
			.poll(() => page.locator('#password-errors').textContent())
			.toMatch(/Nothing was revealed/);
		// What was typed stays, except the password.
		expect(await page.getByLabel('Medical reason').inputValue()).toMatch(/serotonin/);

		await page.getByLabel(/I confirm that knowing the arm/).check();
		await page.getByLabel('Your password, again').fill(demoPassword());
		await page.getByRole('button', { name: 'Unblind this participant' }).click();
		const alert = page.locator('.unblinded-once');
		await expect
			.poll(() => alert.textContent())
			.toMatch(/MDMA-assisted therapy|Placebo with therapy/);
		await expectAccessible(page);

		await page.goto(trial!);
		const body = (await page.locator('body').textContent()) ?? '';
		expect(body).toMatch(/Unblinded in an emergency/);
		expect(body).not.toMatch(/MDMA-assisted therapy|Placebo with therapy/);
		expect(await page.getByText('Emergency unblinding').count()).toBe(0);
	});

	it('the pharmacist sees kits and arms; the page is accessible', async () => {
		const page = await pharmacist.newPage();
		await signIn(page, 'pharmacist@demo.vigil.test');
		await page.waitForURL('**/pharmacy');
		await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
		expect(await page.locator('tbody').textContent()).toMatch(
			/MDMA-assisted therapy|Placebo with therapy/
		);
		await expectAccessible(page);
		expect((await page.goto('/cohort'))?.status()).toBe(403);
	});
});
