import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { saeClock, susarClock, type SusarFacts } from '../../../src/lib/domain/adverse-events';

const hour = 3_600_000;
const day = 24 * hour;
const awareAt = new Date('2025-03-29T10:15:00Z');
const at = (ms: number) => new Date(awareAt.getTime() + ms);

describe('saeClock', () => {
	it('is due 24 h after awareness', () => {
		expect(saeClock(awareAt, awareAt).dueAt.toISOString()).toBe('2025-03-30T10:15:00.000Z');
	});

	it('is on time at the due instant and overdue 1 ms after it', () => {
		expect(saeClock(awareAt, at(day - 1))).toMatchObject({ overdue: false, remainingMs: 1 });
		expect(saeClock(awareAt, at(day))).toMatchObject({ overdue: false, remainingMs: 0 });
		expect(saeClock(awareAt, at(day + 1))).toMatchObject({ overdue: true, remainingMs: -1 });
	});

	it('counts elapsed hours, not wall-clock time, across a DST change', () => {
		// Europe/Oslo springs forward on 2025-03-30; the deadline is still 24 h later.
		expect(saeClock(awareAt, awareAt).dueAt.getTime() - awareAt.getTime()).toBe(day);
	});

	it('takes the protocol’s hours when given', () => {
		expect(saeClock(awareAt, awareAt, 12).dueAt).toEqual(at(12 * hour));
	});

	it('is overdue exactly when now is after the due instant (property)', () => {
		fc.assert(
			fc.property(fc.integer({ min: -2 * day, max: 4 * day }), (offset) => {
				const clock = saeClock(awareAt, at(offset));
				expect(clock.overdue).toBe(offset > day);
				expect(clock.remainingMs).toBe(day - offset);
			})
		);
	});
});

const susar: SusarFacts = {
	serious: true,
	related: true,
	expectedness: 'unexpected',
	criteria: { death: false, lifeThreatening: false },
	awareAt
};

describe('susarClock', () => {
	it('gives 15 days for a serious, related, unexpected event that is not fatal', () => {
		const clock = susarClock(susar, awareAt);
		expect(clock).toMatchObject({ days: 15, reason: 'other', overdue: false });
		expect(clock?.dueAt).toEqual(at(15 * day));
	});

	it.each([
		['fatal', { death: true, lifeThreatening: false }],
		['life-threatening', { death: false, lifeThreatening: true }]
	])('gives 7 days when %s', (_label, criteria) => {
		const clock = susarClock({ ...susar, criteria }, awareAt);
		expect(clock).toMatchObject({ days: 7, reason: 'fatal-or-life-threatening' });
		expect(clock?.dueAt).toEqual(at(7 * day));
	});

	it('treats a fatal event as serious even when serious was passed false', () => {
		const facts = { ...susar, serious: false, criteria: { death: true, lifeThreatening: false } };
		expect(susarClock(facts, awareAt)?.days).toBe(7);
	});

	it.each([
		['expected', { expectedness: 'expected' as const }],
		['not related', { related: false }],
		['not serious', { serious: false }]
	])('is not a SUSAR when %s', (_label, change) => {
		expect(susarClock({ ...susar, ...change }, awareAt)).toBeNull();
	});

	it('is on time at 7 days exactly and overdue 1 ms later', () => {
		const fatal = { ...susar, criteria: { death: true, lifeThreatening: false } };
		expect(susarClock(fatal, at(7 * day))?.overdue).toBe(false);
		expect(susarClock(fatal, at(7 * day + 1))?.overdue).toBe(true);
	});

	it('takes the protocol’s days when given', () => {
		const windows = { fatalOrLifeThreatening: 5, other: 10 };
		expect(susarClock(susar, awareAt, windows)?.dueAt).toEqual(at(10 * day));
	});
});
