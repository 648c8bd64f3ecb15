import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { expectAccessible, signedInAll } from './setup/browser';
import { enrolParticipant } from './setup/clinical';
import { goOffline, osloClock, startSession, typeRow } from './setup/session';

interface ApiReading {
	timepoint: string;
	measuredAt: string;
	systolic: number | null;
	clientKey: string | null;
	createdAt: string;
}

/** The session's stored readings, read through the JSON API with the page's sign-in. */
async function storedReadings(context: BrowserContext, sessionUrl: string): Promise<ApiReading[]> {
	const id = /\/sessions\/(\d+)/.exec(sessionUrl)![1];
	const res = await context.request.get(`/api/v1/dosing-sessions/${id}/vitals`);
	expect(res.status()).toBe(200);
	return ((await res.json()) as { readings: ApiReading[] }).readings;
}

/** 'HH:mm' in Oslo of a stored instant. */
const osloClockOf = (iso: string) =>
	new Intl.DateTimeFormat('en-GB', {
		timeZone: 'Europe/Oslo',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	}).format(new Date(iso));

/** How long a queued reading may take to be stored once the connection is back: one retry. */
const SYNCED_MS = 30_000;

describe('readings typed while the network is down', () => {
	let context: BrowserContext;
	let page: Page;
	signedInAll('coordinator@demo.vigil.test', (s) => ({ context, page } = s));
	afterAll(async () => {
		await context.setOffline(false);
	});

	it('are kept on the device with their times, survive closing the page, and are stored once each', async () => {
		const subject = await enrolParticipant(page);
		await startSession(page, 60);
		const sessionUrl = page.url();
		await goOffline(context, page);
		expect(await page.locator('.offline-banner').textContent()).toContain(
			'paper escalation procedure'
		);
		// The baseline with the time it was measured; the 30-minute reading left at "now".
		const baselineTime = osloClock(32);
		await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('r-30-systolic');
		await typeRow(page, ['124', '80', '72', '36.8'], baselineTime);
		await page.locator('[data-row="-30"].queued').waitFor();
		const typing = Date.now();
		await typeRow(page, ['128', '82', '76', '']);
		await page.locator('[data-row="30"].queued').waitFor();
		const queued = Date.now();

		const queue = page.locator('.offline-queue');
		expect(await queue.locator('li').count()).toBe(2);
		expect(await queue.textContent()).toContain(`measured ${baselineTime}: 124/80 mmHg`);
		expect(await page.locator('[data-row="-30"]').textContent()).toContain('not yet saved');
		expect(await page.locator('[data-row="30"]').textContent()).toMatch(/not yet saved/);
		await expectAccessible(page);

		// The page is closed while offline; the readings wait in the device's storage.
		await page.close();
		await context.setOffline(false);
		page = await context.newPage();
		await page.goto(sessionUrl);
		// A send that finds the server slow to answer is tried again 20 s later (offline-entry.svelte.ts
		// RETRY_MS): each reading is stored once all the same, so the wait covers one retry.
		await page.locator('[data-row="-30"].saved').waitFor({ timeout: SYNCED_MS });
		await page.locator('[data-row="30"].saved').waitFor({ timeout: SYNCED_MS });
		await expect.poll(() => page.locator('.offline-queue').count()).toBe(0);

		// Offline again on this page: a reading waits, then goes as soon as the connection is back.
		await goOffline(context, page);
		// A breach (SBP >= 160), measured 3 minutes before the connection returns.
		await page.locator('#r60-systolic').focus();
		await typeRow(page, ['168', '96', '78', '36.9'], osloClock(3));
		await page.locator('[data-row="60"].queued').waitFor();
		// The device's rules show the breach at once, as provisional until the server has it.
		const provisional = page.locator('[data-row="60"] + .row-flags.provisional li');
		await provisional.first().waitFor();
		expect(await provisional.allTextContents()).toEqual([
			expect.stringMatching(/^\s*ACTION\s+provisional\s+Systolic 168 mmHg is at or above 160/),
			expect.stringMatching(/^\s*NOTIFY\s+provisional\s+Diastolic 96 mmHg is at or above 90/)
		]);
		await expectAccessible(page);
		await context.setOffline(false);
		await page.locator('[data-row="60"].saved').waitFor({ timeout: SYNCED_MS });
		// The server's own flag replaces the provisional one.
		await expect.poll(() => page.locator('.row-flags.provisional').count()).toBe(0);
		await page
			.locator('[data-row="60"] + .row-flags li', {
				hasText: 'Systolic 168 mmHg is at or above 160'
			})
			.waitFor();
		await expect.poll(() => page.locator('.offline-banner').count()).toBe(0);

		// The server flagged it on arrival; the board shows when it was measured and received.
		await page.goto('/review');
		const card = page.locator('li.flag-card', { hasText: subject }).filter({
			has: page.locator('.reading-times')
		});
		await expect
			.poll(async () =>
				(await card.locator('.reading-times').first().textContent())?.replace(/\s+/g, ' ')
			)
			.toMatch(/Reading measured .+ · received .+\(\d+ min later\)/);
		await expectAccessible(page);

		const stored = await storedReadings(context, sessionUrl);
		const labels = stored.map((r) => r.timepoint);
		expect(labels.filter((l) => l === 'PRE-DOSE')).toHaveLength(1);
		expect(labels.filter((l) => l.startsWith('30 MIN'))).toHaveLength(1);
		expect(labels.filter((l) => l.startsWith('1 H'))).toHaveLength(1);
		expect(stored).toHaveLength(3);
		for (const r of stored) expect(r.clientKey).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
		const byLabel = (prefix: string) => stored.find((r) => r.timepoint.startsWith(prefix))!;
		// The typed time, and for the row left at "now", the moment it was typed, not sent.
		expect(osloClockOf(byLabel('PRE-DOSE').measuredAt)).toBe(baselineTime);
		const thirty = byLabel('30 MIN');
		expect(Date.parse(thirty.measuredAt)).toBeGreaterThanOrEqual(typing - 60_000);
		expect(Date.parse(thirty.measuredAt)).toBeLessThanOrEqual(queued);
		expect(Date.parse(thirty.createdAt)).toBeGreaterThan(queued);
	}, 180_000);
});
