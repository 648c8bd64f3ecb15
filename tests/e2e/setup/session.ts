// Steps on the dosing-session screen shared by its browser tests.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { openContext, signIn } from './browser';
import { osloLocal } from './clinical';

/**
 * A coordinator's bedside tablet (768 × 1024), signed in before the describe block's tests; back
 * online and closed after them (a test may leave it offline).
 */
export function coordinatorTablet(): { context: BrowserContext; page: Page } {
	const tablet = {} as { context: BrowserContext; page: Page };
	beforeAll(async () => {
		tablet.context = await openContext();
		tablet.page = await tablet.context.newPage();
		await tablet.page.setViewportSize({ width: 768, height: 1024 });
		await signIn(tablet.page, 'coordinator@demo.vigil.test');
		await tablet.page.waitForURL('**/sites');
	});
	afterAll(async () => {
		await tablet.context?.setOffline(false);
		await tablet.context?.close();
	});
	return tablet;
}

export { startSession } from './clinical';

/** 'HH:mm' in Oslo, `minutesAgo` before now. */
export const osloClock = (minutesAgo: number) => osloLocal(minutesAgo).slice(11);

/**
 * Types one row from the focused systolic field and presses Enter; with `time`, first goes back
 * to the row's time field (Shift+Tab) and types when it was measured.
 */
export async function typeRow(page: Page, values: string[], time?: string): Promise<void> {
	if (time) {
		await page.keyboard.press('Shift+Tab');
		await page.keyboard.type(time);
		await page.keyboard.press('Tab');
	}
	for (const [i, value] of values.entries()) {
		if (i > 0) await page.keyboard.press('Tab');
		await page.keyboard.type(value);
	}
	await page.keyboard.press('Enter');
}

/** Waits until the session page has read the device's queue: a reading saved offline is kept. */
export async function deviceQueueReady(page: Page): Promise<void> {
	await page.locator('[data-device-queue="ready"]').waitFor({ state: 'attached' });
}

/**
 * Takes the network away once the session page can keep readings on the device (its queue read),
 * and waits for the page to say so. A network lost while the page is still starting, before the
 * queue's module has loaded, is a different case: the page then says it cannot keep readings.
 */
export async function goOffline(context: BrowserContext, page: Page): Promise<void> {
	await deviceQueueReady(page);
	await context.setOffline(true);
	await page.locator('.offline-banner').waitFor();
}
