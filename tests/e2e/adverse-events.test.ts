import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, signedInAll } from './setup/browser';
import { enrolParticipant, osloLocal } from './setup/clinical';

const criteria = [
	'Results in death',
	'Is life-threatening',
	'Requires or prolongs inpatient hospitalisation',
	'Results in persistent or significant disability or incapacity',
	'Is a congenital anomaly or birth defect',
	'Is an important medical event'
];

/** Enrols a participant and opens the AE form for them; returns the participant's id. */
async function openNewAdverseEvent(page: Page): Promise<string> {
	await enrolParticipant(page);
	const id = new URL(page.url()).pathname.split('/').pop()!;
	await page.goto(`/participants/${id}/adverse-events/new`);
	return id;
}

/** Answers the questions other than the times, from the keyboard where a person would. */
async function answerTheRest(page: Page): Promise<void> {
	await page.getByRole('radio', { name: 'Grade 2 – Moderate' }).press('Space');
	for (const name of criteria) {
		await page.getByRole('group', { name }).getByRole('radio', { name: 'No' }).press('Space');
	}
	await page.getByLabel('Relatedness to the study drug').selectOption('possible');
	await page.getByLabel('Expectedness').selectOption('expected');
	await page.getByLabel('Action taken with the study drug').selectOption('dose-not-changed');
	await page.getByLabel('Outcome').selectOption('recovered');
}

const endField = (page: Page) => page.getByLabel('End', { exact: true });

describe('a coordinator records, views and corrects an adverse event', () => {
	let page: Page;
	signedInAll('coordinator@demo.vigil.test', (s) => (page = s.page));

	it('keeps what was typed after a bad date order, then saves and corrects with a reason', async () => {
		await openNewAdverseEvent(page);
		await expectAccessible(page);
		expect(await page.getByText('local time at the site (Europe/Oslo)').count()).toBe(1);

		await page.getByLabel('Verbatim term').fill('Felt sick after the dose');
		await page.keyboard.press('Tab');
		await page.keyboard.type('Nausea');
		// Worked out once: read back after a minute has turned, a second call gives the next minute.
		const onset = osloLocal(180);
		await page.getByLabel('Onset').fill(onset);
		await endField(page).fill(osloLocal(240)); // before the onset
		await page.getByLabel('Site became aware').fill(osloLocal(170));
		await answerTheRest(page);
		await page.getByLabel('Notes').fill('Settled with rest and water.');
		await page.getByRole('button', { name: 'Record adverse event' }).press('Enter');

		await expect
			.poll(() => page.locator('#endAt-errors').textContent())
			.toContain('after the onset');
		expect(await page.getByLabel('Verbatim term').inputValue()).toBe('Felt sick after the dose');
		expect(await page.getByLabel('Coded term').inputValue()).toBe('Nausea');
		expect(await page.getByLabel('Onset').inputValue()).toBe(onset);
		expect(await page.getByRole('radio', { name: 'Grade 2 – Moderate' }).isChecked()).toBe(true);
		expect(await page.getByLabel('Outcome').inputValue()).toBe('recovered');
		await expectAccessible(page);

		await endField(page).fill(osloLocal(120));
		await page.getByRole('button', { name: 'Record adverse event' }).press('Enter');
		await page.waitForURL(/\/adverse-events\/\d+$/);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Nausea');
		expect(await page.locator('dl.facts').textContent()).toContain('(Europe/Oslo)');
		await expectAccessible(page);

		// A changed grade and a new hospital stay are saved with the reason as the next version.
		await page.getByRole('radio', { name: /Grade 3/ }).press('Space');
		await page
			.getByRole('group', { name: 'Requires or prolongs inpatient hospitalisation' })
			.getByRole('radio', { name: 'Yes' })
			.press('Space');
		await page.getByLabel('Reason for the correction').fill('Grade re-read from the chart');
		await page.getByRole('button', { name: 'Save correction' }).press('Enter');
		await expect.poll(() => page.getByRole('status').textContent()).toContain('version 2');
		expect(await page.locator('dl.facts').textContent()).toContain('Grade 3');
		const clock = page.getByRole('region', { name: 'SAE report to the sponsor' });
		expect(await clock.textContent()).toContain('left.');
		await expectAccessible(page);

		await page
			.getByLabel('Why was it entered in error?')
			.fill('Recorded for the wrong participant');
		await page.getByRole('button', { name: 'Mark as entered in error' }).press('Enter');
		await expect
			.poll(() => page.locator('.ae-eie').textContent())
			.toContain('Recorded for the wrong participant');
		expect(await clock.count()).toBe(0);
		expect(await page.getByRole('button', { name: 'Save correction' }).count()).toBe(0);
	});
});

describe('the adverse-event form without JavaScript', () => {
	let page: Page;
	signedInAll('coordinator@demo.vigil.test', (s) => (page = s.page), { javaScriptEnabled: false });

	it('shows field errors with the typed values, then records a serious event whose clock has run out', async () => {
		await openNewAdverseEvent(page);
		await page.getByLabel('Verbatim term').fill('Chest pain on the ward');
		// Learned of 26 hours ago: the 24-hour SAE report is overdue.
		await page.getByLabel('Onset').fill(osloLocal(27 * 60));
		await page.getByLabel('Site became aware').fill(osloLocal(28 * 60)); // before the onset
		await answerTheRest(page);
		await page.getByLabel('Outcome').selectOption('recovering');
		await page.getByRole('button', { name: 'Record adverse event' }).click();
		await page.locator('#awareAt-errors').waitFor();
		expect(await page.getByLabel('Verbatim term').inputValue()).toBe('Chest pain on the ward');

		await page.getByLabel('Site became aware').fill(osloLocal(26 * 60));
		await page
			.getByRole('group', { name: 'Requires or prolongs inpatient hospitalisation' })
			.getByRole('radio', { name: 'Yes' })
			.check();
		await page.getByRole('button', { name: 'Record adverse event' }).click();
		await page.waitForURL(/\/adverse-events\/\d+$/);
		const clock = page.getByRole('region', { name: 'SAE report to the sponsor' });
		expect(await clock.textContent()).toMatch(/Due by .+ \(Europe\/Oslo\)/);
		expect(await clock.locator('strong').textContent()).toBe('OVERDUE');
	});
});
