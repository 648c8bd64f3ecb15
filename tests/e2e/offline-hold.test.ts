// A tablet offline, reloaded from the device's copy: an action-level reading typed then waits in
// the queue, and the page shows at once what the server will decide, from the protocol's own rules
// loaded from the service worker's files (they are not part of the page's first load): the
// provisional breach under the row and "hold the supplemental dose", with the supplemental form as
// during a hold the server knows. When the connection returns the server's hold replaces it.
import { describe, expect, it } from 'vitest';
import { expectAccessible } from './setup/browser';
import { enrolParticipant } from './setup/clinical';
import { coordinatorTablet, startSession, typeRow } from './setup/session';

const OVERRIDE_NEEDED =
	'The protocol says hold the supplemental dose. To record it as given, give the reason for overriding.';

describe('the supplemental-dose hold of a reading typed offline', () => {
	const tablet = coordinatorTablet();

	it('is shown at once after an offline reload, and replaced by the server’s on sync', async () => {
		const { context, page } = tablet;
		await enrolParticipant(page);
		await startSession(page, 70);
		const path = new URL(page.url()).pathname;
		await page.waitForLoadState('networkidle');
		await typeRow(page, ['124', '80', '72', '36.8']);
		await page.locator('[data-row="-30"].saved').waitFor();
		expect(await page.locator('.hold').count()).toBe(0);
		// The device keeps the page's copy (with the baseline) before the network goes.
		await expect
			.poll(() => page.evaluate(async (p) => (await (await caches.match(p))?.text()) ?? '', path), {
				timeout: 20_000
			})
			.toContain('124');

		await context.setOffline(true);
		const reloaded = await page.reload();
		expect(reloaded?.fromServiceWorker()).toBe(true);
		await page.locator('.offline-copy').waitFor();
		await page.locator('.offline-banner').waitFor();

		// 30 minutes after the dose, a systolic of 168: action level (DOMAIN.md §1).
		await page.locator('#r30-systolic').focus();
		await typeRow(page, ['168', '96', '78']);
		await page.locator('[data-row="30"].queued').waitFor();
		const breach = page.locator('[data-row="30"] ~ .row-flags.provisional li').first();
		await expect.poll(() => breach.textContent()).toContain('Systolic 168 mmHg');
		expect(await breach.textContent()).toContain('ACTION');

		const hold = page.locator('.hold');
		await expect.poll(() => hold.textContent()).toContain('Hold the supplemental dose.');
		expect(await hold.locator('.provisional-hold').textContent()).toContain('Systolic 168 mmHg');
		expect(await hold.locator('.provisional-hold').textContent()).toContain('provisional');

		// The supplemental form as during a hold the server knows: nothing chosen, no time, and
		// "given" needs the reason for overriding.
		const given = page.getByRole('radio', { name: 'Given', exact: true });
		expect(await given.isChecked()).toBe(false);
		expect(await page.getByRole('radio', { name: 'Not given' }).isChecked()).toBe(false);
		expect(await page.getByLabel(/^Given at/).inputValue()).toBe('');
		await given.check();
		await page.getByRole('button', { name: 'Save supplemental dose' }).click();
		await expect
			.poll(() => page.locator('#overrideReason-errors').textContent())
			.toContain(OVERRIDE_NEEDED);
		expect(await page.locator('#overrideReason-errors').textContent()).toContain(
			'Systolic 168 mmHg'
		);
		await expectAccessible(page);

		// Back online: the reading is stored, and the hold is the server's (no longer provisional).
		await context.setOffline(false);
		await page.locator('[data-row="30"].saved').waitFor();
		await expect.poll(() => page.locator('.offline-copy').count()).toBe(0);
		await expect.poll(() => hold.locator('.provisional-hold').count()).toBe(0);
		expect(await hold.textContent()).toContain('Systolic 168 mmHg');
		expect(await page.locator('.row-flags.provisional').count()).toBe(0);
		expect(await page.locator('[data-row="30"] ~ .row-flags li').first().textContent()).toContain(
			'Systolic 168 mmHg'
		);
	}, 150_000);
});
