// The bedside session screen with the keyboard: Tab order, Correct, the supplemental dose after a
// reload, "not done" at the end, and the deviation an out-of-window start records.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, signedInAll } from './setup/browser';
import { enrolParticipant, osloLocal } from './setup/clinical';
import { startSession, typeRow } from './setup/session';

/** What has the focus: an element's id, or its tag and text. */
const focused = (page: Page) =>
	page.evaluate(() => {
		const el = document.activeElement;
		return el?.id || `${el?.tagName.toLowerCase()}:${el?.textContent?.trim()}`;
	});

describe('the bedside session screen', () => {
	let page: Page;
	signedInAll('coordinator@demo.vigil.test', (s) => (page = s.page));

	it('Tab reaches every control of a reading, in the order of the row', async () => {
		await enrolParticipant(page);
		await startSession(page, 60);
		await page.waitForLoadState('networkidle');
		await page.locator('#r-30-takenAt').focus();
		const order = [await focused(page)];
		for (let i = 0; i < 8; i += 1) {
			await page.keyboard.press('Tab');
			order.push(await focused(page));
		}
		expect(order).toEqual([
			'r-30-takenAt',
			'r-30-systolic',
			'r-30-diastolic',
			'r-30-heartRate',
			'r-30-temperature',
			'r-30-unit',
			'r-30-position',
			'button:Save',
			'r30-takenAt'
		]);
		// The unit and position are chosen from the keyboard too.
		await page.locator('#r-30-unit').focus();
		await page.keyboard.press('ArrowDown');
		expect(await page.locator('#r-30-unit').inputValue()).toBe('F');
	});

	it('Correct puts the cursor in the row being corrected, where entered in error is its action', async () => {
		await enrolParticipant(page);
		await startSession(page, 60);
		await typeRow(page, ['124', '80', '72', '36.8']);
		await page.locator('[data-row="-30"].saved').waitFor();
		await typeRow(page, ['126', '81', '74', '']);
		await page.locator('[data-row="30"].saved').waitFor();
		// The cursor is in the next empty row (1 H) now; Correct on the first row moves it there.
		await expect.poll(() => focused(page)).toBe('r60-systolic');
		await page.getByRole('link', { name: 'Correct PRE-DOSE' }).focus();
		await page.keyboard.press('Enter');
		await expect.poll(() => focused(page)).toBe('r-30-systolic');
		const row = page.locator('form[data-row="-30"]');
		expect(await row.getByLabel(/Systolic at/).inputValue()).toBe('124');
		expect(await row.getByRole('button', { name: 'Entered in error' }).count()).toBe(1);
		await expectAccessible(page);
		// The correction is typed in that row and saved with its reason.
		await page.keyboard.press('Control+A');
		await page.keyboard.type('128');
		await row.getByLabel(/Reason for correcting PRE-DOSE/).fill('Transcription error');
		await row.getByRole('button', { name: 'Save correction' }).click();
		await page.locator('[data-row="-30"].saved').waitFor();
		expect(await page.locator('[data-row="-30"]').textContent()).toContain('128');
	});

	it('the supplemental dose shows what was saved, also after a reload', async () => {
		await enrolParticipant(page);
		await startSession(page, 120);
		const given = page.getByLabel('Given', { exact: true });
		const notGiven = page.getByLabel('Not given', { exact: true });
		// Nothing saved: nothing chosen for the user.
		expect(await given.isChecked()).toBe(false);
		expect(await notGiven.isChecked()).toBe(false);
		await notGiven.check();
		await page.getByLabel('If not given, why').fill('Held per protocol: participant asleep');
		await page.getByRole('button', { name: 'Save supplemental dose' }).click();
		await expect
			.poll(() => page.locator('dl.facts').textContent())
			.toContain('Not given: Held per protocol');
		await page.reload();
		expect(await page.getByLabel('Not given', { exact: true }).isChecked()).toBe(true);
		expect(await page.getByLabel('Given', { exact: true }).isChecked()).toBe(false);
		expect(await page.getByLabel('If not given, why').inputValue()).toBe(
			'Held per protocol: participant asleep'
		);
	});

	it('ending with scheduled readings missing asks, per timepoint, why each was not done', async () => {
		await enrolParticipant(page);
		await startSession(page, 100);
		await typeRow(page, ['124', '80', '72', '36.8']);
		await page.locator('[data-row="-30"].saved').waitFor();
		await page.getByLabel(/Session ended at/).fill(osloLocal(0));
		await page.getByRole('button', { name: 'Save end time' }).click();

		// 30 min, 1 H and 1.5 H were due and not taken (T0 was 100 minutes ago).
		const asked = page.getByLabel(/not done\?/);
		await expect.poll(() => asked.count()).toBe(3);
		const labels = await Promise.all((await asked.all()).map((l) => l.getAttribute('id')));
		expect(labels).toEqual(['notDone-30', 'notDone-60', 'notDone-90']);
		expect(await page.locator('dl.facts').textContent()).toContain('In progress');

		// One left without a reason: refused on that field, the others keep what was typed.
		await page.locator('#notDone-30').fill('Participant in the bathroom');
		await page.locator('#notDone-60').fill('Monitor cuff failed');
		const end = page.getByRole('button', { name: /record these as not done/ });
		await end.click();
		await expect.poll(() => page.locator('#notDone-90').getAttribute('aria-invalid')).toBe('true');
		expect(await page.locator('#notDone-30').inputValue()).toBe('Participant in the bathroom');
		expect(await page.locator('dl.facts').textContent()).toContain('In progress');
		await expectAccessible(page);

		await page.locator('#notDone-90').fill('Participant declined');
		await end.click();
		await expect.poll(() => page.locator('dl.facts').textContent()).not.toContain('In progress');
		expect(await page.locator('[data-row="30"]').textContent()).toContain(
			'Not done: Participant in the bathroom'
		);
		expect(await page.locator('[data-row="60"]').textContent()).toContain(
			'Not done: Monitor cuff failed'
		);
		expect(await page.locator('[data-row="90"]').textContent()).toContain(
			'Not done: Participant declined'
		);
	});

	it('an out-of-window start asks for the reason and records the deviation with it', async () => {
		await enrolParticipant(page);
		const participant = page.url();
		await page.getByLabel(/T0: time of the initial dose/).fill(osloLocal(30));
		await page.getByLabel('Initial dose (mg)').fill('120');
		await page.getByRole('button', { name: 'Start session' }).click();
		const confirm = page.getByRole('button', { name: 'Start anyway and record the deviation' });
		await confirm.waitFor();
		await expectAccessible(page);
		// No reason, no start.
		await confirm.click();
		expect(page.url()).toBe(participant);
		expect(await page.locator('section[aria-labelledby="deviations-h"]').textContent()).toContain(
			'No protocol deviations recorded.'
		);

		await page.getByLabel(/Give the reason for going ahead/).fill('Sponsor approved early dosing');
		await confirm.click();
		await page.waitForURL('**/sessions/*');

		await page.goto(participant);
		const deviations = page.locator('table.deviations tbody tr');
		await expect.poll(() => deviations.count()).toBeGreaterThan(0);
		const text = await page.locator('table.deviations').textContent();
		expect(text).toContain('Reason: Sponsor approved early dosing');
		expect(text).toMatch(/window/);
		await deviations.first().getByRole('link').click();
		await page.waitForURL('**/deviations/*');
		expect(await page.locator('main').textContent()).toContain('Sponsor approved early dosing');
		await expectAccessible(page);
	});
});
