// A save the network interrupts, and a queued reading the server refuses. What counts is what the
// server's database holds: each reading once, under the idempotency key it was queued with.
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openContext, signIn, signedInAll } from './setup/browser';
import { enrolParticipant } from './setup/clinical';
import { serverRows } from './setup/database';
import { deviceQueueReady, goOffline, startSession, typeRow } from './setup/session';

interface StoredRow {
	label: string;
	key: string | null;
	systolic: number | null;
}

describe('a reading whose save the network interrupts', () => {
	let context: BrowserContext;
	let page: Page;
	let sessionPath = '';
	let sessionId = 0;

	/** The session's readings in the server's database, in the order stored. */
	const stored = async (): Promise<StoredRow[]> =>
		(
			await serverRows<StoredRow>(
				`select timepoint_label as label, client_key as key, systolic from vital_reading
				 where dosing_session_id = ? and entered_in_error_at is null order by id`,
				sessionId
			)
		).map((r) => ({ ...r, systolic: r.systolic === null ? null : Number(r.systolic) }));
	const storedAt = async (label: string) => (await stored()).filter((r) => r.label === label);
	/** The one POST of the grid's "save a reading" action. */
	const isReadingSave = (u: URL) => u.pathname === sessionPath && u.search === '?/reading';
	const queuedKey = async (label: string) =>
		page.locator('.offline-queue li', { hasText: label }).getAttribute('data-client-key');

	signedInAll('coordinator@demo.vigil.test', (s) => ({ context, page } = s));
	beforeAll(async () => {
		await enrolParticipant(page);
		await startSession(page, 100);
		sessionPath = new URL(page.url()).pathname;
		sessionId = Number(/\/sessions\/(\d+)/.exec(sessionPath)![1]);
		await deviceQueueReady(page);
	});
	afterAll(async () => {
		await context.setOffline(false);
	});

	it('is kept when the answer is lost after the server stored it, and sending it again stores nothing more', async () => {
		// The server receives the save and stores it; the Wi-Fi drops before the answer arrives.
		await page.route(
			isReadingSave,
			async (route: Route) => {
				await route.fetch();
				await context.setOffline(true);
				await route.abort('internetdisconnected');
			},
			{ times: 1 }
		);
		await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('r-30-systolic');
		await typeRow(page, ['124', '80', '72', '36.8']);
		await page.locator('[data-row="-30"].queued').waitFor();
		await page.locator('.offline-banner').waitFor();
		expect(await page.locator('[data-row="-30"]').textContent()).toContain('not yet saved');
		const key = await queuedKey('PRE-DOSE');
		expect(key).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
		// The interrupted send did reach the server: the reading is there once, under its key.
		expect(await stored()).toEqual([{ label: 'PRE-DOSE', key, systolic: 124 }]);
		await expectAccessible(page);

		await context.setOffline(false);
		await page.locator('[data-row="-30"].saved').waitFor();
		await expect.poll(() => page.locator('.offline-queue').count()).toBe(0);
		expect(await page.locator('[data-row="-30"]').textContent()).toContain('124');
		// Sent again with the same key: the server answered with the stored reading, added none.
		expect(await stored()).toEqual([{ label: 'PRE-DOSE', key, systolic: 124 }]);
	}, 90_000);

	it('is kept when the send never left the device, and is stored once when the connection returns', async () => {
		await page.route(
			isReadingSave,
			async (route: Route) => {
				await context.setOffline(true);
				await route.abort('internetdisconnected');
			},
			{ times: 1 }
		);
		await page.locator('#r30-systolic').focus();
		await typeRow(page, ['126', '82', '74']);
		await page.locator('[data-row="30"].queued').waitFor();
		const key = await queuedKey('30 MIN');
		expect(await storedAt('30 MIN POST-DOSE')).toEqual([]);

		// Closing the page while offline loses nothing: the reading waits on the device.
		await page.reload({ waitUntil: 'commit' }).catch(() => undefined);
		await context.setOffline(false);
		await page.goto(sessionPath);
		await page.locator('[data-row="30"].saved').waitFor();
		await expect.poll(() => page.locator('.offline-queue').count()).toBe(0);
		expect(await storedAt('30 MIN POST-DOSE')).toEqual([
			{ label: '30 MIN POST-DOSE', key, systolic: 126 }
		]);
		expect(await stored()).toHaveLength(2);
	}, 90_000);

	it('refused for a value to confirm, is sent again once the user has checked it', async () => {
		await goOffline(context, page);
		// Systolic 126 → 196 since the previous reading: more than the protocol's 60 mmHg soft check.
		await page.locator('#r60-systolic').focus();
		await typeRow(page, ['196', '84', '80', '36.9']);
		await page.locator('[data-row="60"].queued').waitFor();
		const key = await queuedKey('1 H');
		await context.setOffline(false);

		const item = page.locator('.offline-queue li', { hasText: '1 H' });
		await item.locator('.row-messages').waitFor();
		expect(await item.textContent()).toContain(
			'Systolic pressure rose by 70 mmHg since the previous reading (126 → 196 mmHg)'
		);
		expect(await page.locator('[data-row="60"]').textContent()).toContain('refused');
		expect(await storedAt('1 H POST-DOSE')).toEqual([]);
		await expectAccessible(page);

		await item.getByRole('button', { name: 'I have checked these values; send them' }).click();
		await page.locator('[data-row="60"].saved').waitFor();
		await expect.poll(() => page.locator('.offline-queue').count()).toBe(0);
		expect(await storedAt('1 H POST-DOSE')).toEqual([
			{ label: '1 H POST-DOSE', key, systolic: 196 }
		]);
	}, 90_000);

	it('refused because a colleague recorded that timepoint meanwhile, is discarded by the user', async () => {
		await goOffline(context, page);
		await page.locator('#r90-systolic').focus();
		await typeRow(page, ['145', '84', '76']);
		await page.locator('[data-row="90"].queued').waitFor();

		// Meanwhile a colleague, online on another device, records the same timepoint.
		const colleague = await openContext();
		try {
			const other = await colleague.newPage();
			await signIn(other, 'coordinator@demo.vigil.test');
			await other.waitForURL('**/sites');
			await other.goto(sessionPath, { waitUntil: 'networkidle' });
			await other.locator('#r90-systolic').focus();
			await typeRow(other, ['150', '80', '70']);
			await other.locator('[data-row="90"].saved').waitFor();
		} finally {
			await colleague.close();
		}

		await context.setOffline(false);
		const item = page.locator('.offline-queue li', { hasText: '1.5 H' });
		await item.locator('.row-messages').waitFor();
		expect(await item.textContent()).toContain('is recorded already');
		// The page shows what the server holds: the colleague's reading.
		await expect.poll(() => page.locator('[data-row="90"].saved').textContent()).toContain('150');

		await item.getByRole('button', { name: 'Discard this reading' }).click();
		await expect.poll(() => page.locator('.offline-queue').count()).toBe(0);
		expect((await storedAt('1.5 H POST-DOSE (PRE-SUPPLEMENTAL)')).map((r) => r.systolic)).toEqual([
			150
		]);
		// Discarded from the device too: a reload finds nothing waiting and sends nothing.
		await page.reload({ waitUntil: 'networkidle' });
		expect(await page.locator('.offline-queue').count()).toBe(0);
		expect(await stored()).toHaveLength(4);
	}, 120_000);
});
