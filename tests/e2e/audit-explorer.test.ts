// The audit explorer reads as words: a coordinator saves a reading at the bedside and corrects it
// with a reason; the auditor sees the correction by field label and unit, before → after, who,
// when and why, with the reason in full on a 1366 px screen, and the record's history the same way.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openContext, signIn } from './setup/browser';
import { sessionWithReading } from './setup/clinical';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REASON =
	'Transcription error: the monitor showed 148/88, and the value typed was read from the previous patient’s chart in the same bay';

describe('the audit explorer in words', () => {
	let coordinator: BrowserContext;
	let auditor: BrowserContext;
	let entry: Page;
	let page: Page;
	let code: string;

	beforeAll(async () => {
		[coordinator, auditor] = [await openContext(), await openContext()];
		entry = await coordinator.newPage();
		await signIn(entry, 'coordinator@demo.vigil.test');
		await entry.waitForURL('**/sites');
		code = await sessionWithReading(entry, { systolic: 172, diastolic: 95 });
		const sessionId = new URL(entry.url()).pathname.split('/').pop();
		const list = (await (
			await entry.request.get(`/api/v1/dosing-sessions/${sessionId}/vitals`)
		).json()) as Json;
		const reading = (list.readings as Json[]).find((r) => r.timepointMinutes === 30)!;
		const corrected = await entry.request.patch(`/api/v1/vitals/${reading.id}`, {
			data: {
				timepoint: 30,
				takenAt: reading.measuredAt,
				systolic: 148,
				diastolic: 88,
				position: reading.position,
				reason: REASON
			}
		});
		expect(corrected.status()).toBe(200);

		page = await auditor.newPage();
		await page.setViewportSize({ width: 1366, height: 768 });
		await signIn(page, 'auditor@demo.vigil.test');
		await page.waitForURL('**/audit');
	});
	afterAll(async () => {
		await coordinator.close();
		await auditor.close();
	});

	it('shows the correction by label and unit, before → after, who, when and the whole reason', async () => {
		await page.goto(`/audit?participant=${code}`);
		const event = page.locator('li.audit-event').filter({ hasText: 'Vital signs corrected' });
		expect(await event.count()).toBe(1);
		const changes = (await event.locator('dl.changes').innerText()).replace(/\s+/g, ' ');
		// Read as a screen reader hears it: "was 172 mmHg now 148 mmHg" (the arrow is for the eye).
		expect(changes).toMatch(/Systolic blood pressure \(mmHg\) was 172 mmHg\s*→\s*now 148 mmHg/);
		expect(changes).toMatch(/Diastolic blood pressure \(mmHg\) was 95 mmHg\s*→\s*now 88 mmHg/);
		// Only what changed.
		expect(await event.locator('dl.changes dt').count()).toBe(2);
		const who = await event.locator('.audit-who').innerText();
		expect(who).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC · /);
		expect(who).toContain('(coordinator)');
		expect(who).toContain('vitals.update');

		// The reason is there in full and inside the screen, not cut off at the edge.
		const why = event.locator('.audit-why');
		expect(await why.innerText()).toBe(`Why: ${REASON}`);
		const box = (await why.boundingBox())!;
		expect(box.x + box.width).toBeLessThanOrEqual(1366);

		// The first entry reads the same way; no column names or JSON anywhere.
		const created = page.locator('li.audit-event').filter({ hasText: 'Vital signs recorded' });
		expect((await created.locator('dl.changes').innerText()).replace(/\s+/g, ' ')).toContain(
			'Systolic blood pressure (mmHg) 172 mmHg'
		);
		const text = await page.locator('main').innerText();
		for (const raw of [
			'heart_rate',
			'temperature_c',
			'measured_at',
			'temperatureC',
			'measuredAt',
			'{"',
			'":'
		]) {
			expect(text).not.toContain(raw);
		}
		await expectAccessible(page);
	});

	it('the record’s history shows each version in words, and the values as last recorded', async () => {
		const event = page.locator('li.audit-event').filter({ hasText: 'Vital signs corrected' });
		await event.getByRole('link', { name: /^vital reading \d+$/ }).click();
		await page.waitForURL('**/audit/record/vital_reading/*');
		const versions = page.locator('ol.versions > li');
		expect(await versions.nth(0).locator('h2').innerText()).toContain(
			'Version 1: Vital signs recorded'
		);
		const second = versions.nth(1);
		expect(await second.locator('h2').innerText()).toContain('Version 2: Vital signs corrected');
		expect(await second.innerText()).toContain(REASON);
		expect((await second.locator('dl.changes').innerText()).replace(/\s+/g, ' ')).toMatch(
			/Systolic blood pressure \(mmHg\) was 172 mmHg\s*→\s*now 148 mmHg/
		);
		const current = page
			.getByRole('row')
			.filter({ has: page.getByRole('rowheader', { name: 'Systolic blood pressure (mmHg)' }) });
		expect(await current.innerText()).toContain('148 mmHg');
		await expectAccessible(page);
	});
});
