import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openContext, signIn } from './setup/browser';

describe('an admin creates an account that must change its one-time password', () => {
	let admin: BrowserContext;
	let newcomer: BrowserContext;
	beforeAll(async () => {
		admin = await openContext();
		newcomer = await openContext();
	});
	afterAll(async () => {
		await admin.close();
		await newcomer.close();
	});

	it("from the users page to the new user's first sign-in", async () => {
		const page = await admin.newPage();
		await signIn(page, 'admin@demo.vigil.test');
		await page.waitForURL('**/admin');
		await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
		await page.waitForURL('**/admin/users');
		await expectAccessible(page);

		// An email that has an account already: the field says so and the form keeps what was typed.
		await page.getByLabel('Email').fill('coordinator@demo.vigil.test');
		await page.getByLabel('Full name').fill('Nina Newcomer');
		await page.getByLabel('Role').selectOption('coordinator');
		await page.getByLabel('01 · Oslo University Hospital, Psychiatry Research').check();
		await page.getByRole('button', { name: 'Create account' }).click();
		await expect.poll(() => page.locator('#email-errors').textContent()).toContain('exists');
		expect(await page.getByLabel('Full name').inputValue()).toBe('Nina Newcomer');
		expect(await page.getByLabel('Role').inputValue()).toBe('coordinator');
		expect(
			await page.getByLabel('01 · Oslo University Hospital, Psychiatry Research').isChecked()
		).toBe(true);

		await page.getByLabel('Email').fill('nina@demo.vigil.test');
		await page.getByRole('button', { name: 'Create account' }).click();
		const secret = page.locator('code.secret');
		await secret.waitFor();
		const oneTime = (await secret.textContent())!.trim();
		expect(oneTime).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
		await expect
			.poll(() => page.getByRole('table').textContent())
			.toContain('nina@demo.vigil.test');

		const nina = await newcomer.newPage();
		await signIn(nina, 'nina@demo.vigil.test', oneTime);
		await nina.waitForURL('**/account/password');
		// Every other page sends her back until she has chosen her own password.
		await nina.goto('/sites');
		expect(new URL(nina.url()).pathname).toBe('/account/password');
		await nina.getByLabel('Current password').fill(oneTime);
		await nina.getByLabel('New password', { exact: true }).fill('short');
		await nina.getByLabel('New password again').fill('short');
		await nina.getByRole('button', { name: 'Change password' }).click();
		await expect.poll(() => nina.locator('#newPassword-errors').textContent()).toContain('12');
		await nina.getByLabel('Current password').fill(oneTime);
		await nina.getByLabel('New password', { exact: true }).fill('a-much-better-passphrase');
		await nina.getByLabel('New password again').fill('a-much-better-passphrase');
		await nina.getByRole('button', { name: 'Change password' }).click();
		await nina.waitForURL('**/sites');
		await expect
			.poll(() => nina.getByRole('link', { name: /Oslo University Hospital/ }).count())
			.toBe(1);
	});
});
