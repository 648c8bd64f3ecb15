// Steps shared by the clinical browser tests.
import type { Page } from 'playwright-core';

let counter = 100 + Math.floor(Math.random() * 800);

/** Enrols a new participant at site 01 through the site page; returns to the participant page. */
export async function enrolParticipant(page: Page): Promise<string> {
	counter += 1;
	const code = `01-${counter}`;
	await page.goto('/sites/01');
	await page.getByLabel('Subject code').fill(code);
	await page.getByLabel('Year of birth').fill('1979');
	await page.getByRole('button', { name: 'Add participant' }).click();
	await page.waitForURL('**/participants/*');
	return code;
}

/** 'YYYY-MM-DDTHH:mm' in Europe/Oslo (site 01), `minutesAgo` before now. */
export function osloLocal(minutesAgo: number): string {
	const at = new Date(Date.now() - minutesAgo * 60_000);
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-CA', {
			timeZone: 'Europe/Oslo',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23'
		})
			.formatToParts(at)
			.map((p) => [p.type, p.value])
	);
	return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/**
 * Enrols a participant, starts a session dosed 35 minutes ago (giving the reason Vigil asks for
 * when dosing on the day of enrolment) and saves one 30-minute reading; returns the subject code.
 */
export async function sessionWithReading(
	page: Page,
	reading: { systolic: number; diastolic: number }
): Promise<string> {
	const code = await enrolParticipant(page);
	await page.getByLabel(/T0: time of the initial dose/).fill(osloLocal(35));
	await page.getByLabel('Initial dose (mg)').fill('120');
	await page.getByRole('button', { name: 'Start session' }).click();
	const confirm = page.getByRole('button', { name: 'Start anyway and record the deviation' });
	await confirm.waitFor();
	await page.getByLabel(/Give the reason for going ahead/).fill('Browser test: dosing today');
	await confirm.click();
	await page.waitForURL('**/sessions/*');
	const row = page.locator('form[data-row="30"]');
	await row.getByLabel('Systolic at 30 MIN POST-DOSE (mmHg)').fill(String(reading.systolic));
	await row.getByLabel('Diastolic at 30 MIN POST-DOSE (mmHg)').fill(String(reading.diastolic));
	await row.getByRole('button', { name: 'Save' }).click();
	await page.locator('[data-row="30"].saved').waitFor();
	return code;
}
