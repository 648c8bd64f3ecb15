// A consent form version approved for a later date must not stop today's work: after an
// administrator saves one, a coordinator still enrols through the site page and the API, and
// records consent on the version in use now (the future one is not "required" before its day).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, contextsFor, signIn } from './setup/browser';
import { enrolParticipant, osloLocal } from './setup/clinical';

const SUBMIT = { timeout: 20_000 };
const participantId = (page: Page) => new URL(page.url()).pathname.split('/')[2]!;

describe('a consent form version dated in the future', () => {
	const as = contextsFor('admin', 'coordinator');

	it('is saved; enrolment through /sites/01 and consent on the version in use keep working', async () => {
		const page = await as.admin.newPage();
		await signIn(page, 'admin@demo.vigil.test');
		await page.waitForURL((u) => !u.pathname.startsWith('/login'));
		await page.goto('/consent', { waitUntil: 'networkidle' });
		const label = `8.${Date.now() % 100000}`;
		await page.getByLabel('Version label').fill(label);
		// The shared server's case: approved and in use only from a far date.
		await page.getByLabel('Ethics approval date').fill('2031-03-01');
		await page.getByLabel('In use from').fill('2031-04-01');
		await page.getByLabel('What changed').fill('Browser test: a version for later');
		await page.getByRole('button', { name: 'Add version' }).click();
		const versions = page.locator('section[aria-labelledby="versions-h"] tbody tr');
		await expect.poll(() => versions.filter({ hasText: label }).count(), SUBMIT).toBe(1);

		const c = await as.coordinator.newPage();
		await signIn(c, 'coordinator@demo.vigil.test');
		await c.waitForURL('**/sites');
		await enrolParticipant(c);
		const id = participantId(c);
		await c.goto(`/participants/${id}/trial`, { waitUntil: 'networkidle' });
		expect(await c.locator('.consent-missing').textContent()).toMatch(
			/No informed consent is recorded/
		);
		// The version offered is the newest in use, not the one for later.
		expect(await c.locator('#formVersionId option:checked').textContent()).not.toContain(label);
		await c.getByLabel('Signed at', { exact: false }).fill(osloLocal(5));
		await c.getByLabel('Consent obtained by').fill('Dr Ines Investigator');
		await c.getByRole('button', { name: 'Record consent' }).click();
		await expect.poll(() => c.locator('.consent-ok').count(), SUBMIT).toBe(1);
		expect(await c.locator('.consent-ok').textContent()).not.toContain(label);
		await expectAccessible(c);
	});
});
