// The investigator's live board: a flag raised by a coordinator elsewhere appears without reload,
// and is acknowledged, actioned and closed there. The action and close forms are rendered only
// for the flag being acted on (a button opens one; without JavaScript, a link to `?act=`).
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openContext, signIn } from './setup/browser';
import { osloLocal, runningSession, saveReadingAt30 } from './setup/clinical';

declare global {
	interface Window {
		__marker?: number;
	}
}

/** A coordinator enrols a participant, starts a session and saves 172/95 at 30 min. */
async function breachingReading(page: Page): Promise<{ code: string; participantId: string }> {
	const { code, participantId } = await runningSession(page, 35);
	await saveReadingAt30(page, { systolic: 172, diastolic: 95 });
	return { code, participantId };
}

/** The card of this subject's reading on the board (a session's missed-reading card is another). */
const cardOf = (page: Page, code: string): Locator =>
	page
		.locator('section[aria-labelledby="open-h"] li.flag-card[data-card^="vital_reading:"]')
		.filter({ has: page.getByRole('link', { name: code, exact: true }) });

/** One reason on that card (the 172/95 reading raises an action and a notify flag). */
const flagOf = (page: Page, level: 'action' | 'notify', code: string): Locator =>
	cardOf(page, code)
		.locator('li.flag-reason')
		.filter({ hasText: level === 'action' ? 'Systolic 172' : 'Diastolic 95' });

describe('the review board', () => {
	let investigator: BrowserContext;
	let coordinator: BrowserContext;
	let board: Page;
	let entry: Page;
	let code: string;
	let participantId: string;
	beforeAll(async () => {
		[investigator, coordinator] = [await openContext(), await openContext()];
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

	it('shows a flag saved in another browser within seconds, without reloading', async () => {
		await board.goto('/review');
		await expect.poll(() => board.getByRole('status').first().textContent()).toBe('Live');
		await board.evaluate(() => (window.__marker = 1));

		({ code, participantId } = await breachingReading(entry));
		const started = Date.now();
		await flagOf(board, 'action', code).waitFor({ timeout: 5_000 });
		expect(Date.now() - started).toBeLessThan(3_000);
		expect(await board.evaluate(() => window.__marker)).toBe(1);
		// One card for the reading, listing both rules it broke, most severe first.
		expect(await cardOf(board, code).count()).toBe(1);
		const card = await cardOf(board, code).textContent();
		expect(card).toMatch(/ACTION[\s\S]*2 reasons/);
		expect(card).toMatch(/\d+ min\s+ago/);
		expect(card).toContain('2 not yet acknowledged');
		const reasons = await cardOf(board, code)
			.locator('li.flag-reason .flag-message')
			.allTextContents();
		expect(reasons.map((r) => r.replace(/\s+/g, ' ').trim().slice(0, 20))).toEqual([
			'ACTION Systolic 172 ',
			'NOTIFY Diastolic 95 '
		]);
		const text = await flagOf(board, 'action', code).textContent();
		expect(text).toContain('Systolic 172 mmHg');
		expect(text).toContain('Raised, not yet acknowledged');
		// No form is rendered until one is opened: the arrived card carries buttons only.
		expect(await board.locator('section[aria-labelledby="open-h"] form.flag-form').count()).toBe(0);
		await expectAccessible(board);
	});

	it('the investigator acknowledges, records an action and closes the flag that arrived live', async () => {
		const flag = flagOf(board, 'action', code);
		await flag.getByRole('button', { name: 'Acknowledge' }).click();
		await expect.poll(() => flag.locator('.flag-status').textContent()).toBe('Acknowledged');

		const open = flag.getByRole('button', { name: 'Record an action' });
		expect(await open.getAttribute('aria-expanded')).toBe('false');
		await open.click();
		expect(await open.getAttribute('aria-expanded')).toBe('true');
		// Only this flag's form is open.
		expect(await board.locator('section[aria-labelledby="open-h"] form.flag-form').count()).toBe(1);
		// Details without saying what was done: the field error, and the details kept.
		await flag.getByLabel('Details').fill('Dr Berg reviewed; supplemental dose held.');
		await flag.getByRole('button', { name: 'Record action' }).click();
		await expect
			.poll(() => flag.locator('.field-errors').textContent())
			.toContain('Choose what was done.');
		expect(await flag.getByLabel('Details').inputValue()).toBe(
			'Dr Berg reviewed; supplemental dose held.'
		);
		expect(await flag.getByLabel('What was done').getAttribute('aria-invalid')).toBe('true');
		await expectAccessible(board);
		await flag.getByLabel('What was done').selectOption({ label: 'Physician called' });
		await flag.getByRole('button', { name: 'Record action' }).click();
		await expect
			.poll(() => flag.locator('.flag-meta').textContent())
			.toContain('Physician called, “Dr Berg reviewed; supplemental dose held.”');
		// Saved: the form closes again.
		await expect.poll(() => flag.locator('form.flag-form').count()).toBe(0);
		expect(await open.getAttribute('aria-expanded')).toBe('false');

		await flag.getByText('Close with an outcome').click();
		await flag.getByLabel('Outcome').fill('Recheck 30 min later 148/88; resolved.');
		await flag.getByRole('button', { name: 'Close flag' }).click();
		await expect.poll(() => flag.count()).toBe(0);
		// The card stays for its other reason.
		expect(await flagOf(board, 'notify', code).count()).toBe(1);
		const closed = board
			.locator('section[aria-labelledby="closed-h"] li.flag')
			.filter({ hasText: 'Recheck 30 min later 148/88; resolved.' });
		expect(await closed.textContent()).toContain(code);
		expect(await board.evaluate(() => window.__marker)).toBe(1);
		await expectAccessible(board);
	});

	it('a coordinator may record an action but neither acknowledge nor close', async () => {
		await entry.goto('/review');
		const flag = flagOf(entry, 'notify', code);
		await flag.waitFor();
		expect(await flag.getByText('Record an action').count()).toBe(1);
		expect(await flag.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
		expect(await flag.getByText('Close with an outcome').count()).toBe(0);
	});

	it('without JavaScript the forms still work, and a missing outcome is explained', async () => {
		const context = await openContext({ javaScriptEnabled: false });
		try {
			const page = await context.newPage();
			await signIn(page, 'investigator@demo.vigil.test');
			await page.waitForURL((url) => url.pathname !== '/login');
			await page.goto('/review');
			expect(await page.getByRole('status').first().textContent()).toBe(
				'Updates when you reload the page.'
			);
			expect(await page.locator('form.flag-form').count()).toBe(0);
			await flagOf(page, 'notify', code).getByRole('button', { name: 'Acknowledge' }).click();
			await expect
				.poll(() => flagOf(page, 'notify', code).locator('.flag-status').textContent())
				.toBe('Acknowledged');
			const flag = flagOf(page, 'notify', code);
			// The link opens this flag's form on the server's page.
			await flag.getByRole('link', { name: 'Record an action' }).click();
			await page.waitForURL(/[?&]act=action-\d+/);
			expect(await page.locator('form.flag-form').count()).toBe(1);
			await flag.getByLabel('Details').fill('Checked by phone.');
			await flag.getByRole('button', { name: 'Record action' }).click();
			await expect
				.poll(() => flagOf(page, 'notify', code).locator('.field-errors').textContent())
				.toContain('Choose what was done.');
			expect(await flagOf(page, 'notify', code).getByLabel('Details').inputValue()).toBe(
				'Checked by phone.'
			);
			await flag.getByRole('link', { name: 'Close with an outcome' }).click();
			await page.waitForURL(/[?&]act=close-\d+/);
			await flag.getByRole('button', { name: 'Close flag' }).click();
			await expect
				.poll(() => flagOf(page, 'notify', code).locator('.field-errors').textContent())
				.toContain('Record the outcome.');
		} finally {
			await context.close();
		}
	});

	it('the JSON API reads and closes the same flags, with the same rules', async () => {
		const open = await (await board.request.get('/api/v1/flags')).json();
		const notify = open.flags.find(
			(f: { subjectCode: string; message: string }) =>
				f.subjectCode === code && f.message.startsWith('Diastolic 95')
		);
		const one = await board.request.get(`/api/v1/flags/${notify.id}`);
		expect(await one.json()).toMatchObject({ id: notify.id, status: 'acknowledged' });
		const path = `/api/v1/flags/${notify.id}`;
		expect((await board.request.post(`${path}/acknowledge`, { data: {} })).status()).toBe(409);
		const empty = await board.request.post(`${path}/close`, { data: {} });
		expect(empty.status()).toBe(422);
		expect((await empty.json()).error.fields[0].path).toBe('outcome');
		const outcome = { outcome: 'Recheck normal.' };
		expect((await entry.request.post(`${path}/close`, { data: outcome })).status()).toBe(403);
		const closed = await board.request.post(`${path}/close`, { data: outcome });
		expect(await closed.json()).toMatchObject({ status: 'closed', outcome: 'Recheck normal.' });
		const all = await (await board.request.get(`/api/v1/flags?open=false&limit=50`)).json();
		expect(all.flags.some((f: { id: number }) => f.id === notify.id)).toBe(true);
	});

	it('a serious AE known for 30 h shows its SAE clock OVERDUE and its 7-day SUSAR clock', async () => {
		const no = 'no';
		const ae = await entry.request.post(`/api/v1/participants/${participantId}/adverse-events`, {
			data: {
				verbatimTerm: 'Chest pain with ST changes',
				onsetAt: osloLocal(31 * 60),
				awareAt: osloLocal(30 * 60),
				severity: '4',
				criteria: {
					...{ death: no, hospitalisation: no, disability: no, congenitalAnomaly: no },
					...{ lifeThreatening: 'yes', importantMedicalEvent: no }
				},
				relatedness: 'probable',
				expectedness: 'unexpected',
				actionTaken: 'drug-withdrawn',
				outcome: 'recovering'
			}
		});
		expect(ae.status()).toBe(201);
		const row = board.locator('table.review-clocks tr').filter({ hasText: code });
		await row.waitFor({ timeout: 5_000 });
		const cells = row.locator('td');
		expect(await cells.nth(3).textContent()).toMatch(/OVERDUE\s+by (5 h 59|6 h 0) min/);
		expect(await cells.nth(4).textContent()).toContain('(7 days)');
		expect(await cells.nth(4).textContent()).not.toContain('OVERDUE');
		expect(await board.evaluate(() => window.__marker)).toBe(1);
		await expectAccessible(board);
	});

	it('filters narrow the board; a card’s flags are acknowledged and closed together', async () => {
		const second = (await breachingReading(entry)).code;
		await board.goto('/review');
		await cardOf(board, second).waitFor({ timeout: 5_000 });
		const filters = board.getByRole('form', { name: 'Filter the board' });
		await filters.getByLabel('Participant').selectOption(second);
		await filters.getByRole('button', { name: 'Show' }).click();
		await board.waitForURL(`**/review?*participant=${second}*`);
		expect(await cardOf(board, second).count()).toBe(1);
		expect(await cardOf(board, code).count()).toBe(0);
		expect(
			await board
				.locator('section[aria-labelledby="open-h"] li.flag-card .flag-head a')
				.first()
				.textContent()
		).toBe(second);
		await filters.getByLabel('Level').selectOption('urgent');
		await filters.getByRole('button', { name: 'Show' }).click();
		await expect
			.poll(() => board.locator('section[aria-labelledby="open-h"]').textContent())
			.toContain('No open flags match these filters.');
		await filters.getByLabel('Level').selectOption('');
		await filters.getByLabel('Not yet acknowledged only').check();
		await filters.getByRole('button', { name: 'Show' }).click();
		await cardOf(board, second).waitFor();
		await expectAccessible(board);

		await cardOf(board, second).getByRole('button', { name: 'Acknowledge all 2' }).click();
		// Both seen: the card leaves the "not yet acknowledged" view.
		await expect.poll(() => cardOf(board, second).count()).toBe(0);
		await board.goto(`/review?participant=${second}`);
		const card = cardOf(board, second);
		expect(await card.locator('.flag-status').allTextContents()).toEqual([
			'Acknowledged',
			'Acknowledged'
		]);
		// One action recorded on both reasons of the card at once.
		await card.getByText('Record one action for all 2').click();
		await card.getByLabel('What was done, for all 2').selectOption('recheck');
		await card.locator('textarea[name="text"]').first().fill('Rechecked seated after 5 min.');
		await card.getByRole('button', { name: 'Record action for all 2' }).click();
		await expect
			.poll(() => card.locator('.flag-status').allTextContents())
			.toEqual(['Action recorded', 'Action recorded']);
		await card.getByText('Close all 2 with one outcome').click();
		await card.getByRole('button', { name: 'Close all 2', exact: true }).click();
		await expect
			.poll(() => card.locator('.field-errors').textContent())
			.toContain('Record the outcome.');
		await card.getByLabel('Outcome for all 2').fill('Repeat 30 min later 142/84; both settled.');
		await card.getByRole('button', { name: 'Close all 2', exact: true }).click();
		await expect.poll(() => card.count()).toBe(0);
		const closed = board
			.locator('section[aria-labelledby="closed-h"] li.flag')
			.filter({ hasText: 'Repeat 30 min later 142/84; both settled.' });
		expect(await closed.count()).toBe(2);
	});
});
