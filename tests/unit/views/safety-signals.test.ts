// The safety-signals page sends each term's per-site counts alone (each out of the site's dosed
// participants) and prints the cells in the browser: they must read as the service's incidence.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { incidenceCell, per100Of, percentOf } from '../../../src/lib/views/safety-signals';
import { incidence } from '../../../src/lib/domain/statistics/rates';

describe('safety-signals by-site cells', () => {
	it('print n/N with the percent to one decimal, and a dash when nobody was dosed', () => {
		expect(incidenceCell(3, 120)).toBe('3/120 (2.5 %)');
		expect(incidenceCell(1, 3)).toBe('1/3 (33.3 %)');
		expect(incidenceCell(2, 3)).toBe('2/3 (66.7 %)');
		expect(incidenceCell(0, 47)).toBe('0/47 (0.0 %)');
		expect(incidenceCell(47, 47)).toBe('47/47 (100.0 %)');
		expect(incidenceCell(0, 0)).toBe('—');
	});

	it("round as the page rounds the service's incidence proportion", () => {
		fc.assert(
			fc.property(
				fc
					.integer({ min: 0, max: 5000 })
					.chain((of) => fc.tuple(fc.integer({ min: 0, max: of }), fc.constant(of))),
				([count, of]) => {
					const p = incidence(count, of).p;
					expect(percentOf(count, of)).toBe(
						p === null ? null : Math.round(p * 100 * 10 ** 1) / 10 ** 1
					);
				}
			)
		);
	});
});

// The breaches-by-site table works each site's rate out in the browser from its two counts.
describe('safety-signals breaches per 100 sessions by site', () => {
	it('reads 100 × breaches / sessions to one decimal, and nothing without a session', () => {
		expect(per100Of(3, 7)).toBe(42.9);
		expect(per100Of(1, 3)).toBe(33.3);
		expect(per100Of(12, 4)).toBe(300);
		expect(per100Of(0, 5)).toBe(0);
		expect(per100Of(0, 0)).toBeNull();
	});
});
