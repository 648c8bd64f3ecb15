// The board calls for attention while it is open in a background tab: the title counts the flags
// nobody has acknowledged, and a new action or urgent flag plays a tone (unless muted, a choice
// the browser remembers) and shows a desktop notification once the user has allowed them.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, expectAccessible, openContext, signIn } from './setup/browser';
import { sessionWithReading } from './setup/clinical';

declare global {
	interface Window {
		__notifications: Array<{ title: string; body: string | undefined }>;
		__tones: number;
	}
}

/** Spies on what the page does: each Notification constructed, each tone started. */
function spies() {
	window.__notifications = [];
	window.__tones = 0;
	const Real = window.Notification;
	class Spy extends Real {
		constructor(title: string, options?: NotificationOptions) {
			window.__notifications.push({ title, body: options?.body });
			super(title, options);
		}
	}
	window.Notification = Spy as typeof Notification;
	const create = AudioContext.prototype.createOscillator;
	AudioContext.prototype.createOscillator = function (this: AudioContext) {
		window.__tones += 1;
		return create.call(this);
	};
}

/**
 * The unacknowledged flags the board states in its heading (counted in SQL over every card; the
 * board shows its cards a page at a time, so the page itself may list fewer).
 */
const unacknowledgedOnBoard = async (page: Page) =>
	Number(
		/(\d+) not yet acknowledged\)/.exec((await page.locator('#open-h').textContent()) ?? '')?.[1] ??
			NaN
	);
const titleCount = async (page: Page) => Number(/^\((\d+)\) /.exec(await page.title())?.[1] ?? 0);

describe('attention while the board is open', () => {
	let investigator: BrowserContext;
	let coordinator: BrowserContext;
	let board: Page;
	let entry: Page;
	beforeAll(async () => {
		[investigator, coordinator] = [await openContext(), await openContext()];
		await investigator.addInitScript(spies);
		[board, entry] = [await investigator.newPage(), await coordinator.newPage()];
		await signIn(board, 'investigator@demo.vigil.test');
		await board.waitForURL('**/review');
		await signIn(entry, 'coordinator@demo.vigil.test');
		await entry.waitForURL('**/sites');
	});
	afterAll(async () => {
		await investigator.close();
		await coordinator.close();
	});

	it('asks for notification permission only when asked, then the title counts and a new urgent flag notifies', async () => {
		await board.goto('/review');
		await expect.poll(() => board.getByRole('status').first().textContent()).toBe('Live');
		// Nothing is asked before the user chooses to.
		const ask = board.getByRole('button', { name: 'Show desktop notifications' });
		expect(await board.evaluate(() => Notification.permission)).toBe('default');
		await investigator.grantPermissions(['notifications'], { origin: baseUrl() });
		await ask.click();
		await board.getByText('Desktop notifications on.').waitFor();
		await expectAccessible(board);

		// The title carries the count of flags nobody has acknowledged, as the board lists them.
		const before = await unacknowledgedOnBoard(board);
		expect(await titleCount(board)).toBe(before);
		expect(await board.title()).toMatch(/Review board · Vigil$/);

		// 185/95: an urgent systolic and a notify diastolic on one reading.
		const code = await sessionWithReading(entry, { systolic: 185, diastolic: 95 });
		await expect
			.poll(() => board.evaluate(() => window.__notifications), { timeout: 5_000 })
			.toContainEqual({
				title: `URGENT flag: ${code}`,
				body: expect.stringContaining('Systolic 185 mmHg') as string
			});
		// The notify flag is counted but does not call anyone; a tone played.
		const mine = (await board.evaluate(() => window.__notifications)).filter((n) =>
			n.title.endsWith(code)
		);
		expect(mine).toHaveLength(1);
		expect(await board.evaluate(() => window.__tones)).toBeGreaterThan(0);
		await expect.poll(() => titleCount(board)).toBeGreaterThanOrEqual(before + 2);
		expect(await titleCount(board)).toBe(await unacknowledgedOnBoard(board));

		// Acknowledging lowers the count at once.
		const counted = await titleCount(board);
		const card = board
			.locator('li.flag-card[data-card^="vital_reading:"]')
			.filter({ has: board.getByRole('link', { name: code, exact: true }) });
		await card.getByRole('button', { name: 'Acknowledge all 2' }).click();
		await expect.poll(() => titleCount(board)).toBe(counted - 2);
	});

	it('the tone can be muted, the choice is remembered, and notifications still come', async () => {
		const mute = board.getByRole('button', { name: 'Mute alert sound' });
		expect(await mute.getAttribute('aria-pressed')).toBe('false');
		await mute.click();
		expect(await mute.getAttribute('aria-pressed')).toBe('true');
		await board.reload();
		await expect.poll(() => board.getByRole('status').first().textContent()).toBe('Live');
		expect(
			await board.getByRole('button', { name: 'Mute alert sound' }).getAttribute('aria-pressed')
		).toBe('true');
		const tones = await board.evaluate(() => window.__tones);

		// 165/85: an action flag, announced without a sound.
		const code = await sessionWithReading(entry, { systolic: 165, diastolic: 85 });
		await expect
			.poll(() => board.evaluate(() => window.__notifications.map((n) => n.title)), {
				timeout: 5_000
			})
			.toContain(`ACTION flag: ${code}`);
		expect(await board.evaluate(() => window.__tones)).toBe(tones);
	});
});
