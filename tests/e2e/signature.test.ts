import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPassword, expectAccessible, contextsFor, signIn } from './setup/browser';
import { osloLocal, runningSession } from './setup/clinical';

/** A coordinator records a short session and ends it; returns the session page's path. */
async function endedSession(
	page: Page
): Promise<{ path: string; participantId: string; code: string }> {
	const { participantId, code } = await runningSession(page, 120);
	const row = page.locator('form[data-row="-30"]');
	await row.getByLabel(/Systolic at/).fill('124');
	await row.getByLabel(/Diastolic at/).fill('80');
	await row.getByLabel(/Heart rate at/).fill('70');
	await row.getByRole('button', { name: 'Save' }).click();
	await page.locator('[data-row="-30"].saved').waitFor();
	await page.getByLabel(/Session ended at/).fill(osloLocal(5));
	await page.getByRole('button', { name: 'Save end time' }).click();
	// The other scheduled readings were not taken: each is recorded as not done, with why.
	const notDone = page.getByRole('button', { name: /record these as not done/ });
	await notDone.waitFor();
	for (const reason of await page.getByLabel(/not done\?/).all()) {
		await reason.fill('Browser test: only the baseline was measured');
	}
	await notDone.click();
	await expect.poll(() => page.locator('dl.facts').textContent()).not.toContain('In progress');
	return { path: new URL(page.url()).pathname, participantId, code };
}

describe('an investigator signs a dosing session (21 CFR Part 11)', () => {
	const as = contextsFor('coordinator', 'investigator');

	it('signs with password and meaning; the name, UTC time and meaning show; a later correction voids it', async () => {
		const c = await as.coordinator.newPage();
		await signIn(c, 'coordinator@demo.vigil.test');
		await c.waitForURL('**/sites');
		const { path, participantId, code } = await endedSession(c);

		const inv = await as.investigator.newPage();
		await signIn(inv, 'investigator@demo.vigil.test');
		await inv.waitForURL('**/review');
		await inv.getByRole('link', { name: 'To sign' }).click();
		await inv.waitForURL('**/review/queue');
		// The shared test server holds every other test's records too; the queue's participant
		// filter (a subject code, typed) finds this one however many newer ones there are.
		const filters = inv.getByRole('form', { name: 'Filter the queue' });
		await filters.getByLabel('Participant').fill(code);
		await filters.getByRole('button', { name: 'Show' }).click();
		await inv.waitForURL(`**/review/queue?*participant=${encodeURIComponent(code)}*`);
		await expect.poll(() => inv.locator(`a[href="${path}"]`).count()).toBeGreaterThan(0);
		const codes = await inv
			.locator('table a[href^="/participants/"]')
			.evaluateAll((as) =>
				as
					.filter((a) => /^\/participants\/\d+$/.test(a.getAttribute('href') ?? ''))
					.map((a) => a.textContent ?? '')
			);
		expect(new Set(codes)).toEqual(new Set([code]));
		expect(await filters.getByLabel('Participant').inputValue()).toBe(code);
		await expectAccessible(inv);
		// A link by participant id filters the same, and shows the code in the field.
		await inv.goto(`/review/queue?participantId=${participantId}`);
		await expect.poll(() => inv.locator(`a[href="${path}"]`).count()).toBeGreaterThan(0);
		expect(await filters.getByLabel('Participant').inputValue()).toBe(code);
		await inv.goto(path);

		// A wrong password signs nothing.
		await inv.getByRole('radio', { name: /Reviewed/ }).check();
		await inv.getByLabel('Your user id (sign-in email)').fill('investigator@demo.vigil.test');
		await inv.getByLabel('Your password').fill('not-my-password');
		await inv.getByRole('button', { name: 'Sign', exact: true }).click();
		await expect.poll(() => inv.locator('#sign-password-errors').textContent()).toBeTruthy();
		expect(await inv.locator('.signatures').textContent()).toContain('Not signed yet');

		await inv.getByRole('radio', { name: /Reviewed/ }).check();
		await inv.getByLabel('Your user id (sign-in email)').fill('investigator@demo.vigil.test');
		await inv.getByLabel('Your password').fill(demoPassword());
		await inv.getByRole('button', { name: 'Sign', exact: true }).click();
		await expect
			.poll(() => inv.locator('.signatures li.valid').textContent())
			.toMatch(/Dr Ines Investigator · Reviewed · \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC/);
		await expectAccessible(inv);

		// The coordinator corrects the reading: the signature is void, visibly.
		await c.goto(path);
		const readingId = await c
			.locator('[data-row="-30"] a', { hasText: 'Correct' })
			.getAttribute('href');
		await c.goto(`${path}${readingId}`);
		const row = c.locator('form[data-row="-30"]');
		await row.getByLabel(/Systolic at/).fill('126');
		await row.getByLabel(/Reason for correcting/).fill('typed 124 for 126');
		await row.getByRole('button', { name: 'Save correction' }).click();
		await c.locator('[data-row="-30"].saved').waitFor();

		await inv.reload();
		await expect
			.poll(() => inv.locator('.signatures li.void').textContent())
			.toContain('void: changed after signing');
		await inv.goto(`/review/queue?participantId=${participantId}`);
		await expect.poll(() => inv.locator(`a[href="${path}"]`).count()).toBeGreaterThan(0);
	});
});
