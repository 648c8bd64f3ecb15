// Hardening seen from outside: no open redirect after sign-in, headers on static files too,
// anonymous writes answer 401, oversized bodies 413.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openContext } from './setup/browser';

const base = () => inject('baseUrl');

describe('sign-in redirect', () => {
	let context: BrowserContext;
	let page: Page;
	beforeAll(async () => {
		context = await openContext();
		page = await context.newPage();
	});
	afterAll(async () => {
		await context.close();
	});

	async function signInVia(next: string): Promise<void> {
		await page.goto(`/login?next=${encodeURIComponent(next)}`, { waitUntil: 'networkidle' });
		await page.getByLabel('Email').fill('coordinator@demo.vigil.test');
		await page.getByLabel('Password', { exact: true }).fill(inject('demoPassword'));
		await page.getByRole('button', { name: 'Sign in' }).click();
	}

	for (const next of [
		'/\\evil.example',
		'//evil.example',
		'/%5Cevil.example',
		'https://evil.example/'
	]) {
		it(`next=${next} stays on Vigil after signing in`, async () => {
			await signInVia(next);
			await page.waitForURL((url) => url.pathname === '/sites');
			expect(new URL(page.url()).origin).toBe(base());
			await page.getByRole('button', { name: 'Sign out' }).click();
			await page.waitForURL((url) => url.pathname === '/login');
		});
	}

	it('a same-site next is still followed', async () => {
		await signInVia('/cohort');
		await page.waitForURL((url) => url.pathname === '/cohort');
	});
});

describe('HTTP hardening', () => {
	it('static files carry nosniff; no HSTS over plain http', async () => {
		for (const path of ['/vigil.css', '/favicon.svg', '/login']) {
			const res = await fetch(`${base()}${path}`);
			expect(res.status, path).toBe(200);
			expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
			expect(res.headers.get('strict-transport-security'), path).toBeNull();
		}
	});

	it('an anonymous post to a sign action answers 401', async () => {
		const res = await fetch(`${base()}/sessions/1?/sign`, {
			method: 'POST',
			headers: { origin: base(), 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ meaning: 'reviewed', userId: 'x', password: 'y' }),
			redirect: 'manual'
		});
		expect(res.status).toBe(401);
	});

	it('a body over the limit answers 413 with a JSON error, declared or streamed', async () => {
		const big = JSON.stringify({ name: 'x'.repeat(600 * 1024) });
		const declared = await fetch(`${base()}/api/v1/participants`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				authorization: 'Bearer vgl_' + 'a'.repeat(32)
			},
			body: big
		});
		expect(declared.status).toBe(413);
		expect(((await declared.json()) as { error: { status: number } }).error.status).toBe(413);
		const chunks = new ReadableStream({
			start(controller) {
				for (let i = 0; i < 12; i++) {
					controller.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)));
				}
				controller.close();
			}
		});
		const streamed = await fetch(`${base()}/login`, {
			method: 'POST',
			headers: { origin: base(), 'content-type': 'application/x-www-form-urlencoded' },
			body: chunks,
			duplex: 'half'
		} as RequestInit);
		expect(streamed.status).toBe(413);
	});
});
