// One Chromium per test file, a fresh context (cookies) per user.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { CHROMIUM_ARGS } from './chromium';

export const baseUrl = () => inject('baseUrl');
export const demoPassword = () => inject('demoPassword');

export async function openContext(
	/** `baseURL`: another Vigil than the shared one (a test that starts its own instance). */
	opts: {
		javaScriptEnabled?: boolean;
		baseURL?: string;
		/** 'block': requests reach page.route (a service worker would answer them unseen). */
		serviceWorkers?: 'allow' | 'block';
	} = {}
): Promise<BrowserContext> {
	// launchPersistentContext gives each context its own empty profile directory.
	const profile = mkdtempSync(join(tmpdir(), 'vigil-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: inject('chromiumPath'),
		args: CHROMIUM_ARGS,
		headless: true,
		baseURL: opts.baseURL ?? baseUrl(),
		javaScriptEnabled: opts.javaScriptEnabled ?? true,
		serviceWorkers: opts.serviceWorkers ?? 'allow'
	});
	// Fail with the step that hung, well inside the test's own time limit.
	context.setDefaultTimeout(20_000);
	return context;
}

/**
 * A browser context for each name (one a role, say), opened before the describe block's tests and
 * closed after them: `const as = contextsFor('admin', 'coordinator')`, then `as.admin.newPage()`.
 */
export function contextsFor<N extends string>(...names: N[]): Record<N, BrowserContext> {
	const contexts = {} as Record<N, BrowserContext>;
	beforeAll(async () => {
		for (const name of names) contexts[name] = await openContext();
	});
	afterAll(async () => {
		for (const name of names) await contexts[name]?.close();
	});
	return contexts;
}

export async function signIn(page: Page, email: string, password = demoPassword()): Promise<void> {
	// Wait until the page's scripts have loaded, so the form is not submitted mid-hydration.
	await page.goto('/login', { waitUntil: 'networkidle' });
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * A browser signed in as this user for the describe block: a context opened, a page signed in
 * and landed on `landing` (the sites list) before its tests, the context closed after them; `use`
 * is handed both. The block's own afterAll hooks, registered after this, run before the close.
 */
export function signedInAll(
	email: string,
	use: (s: { context: BrowserContext; page: Page }) => void,
	opts: Parameters<typeof openContext>[0] & {
		viewport?: { width: number; height: number };
		landing?: string;
	} = {}
): void {
	let context: BrowserContext | undefined;
	beforeAll(async () => {
		context = await openContext(opts);
		const page = await context.newPage();
		if (opts.viewport) await page.setViewportSize(opts.viewport);
		await signIn(page, email);
		await page.waitForURL(opts.landing ?? '**/sites');
		use({ context, page });
	});
	afterAll(async () => {
		await context?.close();
	});
}

/** Fails on any serious or critical accessibility violation. */
export async function expectAccessible(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page }).analyze();
	const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`)
	).toEqual([]);
}
