import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, openContext, signIn, signedInAll } from './setup/browser';
import { enrolParticipant, osloLocal } from './setup/clinical';
import { osloClock, startSession, typeRow } from './setup/session';

describe('a coordinator records a whole dosing session with the keyboard', () => {
	let page: Page;
	signedInAll('coordinator@demo.vigil.test', (s) => (page = s.page));

	it('enrols, starts the session, enters every scheduled reading, the supplemental dose and the end', async () => {
		await enrolParticipant(page);
		await expectAccessible(page);
		await startSession(page, 9 * 60);
		await expectAccessible(page);

		// The cursor starts in the first row; each Enter saves and moves to the next timepoint.
		const rows = ['-30', '30', '60', '90', '120', '180', '240', '300', '360', '420'];
		for (const [i, key] of rows.entries()) {
			await expect
				.poll(() => page.evaluate(() => document.activeElement?.id))
				.toBe(`r${key}-systolic`);
			// T0 was 9 hours ago: each reading typed with the time it was measured, 3 min past plan.
			await typeRow(
				page,
				[String(124 + i), String(80 + (i % 5)), String(72 + i), i % 2 ? '' : '36.9'],
				osloClock(9 * 60 - Number(key) - 3)
			);
			await page.locator(`[data-row="${key}"].saved`).waitFor();
		}
		await expect.poll(() => page.locator('.vitals-row.saved').count()).toBe(10);

		await page.getByLabel('Given', { exact: true }).check();
		await page.getByLabel('Supplemental dose (mg)').fill('60');
		await page.getByLabel(/Given at/).fill(osloLocal(9 * 60 - 100));
		await page.getByRole('button', { name: 'Save supplemental dose' }).click();
		await expect.poll(() => page.locator('dl.facts').textContent()).toContain('60 mg at');

		await page.getByLabel(/Session ended at/).fill(osloLocal(50));
		await page.getByRole('button', { name: 'Save end time' }).click();
		await expect.poll(() => page.locator('dl.facts').textContent()).not.toContain('In progress');

		await page.locator('#rend-systolic').focus();
		await typeRow(page, ['122', '79', '70', '36.8'], osloClock(50));
		await page.locator('[data-row="end"].saved').waitFor();
		expect(await page.locator('.vitals-row.saved').count()).toBe(11);
		expect(await page.locator('[data-row="-30"]').textContent()).toContain('baseline');
		// Planned and measured time, and how late (3 minutes, or a little more if a minute turned).
		expect(await page.locator('[data-row="60"]').textContent()).toMatch(
			/\d\d:\d\dplanned \d\d:\d\d · [345] min late/
		);
	}, 180_000); // eleven rows typed key by key: slow on a loaded machine

	it('an implausible value gets a field error and every typed value stays', async () => {
		await enrolParticipant(page);
		await startSession(page, 60);
		await typeRow(page, ['400', '85', '77', '37.1']);
		const row = page.locator('form[data-row="-30"]');
		await expect
			.poll(() => row.getByRole('alert').textContent())
			.toContain('Systolic pressure must be 50–300 mmHg');
		expect(await row.getByLabel(/Systolic at/).inputValue()).toBe('400');
		expect(await row.getByLabel(/Diastolic at/).inputValue()).toBe('85');
		expect(await row.getByLabel(/Heart rate at/).inputValue()).toBe('77');
		expect(await row.getByLabel(/^Temperature at/).inputValue()).toBe('37.1');
		expect(await row.getByLabel(/Systolic at/).getAttribute('aria-invalid')).toBe('true');
	});

	it('a jump of more than 60 mmHg asks for confirmation before saving', async () => {
		await enrolParticipant(page);
		await startSession(page, 60);
		await typeRow(page, ['120', '80', '70', '36.8']);
		await page.locator('[data-row="-30"].saved').waitFor();
		await typeRow(page, ['190', '95', '90', '']);
		const row = page.locator('form[data-row="30"]');
		await expect.poll(() => row.getByRole('alert').textContent()).toContain('rose by 70 mmHg');
		await row.getByLabel('I have checked these values; save them.').check();
		await row.getByRole('button', { name: 'Save' }).click();
		await page.locator('[data-row="30"].saved').waitFor();
	});
});

describe('without JavaScript', () => {
	it('a reading saves and errors come back with the typed values', async () => {
		const context = await openContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		try {
			await signIn(page, 'coordinator@demo.vigil.test');
			await page.waitForURL('**/sites');
			await enrolParticipant(page);
			await startSession(page, 60);
			const row = page.locator('form[data-row="-30"]');
			await row.getByLabel(/Systolic at/).fill('130');
			await row.getByLabel(/Diastolic at/).fill('140');
			await row.getByRole('button', { name: 'Save' }).click();
			await expect
				.poll(() => page.locator('form[data-row="-30"]').getByRole('alert').textContent())
				.toContain('must be below systolic');
			expect(
				await page
					.locator('form[data-row="-30"]')
					.getByLabel(/Systolic at/)
					.inputValue()
			).toBe('130');
			await page
				.locator('form[data-row="-30"]')
				.getByLabel(/Diastolic at/)
				.fill('85');
			await page.locator('form[data-row="-30"]').getByRole('button', { name: 'Save' }).click();
			await page.locator('[data-row="-30"].saved').waitFor();
		} finally {
			await context.close();
		}
	});
});
