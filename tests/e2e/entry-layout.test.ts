// The adverse-event and scale entry screens on a bedside tablet and a phone, as the session
// screen is checked (session-layout.test.ts): no sideways scrolling, fingertip-sized controls,
// no accessibility violations, also with the messages of a refused save.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, signedInAll } from './setup/browser';
import { enrolParticipant, osloLocal } from './setup/clinical';
import { overflowing, smallTargets } from './setup/layout';

/** The message over a refused form, as the user reads it. */
const REFUSED = 'Please correct the highlighted fields.';

async function expectFits(page: Page): Promise<void> {
	const o = await overflowing(page);
	expect(o.wide).toEqual([]);
	expect(o.scrollWidth).toBeLessThanOrEqual(o.width);
	expect(await smallTargets(page)).toEqual([]);
	await expectAccessible(page);
}

describe.each([
	{ name: 'a bedside tablet', width: 768, height: 1024 },
	{ name: 'a phone', width: 390, height: 844 }
])('the entry screens on $name ($width × $height)', ({ width, height }) => {
	let page: Page;
	let participant = '';
	signedInAll('coordinator@demo.vigil.test', (s) => (page = s.page), {
		viewport: { width, height }
	});
	beforeAll(async () => {
		await enrolParticipant(page);
		participant = new URL(page.url()).pathname.split('/')[2]!;
	});

	it('the adverse-event form fits, before and after a refused save', async () => {
		await page.goto(`/participants/${participant}/adverse-events/new`, {
			waitUntil: 'networkidle'
		});
		await expectFits(page);
		// Everything answered, but the end before the onset: refused with its field's message.
		await page.getByLabel('Verbatim term').fill('Headache after the dose');
		await page.getByLabel('Onset').fill(osloLocal(180));
		await page.getByLabel('End', { exact: true }).fill(osloLocal(240));
		await page.getByLabel('Site became aware').fill(osloLocal(170));
		await page.getByRole('radio', { name: 'Grade 2 – Moderate' }).check();
		for (const group of await page.locator('fieldset.ae-yes-no').all()) {
			await group.getByRole('radio', { name: 'No' }).check();
		}
		await page.getByLabel('Relatedness to the study drug').selectOption('possible');
		await page.getByLabel('Expectedness').selectOption('expected');
		await page.getByLabel('Action taken with the study drug').selectOption('dose-not-changed');
		await page.getByLabel('Outcome').selectOption('recovered');
		await page.getByRole('button', { name: 'Record adverse event' }).click();
		await expect
			.poll(() => page.locator('#endAt-errors').textContent())
			.toContain('after the onset');
		expect(await page.locator('p.form-error[role=alert]').textContent()).toContain(REFUSED);
		expect(await page.getByLabel('Verbatim term').inputValue()).toBe('Headache after the dose');
		await expectFits(page);
	}, 90_000);

	it('the MADRS form fits, before and after a refused save', async () => {
		await page.goto(`/participants/${participant}/scales/new?instrument=MADRS`, {
			waitUntil: 'networkidle'
		});
		await expectFits(page);
		// Item 3 out of its range (0–6): refused, with the message under that item.
		for (let i = 1; i <= 10; i += 1) await page.locator(`#items-${i}`).fill(i === 3 ? '7' : '3');
		await page.getByRole('button', { name: 'Save MADRS' }).click();
		await expect
			.poll(() => page.locator('#items-3-errors').textContent())
			.toContain('Item 3 must be a whole number from 0 to 6');
		expect(await page.locator('p.form-error[role=alert]').textContent()).toContain(REFUSED);
		expect(await page.locator('#items-3').getAttribute('aria-invalid')).toBe('true');
		await expectFits(page);
	}, 90_000);
});
