import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, describeComparison } from '../../../src/lib/domain/protocol';

describe('compare', () => {
	it('treats >= and > differently at the threshold itself', () => {
		expect(compare(140, { op: '>=', value: 140 })).toBe(true);
		expect(compare(180, { op: '>', value: 180 })).toBe(false);
		expect(compare(90, { op: '<', value: 90 })).toBe(false);
		expect(compare(90, { op: '<=', value: 90 })).toBe(true);
	});

	it('matches the operator it names (property)', () => {
		const n = fc.integer({ min: -1000, max: 1000 });
		fc.assert(
			fc.property(n, n, (value, threshold) => {
				expect(compare(value, { op: '>', value: threshold })).toBe(value > threshold);
				expect(compare(value, { op: '>=', value: threshold })).toBe(value >= threshold);
				expect(compare(value, { op: '<', value: threshold })).toBe(value < threshold);
				expect(compare(value, { op: '<=', value: threshold })).toBe(value <= threshold);
			})
		);
	});

	it('describes a threshold as people write it', () => {
		expect(describeComparison({ op: '>=', value: 140 }, 'mmHg')).toBe('≥ 140 mmHg');
		expect(describeComparison({ op: '<', value: 35 })).toBe('< 35');
	});
});
