import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openContext, signIn } from './setup/browser';

const ROLES = [
	{ email: 'admin@demo.vigil.test', landing: '/admin', heading: 'Administration' },
	{ email: 'coordinator@demo.vigil.test', landing: '/sites', heading: 'My sites' },
	{ email: 'investigator@demo.vigil.test', landing: '/review', heading: 'Review board' },
	{ email: 'auditor@demo.vigil.test', landing: '/audit', heading: 'Audit trail' },
	{ email: 'monitor@demo.vigil.test', landing: '/monitoring', heading: 'Monitoring' }
];

describe('signing in and out', () => {
	let context: BrowserContext;
	let page: Page;
	beforeAll(async () => {
		context = await openContext();
		page = await context.newPage();
	});
	afterAll(async () => {
		await context.close();
	});

	it('the sign-in page has no serious accessibility problems', async () => {
		await page.goto('/login');
		await expect.poll(() => page.title()).toBe('Sign in · Vigil');
		await expectAccessible(page);
	});

	for (const role of ROLES) {
		it(`${role.email} lands on ${role.landing}, which is accessible, and signs out`, async () => {
			await signIn(page, role.email);
			await page.waitForURL((url) => url.pathname === role.landing);
			await expect
				.poll(() => page.getByRole('heading', { level: 1 }).textContent())
				.toBe(role.heading);
			await expectAccessible(page);
			await page.getByRole('button', { name: 'Sign out' }).click();
			await page.waitForURL((url) => url.pathname === '/login');
			// Signed out for real: a signed-in page sends us back to sign in.
			await page.goto(role.landing);
			expect(new URL(page.url()).pathname).toBe('/login');
		});
	}

	it('a wrong password and an unknown email get the same message, and the email is kept', async () => {
		const messages: string[] = [];
		for (const email of ['coordinator@demo.vigil.test', 'nobody@demo.vigil.test']) {
			await signIn(page, email, 'not-the-right-password');
			const alert = page.getByRole('alert');
			await alert.waitFor();
			messages.push((await alert.textContent())?.trim() ?? '');
			expect(await page.getByLabel('Email').inputValue()).toBe(email);
			expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
		}
		expect(messages[0]).toContain('Incorrect email or password');
		expect(messages[1]).toBe(messages[0]);
	});
});
