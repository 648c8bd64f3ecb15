// Two-step sign-in in Chromium, on a server of its own with the default setting (administrators
// must use a second factor; the shared test server turns that off for the other files): the
// administrator is sent to enrolment, scans nothing but reads the key, confirms with a code
// computed here, keeps the recovery codes, then signs in with a code and, without JavaScript,
// with a recovery code.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/lib/server/auth/totp';
import { expectAccessible, openContext } from './setup/browser';
import { startOwnServer, type OwnServer } from './setup/own-server';

const ADMIN = 'admin@demo.vigil.test';

let server: OwnServer;

async function passwordStep(page: Page, base: string): Promise<void> {
	await page.goto(`${base}/login`, { waitUntil: 'networkidle' });
	await page.getByLabel('Email').fill(ADMIN);
	await page.getByLabel('Password', { exact: true }).fill(server.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('two-step sign-in for an administrator', () => {
	const contexts: BrowserContext[] = [];
	let secret = '';
	let recoveryCodes: string[] = [];

	beforeAll(async () => {
		// The default setting: administrators need a second factor.
		server = await startOwnServer('two-factor', {
			VIGIL_DEMO_PARTICIPANTS: '0',
			VIGIL_SECOND_FACTOR_ROLES: ''
		});
	}, 180_000);
	afterAll(async () => {
		for (const c of contexts) await c.close();
		server?.stop();
	});

	async function newPage(opts: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
		const context = await openContext(opts);
		contexts.push(context);
		return context.newPage();
	}

	it('sends an administrator without a second factor to enrolment, and nowhere else', async () => {
		const page = await newPage();
		await passwordStep(page, server.base);
		await page.waitForURL((u) => u.pathname === '/account/two-factor');
		await expect
			.poll(() => page.getByRole('status').first().textContent())
			.toMatch(/Set it up\s+to continue/);
		await page.goto(`${server.base}/admin/users`);
		expect(new URL(page.url()).pathname).toBe('/account/two-factor');
		await expectAccessible(page);

		await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
		await page.getByRole('img', { name: /QR code/ }).waitFor();
		secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
		expect(secret).toMatch(/^[A-Z2-7]{32}$/);
		await expectAccessible(page);

		await page.getByLabel('Code from your app').fill('000000');
		await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
		await expect.poll(() => page.locator('#code-errors').textContent()).toContain('not right');

		await page.getByLabel('Code from your app').fill(totpCodeAt(secret, Date.now()));
		await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
		const list = page.getByRole('list', { name: 'Recovery codes' });
		await list.waitFor();
		recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
		expect(recoveryCodes).toHaveLength(10);
		await expectAccessible(page);
		await page.getByRole('link', { name: /I have saved them/ }).click();
		await page.waitForURL((u) => u.pathname === '/admin');
	});

	it('asks for the code after the password, refuses a wrong one and signs in with the right one', async () => {
		const page = await newPage();
		await passwordStep(page, server.base);
		await page.waitForURL((u) => u.pathname === '/login/code');
		await expectAccessible(page);
		// Not signed in yet: the administration pages still ask for a sign-in.
		const probe = await page.request.get(`${server.base}/admin`, { maxRedirects: 0 });
		expect(probe.headers().location).toContain('/login');

		await page.getByLabel('Code').fill('123456');
		await page.getByRole('button', { name: 'Continue' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('not right');
		// The step enrolment used is spent; the next step's code is within the allowed drift.
		await page.getByLabel('Code').fill(totpCodeAt(secret, Date.now() + 30_000));
		await page.getByRole('button', { name: 'Continue' }).click();
		await page.waitForURL((u) => u.pathname === '/admin');
	});

	it('signs in with a recovery code, once, without JavaScript', async () => {
		const page = await newPage({ javaScriptEnabled: false });
		await passwordStep(page, server.base);
		await page.waitForURL((u) => u.pathname === '/login/code');
		await page.getByLabel('Code').fill(recoveryCodes[0]!);
		await page.getByRole('button', { name: 'Continue' }).click();
		await page.waitForURL((u) => u.pathname === '/admin');

		const again = await newPage({ javaScriptEnabled: false });
		await passwordStep(again, server.base);
		await again.waitForURL((u) => u.pathname === '/login/code');
		await again.getByLabel('Code').fill(recoveryCodes[0]!);
		await again.getByRole('button', { name: 'Continue' }).click();
		await expect.poll(() => again.getByRole('alert').textContent()).toContain('not right');
	});
});
