// Two-step sign-in turned on by a site for a clinical role, in Chromium, on a server of its own
// with VIGIL_SECOND_FACTOR_ROLES=investigator: the investigator is held at enrolment until an
// authenticator is set up, then signs in with a code and lands on the review board; a coordinator,
// whose role the setting does not name, still signs in with a password alone.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/lib/server/auth/totp';
import { expectAccessible, openContext } from './setup/browser';
import { startOwnServer, type OwnServer } from './setup/own-server';

const INVESTIGATOR = 'investigator@demo.vigil.test';
const COORDINATOR = 'coordinator@demo.vigil.test';

let server: OwnServer;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
	const context = await openContext({ baseURL: server.base });
	contexts.push(context);
	return context.newPage();
}

async function passwordStep(page: Page, email: string): Promise<void> {
	await page.goto('/login', { waitUntil: 'networkidle' });
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(server.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

beforeAll(async () => {
	server = await startOwnServer('two-factor-roles', {
		VIGIL_DEMO_PARTICIPANTS: '2',
		VIGIL_SECOND_FACTOR_ROLES: 'investigator'
	});
}, 180_000);
afterAll(async () => {
	for (const c of contexts) await c.close();
	server?.stop();
});

describe('two-step sign-in required of investigators by the site', () => {
	let secret = '';

	it('holds the investigator at enrolment, whatever page they ask for, until they set it up', async () => {
		const page = await newPage();
		await passwordStep(page, INVESTIGATOR);
		await page.waitForURL((u) => u.pathname === '/account/two-factor');
		await expect
			.poll(() => page.getByRole('status').first().textContent())
			.toMatch(/Set it up\s+to continue/);
		for (const path of ['/review', '/review/queue', '/cohort']) {
			await page.goto(path);
			expect(new URL(page.url()).pathname, path).toBe('/account/two-factor');
		}
		// The JSON API is closed too until the second factor is set up.
		const api = await page.request.get('/api/v1/participants', { maxRedirects: 0 });
		expect(api.status()).toBe(403);
		expect(JSON.stringify(await api.json())).toContain('Set up two-step sign-in');

		await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
		await page.getByRole('img', { name: /QR code/ }).waitFor();
		secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
		expect(secret).toMatch(/^[A-Z2-7]{32}$/);
		await page.getByLabel('Code from your app').fill(totpCodeAt(secret, Date.now()));
		await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
		const list = page.getByRole('list', { name: 'Recovery codes' });
		await list.waitFor();
		expect(await list.getByRole('listitem').count()).toBe(10);
		await expectAccessible(page);
		await page.getByRole('link', { name: /I have saved them/ }).click();
		await page.waitForURL((u) => u.pathname === '/review');
	});

	it('asks the investigator for a code after the password, then opens the review board', async () => {
		const page = await newPage();
		await passwordStep(page, INVESTIGATOR);
		await page.waitForURL((u) => u.pathname === '/login/code');
		const before = await page.request.get('/review', { maxRedirects: 0 });
		expect(before.headers().location ?? '').toContain('/login');
		await page.getByLabel('Code').fill('000000');
		await page.getByRole('button', { name: 'Continue' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('not right');
		// The step enrolment used is spent; the next step's code is within the allowed drift.
		await page.getByLabel('Code').fill(totpCodeAt(secret, Date.now() + 30_000));
		await page.getByRole('button', { name: 'Continue' }).click();
		await page.waitForURL((u) => u.pathname === '/review');
		await expectAccessible(page);
	});

	it('lets a coordinator, whose role is not named, sign in with the password alone', async () => {
		const page = await newPage();
		await passwordStep(page, COORDINATOR);
		await page.waitForURL((u) => u.pathname === '/sites');
	});
});
