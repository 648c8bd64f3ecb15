// Casebook signing (21 CFR 11.200(a)(1)): several records signed with one entry of the
// components, and later signings in the same sign-in session with the password alone.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, expectAccessible, openContext, signIn } from './setup/browser';

/** The participant pages linked from the review queue, most records first. */
async function participantsInQueue(page: Page): Promise<string[]> {
	await page.goto('/review/queue?pageSize=500');
	const hrefs = await page
		.locator('tbody td:nth-child(2) a')
		.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
	const counts = new Map<string, number>();
	for (const h of hrefs) counts.set(h, (counts.get(h) ?? 0) + 1);
	return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([h]) => h);
}

describe('an investigator signs a casebook in one act', () => {
	let investigator: BrowserContext;
	beforeAll(async () => {
		investigator = await openContext();
	});
	afterAll(async () => {
		await investigator.close();
	});

	it('signs every listed record with one password entry; the next casebook needs only the password', async () => {
		const inv = await investigator.newPage();
		await signIn(inv, 'investigator@demo.vigil.test');
		await inv.waitForURL('**/review');
		const [first, second] = await participantsInQueue(inv);
		expect(second).toBeTruthy();

		await inv.goto(`${first}/casebook`);
		const rows = await inv.locator('tbody tr').count();
		expect(rows).toBeGreaterThan(1);
		await expectAccessible(inv);
		await inv.getByRole('radio', { name: /Approved/ }).check();
		await inv.getByLabel('Your user id (sign-in email)').fill('investigator@demo.vigil.test');
		await inv.getByLabel('Your password').fill(demoPassword());
		await inv.getByRole('button', { name: `Sign ${rows} records` }).click();
		await expect
			.poll(() => inv.getByRole('status').first().textContent())
			.toContain(`Signed ${rows} records`);
		await inv.reload();
		await expect
			.poll(() => inv.locator('main').textContent())
			.toContain('Nothing in this casebook is waiting for a signature');

		// Nothing of that participant is left in the queue.
		await inv.goto(`/review/queue?participantId=${first!.split('/').pop()}`);
		await expect.poll(() => inv.locator('#queue-count').textContent()).toContain('0 records');

		// Later in the same sign-in session: the password alone signs.
		await inv.goto(`${second}/casebook`);
		const more = await inv.locator('tbody tr').count();
		expect(await inv.getByLabel('Your user id (sign-in email)').count()).toBe(0);
		await inv.getByRole('radio', { name: /Reviewed/ }).check();
		await inv.getByLabel('Your password').fill(demoPassword());
		await inv.getByRole('button', { name: `Sign ${more} records` }).click();
		await expect
			.poll(() => inv.getByRole('status').first().textContent())
			.toContain(`Signed ${more} record`);
		await expectAccessible(inv);
	});
});
