import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openContext, signIn } from './setup/browser';
import { enrolParticipant } from './setup/clinical';
import { startSession, typeRow } from './setup/session';

/** WCAG 2.5.5: a touch target of at least 44 × 44 CSS px. */
const TARGET = 44;

/**
 * Controls smaller than a fingertip: buttons, fields, selects, the row actions, and the labels
 * that carry a radio or checkbox (the label is the target). Links inside running text are exempt
 * (WCAG 2.5.5 "inline").
 */
function smallTargets(page: Page): Promise<string[]> {
	return page.evaluate((min) => {
		const selector = [
			'main button',
			'main select',
			'main textarea',
			'main input:not([type=hidden]):not([type=radio]):not([type=checkbox])',
			'main label.check',
			'main .vitals-row a',
			'header.top a',
			'header.top button'
		].join(', ');
		return [...document.querySelectorAll<HTMLElement>(selector)]
			.filter((el) => el.offsetParent !== null && !el.closest('.sr-only'))
			.map((el) => ({ el, r: el.getBoundingClientRect() }))
			.filter(({ r }) => r.height < min - 0.5 || r.width < min - 0.5)
			.map(
				({ el, r }) =>
					`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`
			);
	}, TARGET);
}

/** Elements that reach past the right edge of the window (what makes the page scroll sideways). */
function overflowing(page: Page): Promise<{ scrollWidth: number; width: number; wide: string[] }> {
	return page.evaluate(() => {
		const width = document.documentElement.clientWidth;
		const wide = [...document.querySelectorAll<HTMLElement>('body *')]
			.filter((el) => el.getBoundingClientRect().right > width + 0.5 && !el.closest('.sr-only'))
			.map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`)
			.slice(0, 10);
		return { scrollWidth: document.documentElement.scrollWidth, width, wide };
	});
}

describe.each([
	{ name: 'a bedside tablet', width: 768, height: 1024 },
	{ name: 'a phone', width: 390, height: 844 }
])('the session screen on $name ($width × $height)', ({ width, height }) => {
	let context: BrowserContext;
	let page: Page;
	beforeAll(async () => {
		context = await openContext();
		page = await context.newPage();
		await page.setViewportSize({ width, height });
		await signIn(page, 'coordinator@demo.vigil.test');
		await page.waitForURL('**/sites');
	});
	afterAll(async () => {
		await context.close();
	});

	it('has no sideways scrolling, fingertip-sized controls and no accessibility violations', async () => {
		await enrolParticipant(page);
		await startSession(page, 60);
		await page.waitForLoadState('networkidle');
		// A saved row, a late row with its flag, and a row refused with its messages.
		await typeRow(page, ['124', '80', '72', '36.8']);
		await page.locator('[data-row="-30"].saved').waitFor();
		await typeRow(page, ['400', '85', '77', '98.6F']);
		await page.locator('form[data-row="30"] .row-messages').waitFor();

		const o = await overflowing(page);
		expect(o.wide).toEqual([]);
		expect(o.scrollWidth).toBeLessThanOrEqual(o.width);
		expect(await smallTargets(page)).toEqual([]);
		// Every value of a row is visible, with what it is, on the screen (not only to a reader).
		const row = page.locator('form[data-row="60"]');
		for (const field of ['Systolic', 'Diastolic', 'Heart rate', 'Temp.', 'Unit', 'Position']) {
			expect(await row.getByText(field, { exact: false }).first().isVisible()).toBe(true);
		}
		await expectAccessible(page);

		// Correct opens the row for correction; it fits too.
		await page.getByRole('link', { name: 'Correct PRE-DOSE' }).click();
		await page.locator('form[data-row="-30"]').waitFor();
		expect((await overflowing(page)).wide).toEqual([]);
		expect(await smallTargets(page)).toEqual([]);
		await expectAccessible(page);
	}, 120_000);
});
