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
