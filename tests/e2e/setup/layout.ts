// What makes a screen unusable on a tablet or phone: sideways scrolling and controls smaller
// than a fingertip.
import type { Page } from 'playwright-core';

/** WCAG 2.5.5: a touch target of at least 44 × 44 CSS px. */
const TARGET = 44;

/**
 * Controls smaller than a fingertip: buttons, fields, selects, the row actions, and the labels
 * that carry a radio or checkbox (the label is the target). Links inside running text are exempt
 * (WCAG 2.5.5 "inline").
 */
export function smallTargets(page: Page): Promise<string[]> {
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
export function overflowing(
	page: Page
): Promise<{ scrollWidth: number; width: number; wide: string[] }> {
	return page.evaluate(() => {
		const width = document.documentElement.clientWidth;
		const wide = [...document.querySelectorAll<HTMLElement>('body *')]
			.filter((el) => el.getBoundingClientRect().right > width + 0.5 && !el.closest('.sr-only'))
			.map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`)
			.slice(0, 10);
		return { scrollWidth: document.documentElement.scrollWidth, width, wide };
	});
}
