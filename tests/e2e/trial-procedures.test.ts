// Consent and re-consent, randomisation, and a medication that holds the dose, in the browser, as
// the roles that do them: the administrator records form versions, the coordinator records consent,
// randomises and records medications; the investigator reads but may not randomise.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, contextsFor, signIn } from './setup/browser';
import { enrolParticipant, osloLocal } from './setup/clinical';

const COORDINATOR = 'coordinator@demo.vigil.test';
/** How long a form's answer may take on the shared, busy test server. */
const SUBMIT = { timeout: 20_000 };
const ARM_LABELS = /MDMA-assisted therapy|Placebo with therapy/;

const participantId = (page: Page) => new URL(page.url()).pathname.split('/')[2]!;
const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';

describe('consent and re-consent', () => {
	const as = contextsFor('admin', 'coordinator');

	it('an administrator’s form version used before its approval is refused, keeping what was typed', async () => {
		const page = await as.admin.newPage();
		await signIn(page, 'admin@demo.vigil.test');
		await page.waitForURL((u) => !u.pathname.startsWith('/login'));
		await page.goto('/consent');
		const versions = page.locator('section[aria-labelledby="versions-h"] tbody tr');
		await expect.poll(() => versions.count()).toBeGreaterThanOrEqual(2);
		await expectAccessible(page);

		const label = `9.${Date.now() % 100000}`;
		await page.getByLabel('Version label').fill(label);
		await page.getByLabel('Ethics approval date').fill('2031-03-01');
		await page.getByLabel('In use from').fill('2031-02-01');
		await page.getByLabel('What changed').fill('Browser test: new contact details');
		await page.getByRole('button', { name: 'Add version' }).click();
		await expect
			.poll(() => page.locator('#activeFrom-errors').textContent(), SUBMIT)
			.toMatch(/cannot be used before its approval/);
		expect(await page.getByLabel('Version label').inputValue()).toBe(label);
		expect(await page.getByLabel('What changed').inputValue()).toBe(
			'Browser test: new contact details'
		);
		await expectAccessible(page);

		// Not saved here: on the shared server, a version approved for a later date was followed by
		// enrolments that no longer went through (under investigation; see the issue-14 report).
	});

	it('a coordinator re-consents a listed participant on the required version; a representative without a name is refused, keeping the form', async () => {
		const page = await as.coordinator.newPage();
		await signIn(page, COORDINATOR);
		await page.waitForURL('**/sites');
		await page.goto('/consent');
		const listed = page.locator('section[aria-labelledby="reconsent-h"] tbody tr');
		await expect.poll(() => listed.count()).toBeGreaterThan(0);
		// A coordinator reads the list but does not add versions.
		expect(await page.getByRole('button', { name: 'Add version' }).count()).toBe(0);
		const first = listed.first();
		const code = (await first.locator('a').textContent())!.trim();
		const required = (await first.locator('td').nth(2).textContent())!.trim();
		await first.locator('a').click();
		await page.waitForURL('**/trial');
		expect(await page.locator('.consent-missing').textContent()).toMatch(/No valid consent/);
		await expectAccessible(page);

		const version = await page
			.locator('#formVersionId option', { hasText: `${required} (in use` })
			.getAttribute('value');
		await page.locator('#formVersionId').selectOption(version!);
		await page.getByLabel('A legally authorised representative').check();
		await page.getByLabel('Consent obtained by').fill('Dr Ines Investigator');
		await page.getByLabel(/Reason for re-consent/).fill('New cardiovascular information');
		await page.getByRole('button', { name: 'Record consent' }).click();
		await expect.poll(() => page.locator('#larName-errors').textContent(), SUBMIT).not.toBe('');
		expect(await page.getByLabel('Consent obtained by').inputValue()).toBe('Dr Ines Investigator');
		expect(await page.getByLabel(/Reason for re-consent/).inputValue()).toBe(
			'New cardiovascular information'
		);
		expect(await page.getByLabel('A legally authorised representative').isChecked()).toBe(true);

		await page.getByRole('radio', { name: 'The participant' }).check();
		await page.getByLabel('Copy given on').fill(osloLocal(0).slice(0, 10));
		await page.getByLabel('Copy medium').selectOption('paper');
		await page.getByRole('button', { name: 'Record consent' }).click();
		await expect.poll(() => page.locator('.consent-ok').count(), SUBMIT).toBe(1);
		expect(await page.locator('.consent-ok').textContent()).toContain(`version ${required}`);
		const record = page
			.locator('section[aria-labelledby="consent-h"] tbody tr')
			.filter({ hasText: 'New cardiovascular information' });
		await expect.poll(() => record.count(), SUBMIT).toBe(1);
		expect(await record.textContent()).toMatch(/Participant.*Dr Ines Investigator.*paper/);
		await expectAccessible(page);

		await page.goto('/consent');
		const codes = await page
			.locator('section[aria-labelledby="reconsent-h"] tbody a')
			.allTextContents();
		expect(codes.map((c) => c.trim())).not.toContain(code);
	});
});

describe('randomisation', () => {
	const as = contextsFor('coordinator', 'investigator');

	it('a coordinator randomises a consented participant once baseline MADRS is in: a kit, never an arm', async () => {
		const page = await as.coordinator.newPage();
		await signIn(page, COORDINATOR);
		await page.waitForURL('**/sites');
		await enrolParticipant(page);
		const id = participantId(page);
		await page.goto(`/participants/${id}/trial`);
		expect(await page.locator('.consent-missing').textContent()).toMatch(/No valid consent/);
		await page.getByLabel('Signed at', { exact: false }).fill(osloLocal(5));
		await page.getByLabel('Consent obtained by').fill('Dr Ines Investigator');
		await page.getByRole('button', { name: 'Record consent' }).click();
		await expect.poll(() => page.locator('.consent-ok').count(), SUBMIT).toBe(1);

		// No baseline MADRS yet: the stratum cannot be known, and the page says so.
		expect(await mainText(page)).toMatch(/Not randomised/);
		await page.getByRole('button', { name: 'Randomise' }).click();
		await expect
			.poll(() => page.locator('#randomise-errors').textContent(), SUBMIT)
			.toMatch(/MADRS|baseline/i);
		expect(await mainText(page)).toMatch(/Not randomised/);

		await page.goto(`/participants/${id}/scales/new?instrument=MADRS`);
		const baseline = await page
			.locator('#visitId option', { hasText: 'BL · Baseline' })
			.getAttribute('value');
		await page.locator('#visitId').selectOption(baseline!);
		for (let i = 1; i <= 10; i += 1) await page.locator(`#items-${i}`).fill('4');
		await page.getByRole('button', { name: 'Save MADRS' }).click();
		await page.waitForURL(/\/scales\/\d+$/);

		await page.goto(`/participants/${id}/trial`);
		await expectAccessible(page);
		await page.getByRole('button', { name: 'Randomise' }).click();
		await expect
			.poll(() => page.getByRole('status').textContent(), SUBMIT)
			.toMatch(/Randomised: kit \S+/);
		const facts = (await page.locator('dl.facts').textContent()) ?? '';
		// Baseline 40 is in the severe band (≥ 35) of site 01's stratum.
		expect(facts).toMatch(/Kit.*Stratum.*01.*Arm\s*Blinded/s);
		expect(await mainText(page)).not.toMatch(ARM_LABELS);
		// Once only: the button is gone.
		expect(await page.getByRole('button', { name: 'Randomise' }).count()).toBe(0);
		await expectAccessible(page);

		const inv = await as.investigator.newPage();
		await signIn(inv, 'investigator@demo.vigil.test');
		await inv.waitForURL('**/review');
		await inv.goto(`/participants/${id}/trial`);
		expect(await inv.locator('dl.facts').textContent()).toMatch(/Arm\s*Blinded/);
		expect(await inv.getByRole('button', { name: 'Randomise' }).count()).toBe(0);
		expect(await mainText(inv)).not.toMatch(ARM_LABELS);
	});
});

describe('a medication that holds the dose', () => {
	const as = contextsFor('coordinator');

	it('an MAO inhibitor is flagged on entry and holds the dosing session until a reason is given', async () => {
		const page = await as.coordinator.newPage();
		await signIn(page, COORDINATOR);
		await page.waitForURL('**/sites');
		const code = await enrolParticipant(page);
		const id = participantId(page);
		await page.goto(`/participants/${id}/trial`);
		await page.getByLabel('Medication (as written)').fill('Nardil');
		await page.getByLabel('Ingredient', { exact: true }).fill('phenelzine');
		await page.getByLabel('Dose', { exact: true }).fill('15');
		await page.getByLabel('Unit').fill('mg');
		await page.getByLabel('Start (YYYY-MM-DD, YYYY-MM or YYYY)').fill('2026-13-01');
		await page.getByRole('button', { name: 'Save medication' }).click();
		// A bad date is the field's error; the rest stays as typed.
		await expect.poll(() => page.locator('#start-errors').textContent(), SUBMIT).not.toBe('');
		expect(await page.getByLabel('Medication (as written)').inputValue()).toBe('Nardil');
		expect(await page.getByLabel('Ingredient', { exact: true }).inputValue()).toBe('phenelzine');
		await page.getByLabel('Start (YYYY-MM-DD, YYYY-MM or YYYY)').fill('2026-01');
		await page.getByRole('button', { name: 'Save medication' }).click();
		const row = page.locator('section[aria-labelledby="cm-h"] tbody tr', { hasText: 'Nardil' });
		await expect.poll(() => row.count(), SUBMIT).toBe(1);
		expect(await row.textContent()).toMatch(/N06AF03/);
		expect(await row.locator('.warning').count()).toBeGreaterThan(0);
		await expectAccessible(page);

		await page.goto(`/participants/${id}`);
		await page.getByLabel(/T0: time of the initial dose/).fill(osloLocal(20));
		await page.getByLabel('Initial dose (mg)').fill('120');
		await page.getByRole('button', { name: 'Start session' }).click();
		// Dosing on the day of enrolment is a deviation, asked first; then the medication holds.
		const confirm = page.getByRole('button', { name: 'Start anyway and record the deviation' });
		await confirm.waitFor();
		await page.getByLabel(/Give the reason for going ahead/).fill('Browser test: dosing today');
		await confirm.click();
		const override = page.getByLabel('Dose held by a medication: reason for dosing anyway');
		await override.waitFor();
		expect(await page.locator('#conmedOverrideReason-errors').textContent()).toMatch(
			/serotonin toxicity.*hold the dose/is
		);
		// Nothing started: still on the participant page, what was typed kept.
		expect(new URL(page.url()).pathname).toBe(`/participants/${id}`);
		expect(await page.getByLabel('Initial dose (mg)').inputValue()).toBe('120');
		expect(await mainText(page)).toContain('Deviation reason given: Browser test: dosing today');
		await expectAccessible(page);

		await override.fill('Stopped three weeks ago; the chart entry was not closed');
		await confirm.click();
		await page.waitForURL('**/sessions/*', { timeout: 30_000 });
		expect(await page.locator('h1').textContent()).toContain(code);
		// The interaction on the session's day is on the review board, in the rule's words.
		await page.goto('/review');
		await expect.poll(async () => (await mainText(page)).includes(code), SUBMIT).toBe(true);
		expect(await mainText(page)).toMatch(/serotonin toxicity/);
	});
});
