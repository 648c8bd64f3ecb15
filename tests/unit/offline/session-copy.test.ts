import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	COPY_MAX_AGE_MS,
	MAX_COPIES,
	copiesToDrop,
	isSessionPagePath
} from '../../../src/lib/offline/session-copy';

const NOW = new Date('2027-01-14T12:00:00Z');
const keptMsAgo = (key: string, ms: number) => ({
	key,
	keptAt: new Date(NOW.getTime() - ms).toISOString()
});

describe('which page a tablet keeps for a reload without network', () => {
	it('is a dosing session entry page only', () => {
		expect(isSessionPagePath('/sessions/42')).toBe(true);
		for (const path of [
			'/sessions/42/chart',
			'/sessions/42/events',
			'/sessions/42/__data.json',
			'/sessions/0',
			'/sessions/',
			'/participants/42',
			'/api/v1/dosing-sessions/42/vitals',
			'/sessions/42/'
		]) {
			expect(isSessionPagePath(path), path).toBe(false);
		}
	});
});

describe('kept copies that are dropped', () => {
	it('drops a copy older than a day, keeps one exactly a day old', () => {
		expect(
			copiesToDrop([keptMsAgo('a', COPY_MAX_AGE_MS), keptMsAgo('b', COPY_MAX_AGE_MS + 1)], NOW)
		).toEqual(['b']);
	});

	it('drops a copy without a kept time', () => {
		expect(copiesToDrop([{ key: 'a', keptAt: null }, keptMsAgo('b', 0)], NOW)).toEqual(['a']);
	});

	it(`keeps the ${MAX_COPIES} newest fresh copies and drops every other`, () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(fc.integer({ min: 0, max: 2 * COPY_MAX_AGE_MS }), { maxLength: 12 }),
				(ages) => {
					const copies = ages.map((age, i) => keptMsAgo(`c${i}`, age));
					const dropped = new Set(copiesToDrop(copies, NOW));
					const fresh = copies
						.map((c, i) => ({ c, age: ages[i]! }))
						.filter((x) => x.age <= COPY_MAX_AGE_MS)
						.sort((a, b) => a.age - b.age);
					const kept = new Set(fresh.slice(0, MAX_COPIES).map((x) => x.c.key));
					for (const c of copies) expect(dropped.has(c.key)).toBe(!kept.has(c.key));
				}
			)
		);
	});
});
