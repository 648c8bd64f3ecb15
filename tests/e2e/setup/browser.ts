// One Chromium per test file, a fresh context (cookies) per user.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
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

export async function signIn(page: Page, email: string, password = demoPassword()): Promise<void> {
	// Wait until the page's scripts have loaded, so the form is not submitted mid-hydration.
	await page.goto('/login', { waitUntil: 'networkidle' });
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Fails on any serious or critical accessibility violation. */
export async function expectAccessible(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page }).analyze();
	const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`)
	).toEqual([]);
}
