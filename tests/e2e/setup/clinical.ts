// Steps shared by the clinical browser tests.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Enrols a new participant at site 01 through the site page; returns to the participant page.
 * Every browser test shares one server, and each file picks codes on its own: a code another file
 * took is refused as "in use", and the next one is tried.
 */
export async function enrolParticipant(page: Page): Promise<string> {
	const seen: string[] = [];
	for (let attempt = 0; attempt < 25; attempt += 1) {
		const code = `01-${1000 + Math.floor(Math.random() * 9000)}`;
		// Typed only once the page's scripts have loaded: hydration can clear a field filled before.
		await page.goto('/sites/01', { waitUntil: 'networkidle' });
		await page.getByLabel('Subject code').fill(code);
		await page.getByLabel('Year of birth').fill('1979');
		await page.getByRole('button', { name: 'Add participant' }).click();
		// Whichever comes first; the other wait is left to time out quietly. A busy shared server
		// (every browser test file writes to it at once) may take a while to answer.
		const outcome = await Promise.race([
			page.waitForURL('**/participants/*', { timeout: 30_000 }).then(
				() => 'enrolled' as const,
				() => 'timeout' as const
			),
			page
				.getByText(`${code} is in use in this study.`)
				.waitFor({ timeout: 30_000 })
				.then(
					() => 'taken' as const,
					() => 'timeout' as const
				)
		]);
		if (outcome === 'enrolled') return code;
		if (outcome === 'timeout') {
			const errors = await page.locator('[role=alert], .errors, .error').allInnerTexts();
			seen.push(`${code} at ${page.url()}: ${errors.join(' | ') || 'no message'}`);
			if (seen.length >= 1) throw new Error(`Enrolling failed: ${seen.join('; ')}`);
		}
	}
	throw new Error('No free subject code at site 01 after 25 tries');
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
 * Starts the first dosing session of a participant enrolled today: out of its window and before
 * the earlier visits, so Vigil asks for the reason and records the protocol deviations.
 */
export async function startSession(page: Page, minutesAgo: number): Promise<void> {
	await page.getByLabel(/T0: time of the initial dose/).fill(osloLocal(minutesAgo));
	await page.getByLabel('Initial dose (mg)').fill('120');
	await page.getByRole('button', { name: 'Start session' }).click();
	const confirm = page.getByRole('button', { name: 'Start anyway and record the deviation' });
	await confirm.waitFor();
	expect(await page.locator('.deviation-confirm').textContent()).toContain(
		'before its window opened'
	);
	await page.getByLabel(/Give the reason for going ahead/).fill('Browser test: dosing today');
	await confirm.click();
	await page.waitForURL('**/sessions/*');
}

/**
 * The browser tests' common set-up: a participant enrolled today at site 01 with a dosing session
 * running since `minutesAgo`; ends on the session page. The participant id is the page's.
 */
export async function runningSession(
	page: Page,
	minutesAgo: number
): Promise<{ code: string; participantId: string }> {
	const code = await enrolParticipant(page);
	const participantId = new URL(page.url()).pathname.split('/').pop()!;
	await startSession(page, minutesAgo);
	return { code, participantId };
}

/** Saves a 30-minute reading (systolic and diastolic) on the session page and waits for it. */
export async function saveReadingAt30(
	page: Page,
	reading: { systolic: number; diastolic: number }
): Promise<void> {
	const row = page.locator('form[data-row="30"]');
	await row.getByLabel('Systolic at 30 MIN POST-DOSE (mmHg)').fill(String(reading.systolic));
	await row.getByLabel('Diastolic at 30 MIN POST-DOSE (mmHg)').fill(String(reading.diastolic));
	await row.getByRole('button', { name: 'Save' }).click();
	await page.locator('[data-row="30"].saved').waitFor();
}

/**
 * Enrols a participant, starts a session dosed 35 minutes ago and saves one 30-minute reading;
 * returns the subject code.
 */
export async function sessionWithReading(
	page: Page,
	reading: { systolic: number; diastolic: number }
): Promise<string> {
	const { code } = await runningSession(page, 35);
	await saveReadingAt30(page, reading);
	return code;
}
