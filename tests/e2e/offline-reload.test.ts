// A bedside tablet loses its Wi-Fi and the page is reloaded: the service worker gives back the
// entry screen from the reduced copy the page kept, readings typed then wait in the queue, and
// each is stored once when the connection returns. The copy holds no flags or signatures, and
// signing out removes it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible } from './setup/browser';
import { enrolParticipant } from './setup/clinical';
import { serverRows } from './setup/database';
import { coordinatorTablet, startSession, typeRow } from './setup/session';

/** What the copy kept on the device shows, read from its HTML as the page would render it. */
function keptCopy(page: Page, path: string) {
	return page.evaluate(async (p) => {
		const copy = await caches.match(p);
		if (!copy) return null;
		const doc = new DOMParser().parseFromString(await copy.text(), 'text/html');
		return {
			thirtyMinutes: doc.querySelector('[data-row="30"].saved')?.textContent ?? '',
			flags: doc.querySelectorAll('.row-flags li').length,
			signatures: doc.querySelector('section.signatures') !== null
		};
	}, path);
}

describe('a tablet that loses its network and reloads the session screen', () => {
	const tablet = coordinatorTablet();

	it('gets the entry screen and its queue from the device, and the reading typed offline is stored once', async () => {
		const { context, page } = tablet;
		await enrolParticipant(page);
		await startSession(page, 70);
		const path = new URL(page.url()).pathname;
		const sessionId = Number(path.split('/').pop());
		await page.waitForLoadState('networkidle');
		await typeRow(page, ['124', '80', '72', '36.8']);
		await page.locator('[data-row="-30"].saved').waitFor();
		// A breach (SBP >= 160): the live page shows its flag and signatures.
		await typeRow(page, ['168', '96', '78']);
		await page.locator('[data-row="30"].saved').waitFor();
		await page.locator('[data-row="30"] ~ .row-flags li').first().waitFor();
		expect(await page.locator('section.signatures').count()).toBe(1);

		// The device keeps the reduced copy of the page, up to the last saved reading.
		await expect
			.poll(async () => (await keptCopy(page, path))?.thirtyMinutes ?? '', { timeout: 20_000 })
			.toContain('168');
		expect(await keptCopy(page, path)).toMatchObject({ flags: 0, signatures: false });

		await context.setOffline(true);
		const reloaded = await page.reload();
		expect(reloaded?.fromServiceWorker()).toBe(true);
		await page.locator('.offline-copy').waitFor();
		await page.locator('.offline-banner').waitFor();
		expect(await page.locator('[data-row="30"]').textContent()).toContain('168');
		expect(await page.locator('.row-flags').count()).toBe(0);
		await expectAccessible(page);

		// The 1-hour reading, typed while offline, waits on the device (also through a reload).
		await page.locator('#r60-systolic').focus();
		await typeRow(page, ['150', '90', '76', '36.9']);
		await page.locator('[data-row="60"].queued').waitFor();
		const key = await page
			.locator('.offline-queue li', { hasText: '1 H' })
			.getAttribute('data-client-key');
		await page.reload();
		await page.locator('[data-row="60"].queued').waitFor();
		expect(await page.locator('.offline-queue li').count()).toBe(1);

		const stored = async (label: string) =>
			(
				await serverRows<{ key: string | null; systolic: number | string }>(
					`select client_key as key, systolic from vital_reading
					 where dosing_session_id = ? and timepoint_label = ? and entered_in_error_at is null`,
					sessionId,
					label
				)
			).map((r) => ({ key: r.key, systolic: Number(r.systolic) }));
		expect(await stored('1 H POST-DOSE')).toEqual([]);

		// The connection returns: the reading is sent once and the live page comes back.
		await context.setOffline(false);
		await page.locator('[data-row="60"].saved').waitFor();
		await expect.poll(() => page.locator('.offline-copy').count()).toBe(0);
		await expect.poll(() => page.locator('section.signatures').count()).toBe(1);
		expect(await page.locator('.row-flags li').count()).toBeGreaterThan(0);
		expect(await stored('1 H POST-DOSE')).toEqual([{ key, systolic: 150 }]);

		// Signing out leaves no participant's sheet on the tablet.
		await page.getByRole('button', { name: 'Sign out' }).click();
		await page.waitForURL('**/login');
		await expect.poll(() => page.evaluate((p) => caches.match(p).then(Boolean), path)).toBe(false);
	}, 150_000);
});
