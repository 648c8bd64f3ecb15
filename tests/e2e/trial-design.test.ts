import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, expectAccessible, openContext, signIn } from './setup/browser';

describe('consent, randomisation and emergency unblinding in the browser', () => {
	let investigator: BrowserContext;
	let pharmacist: BrowserContext;
	beforeAll(async () => {
		investigator = await openContext();
		pharmacist = await openContext();
	});
	afterAll(async () => {
		await investigator.close();
		await pharmacist.close();
	});

	it('an investigator unblinds one randomised participant: the arm shows once, then only the fact', async () => {
		const page = await investigator.newPage();
		await signIn(page, 'investigator@demo.vigil.test');
		await page.waitForURL('**/review');
		await page.goto('/sites/01');
		const links = await page
			.locator('a[href^="/participants/"]')
			.evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
		let trial: string | null = null;
		for (const href of [...new Set(links)].filter((h) => /^\/participants\/\d+$/.test(h))) {
			await page.goto(`${href}/trial`);
			if ((await page.getByText('Emergency unblinding').count()) > 0) {
				trial = `${href}/trial`;
				break;
			}
		}
		expect(trial).not.toBeNull();
		expect(await page.locator('body').textContent()).toContain('Blinded');
		await expect
			.poll(() => page.getByText(/Consent valid|No valid consent/).count())
			.toBeGreaterThan(0);
		await expectAccessible(page);

		await page.getByText('Emergency unblinding').click();
		await page
			.getByLabel('Medical reason')
			.fill('Suspected serotonin syndrome in the emergency room');
		await page.getByLabel(/I confirm that knowing the arm/).check();
		await page.getByLabel('Your password, again').fill('wrong-password');
		await page.getByRole('button', { name: 'Unblind this participant' }).click();
		await expect
			.poll(() => page.locator('#password-errors').textContent())
			.toMatch(/Nothing was revealed/);
		// What was typed stays, except the password.
		expect(await page.getByLabel('Medical reason').inputValue()).toMatch(/serotonin/);

		await page.getByLabel(/I confirm that knowing the arm/).check();
		await page.getByLabel('Your password, again').fill(demoPassword());
		await page.getByRole('button', { name: 'Unblind this participant' }).click();
		const alert = page.locator('.unblinded-once');
		await expect
			.poll(() => alert.textContent())
			.toMatch(/MDMA-assisted therapy|Placebo with therapy/);
		await expectAccessible(page);

		await page.goto(trial!);
		const body = (await page.locator('body').textContent()) ?? '';
		expect(body).toMatch(/Unblinded in an emergency/);
		expect(body).not.toMatch(/MDMA-assisted therapy|Placebo with therapy/);
		expect(await page.getByText('Emergency unblinding').count()).toBe(0);
	});

	it('the pharmacist sees kits and arms; the page is accessible', async () => {
		const page = await pharmacist.newPage();
		await signIn(page, 'pharmacist@demo.vigil.test');
		await page.waitForURL('**/pharmacy');
		await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
		expect(await page.locator('tbody').textContent()).toMatch(
			/MDMA-assisted therapy|Placebo with therapy/
		);
		await expectAccessible(page);
		expect((await page.goto('/cohort'))?.status()).toBe(403);
	});
});

describe('blinding guesses and the blinding-integrity page', () => {
	let coordinator: BrowserContext;
	let investigator: BrowserContext;
	let pharmacist: BrowserContext;
	beforeAll(async () => {
		coordinator = await openContext();
		investigator = await openContext();
		pharmacist = await openContext();
	});
	afterAll(async () => {
		await coordinator.close();
		await investigator.close();
		await pharmacist.close();
	});

	it('a coordinator records a therapist’s guess after a session; a bad form keeps what was chosen', async () => {
		const page = await coordinator.newPage();
		await signIn(page, 'coordinator@demo.vigil.test');
		await page.waitForURL('**/sites');
		await page.goto('/sites/01');
		const links = await page
			.locator('a[href^="/participants/"]')
			.evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
		let trial: string | null = null;
		for (const href of [...new Set(links)].filter((h) => /^\/participants\/\d+$/.test(h))) {
			await page.goto(`${href}/trial`);
			if ((await page.locator('#timepoint option[value="DS1"]').count()) > 0) {
				trial = `${href}/trial`;
				break;
			}
		}
		expect(trial).not.toBeNull();
		await page.locator('#timepoint').selectOption('DS1');
		await page.locator('#respondent').selectOption('therapist');
		await page.getByLabel('Active (MDMA)').check();
		await page.getByRole('button', { name: 'Save guess' }).click();
		// No confidence chosen: the field says so, and the guess chosen is still chosen.
		await expect
			.poll(() => page.locator('#confidence-errors').textContent())
			.toMatch(/how confident/);
		expect(await page.getByLabel('Active (MDMA)').isChecked()).toBe(true);
		expect(await page.locator('#respondent').inputValue()).toBe('therapist');
		await page.getByLabel('moderate').check();
		await page.getByRole('button', { name: 'Save guess' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Saved/);
		const row = page.locator('tr', { hasText: 'therapist' }).filter({ hasText: 'DS1' });
		await expect.poll(() => row.count()).toBe(1);
		expect(await row.textContent()).toMatch(/Active \(MDMA\).*moderate/);
		await expectAccessible(page);
		const body = (await page.locator('body').textContent()) ?? '';
		expect(body).not.toMatch(/MDMA-assisted therapy|Placebo with therapy/);
	});

	it('an investigator sees pooled guesses and James’ index, no arm; the pharmacist sees Bang per arm', async () => {
		const page = await investigator.newPage();
		await signIn(page, 'investigator@demo.vigil.test');
		await page.waitForURL('**/review');
		await page.getByRole('link', { name: 'Blinding' }).click();
		await page.waitForURL('**/cohort/blinding');
		await expect.poll(() => page.locator('table tbody tr').count()).toBeGreaterThan(1);
		const blinded = (await page.locator('main').textContent()) ?? '';
		expect(blinded).toMatch(/Arms are concealed/);
		expect(blinded).toMatch(/James' index/);
		// (The study's title names MDMA, so the placebo arm's label is the tell.)
		expect(blinded).not.toMatch(/Bang |Placebo with therapy|\bPBO\b/);
		const csv = await page.locator('a.csv').getAttribute('href');
		expect(decodeURIComponent(csv!)).toMatch(/^data:text\/csv.*Respondent,Timepoint,Guesses n/s);
		await expectAccessible(page);

		const pharm = await pharmacist.newPage();
		await signIn(pharm, 'pharmacist@demo.vigil.test');
		await pharm.waitForURL('**/pharmacy');
		await pharm.goto('/cohort/blinding');
		const open = (await pharm.locator('main').textContent()) ?? '';
		expect(open).toMatch(/Per-arm figures are shown/);
		expect(open).toMatch(/Bang MDMA-assisted therapy/);
		await expectAccessible(pharm);
	});
});
