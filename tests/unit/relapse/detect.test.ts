import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RELAPSE, relapseOutcome } from '../../../src/lib/domain/relapse';
import type { Assessment, RelapseInput } from '../../../src/lib/domain/relapse';

function input(assessments: Assessment[], o: Partial<RelapseInput> = {}): RelapseInput {
	return {
		baseline: 34,
		assessments,
		relapseEvents: [],
		censorAt: null,
		remission: { op: '<=', value: 10 },
		responsePercentBelowBaseline: 50,
		sustainedRemissionVisits: 2,
		relapse: DEFAULT_RELAPSE,
		...o
	};
}

const a = (date: string, total: number): Assessment => ({ date, total });
const kinds = (r: ReturnType<typeof relapseOutcome>) => r.markers.map((m) => `${m.kind}@${m.date}`);

describe('relapse: MADRS ≥ 22 at 2 consecutive assessments 5–15 days apart (SUSTAIN-1)', () => {
	const remitted = [a('2026-01-05', 16), a('2026-02-01', 9)];

	it('22 and 22 ten days apart after remission: relapse dated the first of the two', () => {
		const r = relapseOutcome(input([...remitted, a('2026-03-01', 22), a('2026-03-11', 22)]));
		expect(kinds(r)).toEqual(['response@2026-01-05', 'remission@2026-02-01', 'relapse@2026-03-01']);
		expect(r.survival).toEqual({ origin: '2026-02-01', days: 28, event: true });
	});

	it('21 does not count (boundary below the threshold)', () => {
		const r = relapseOutcome(input([...remitted, a('2026-03-01', 21), a('2026-03-11', 30)]));
		expect(r.survival).toEqual({ origin: '2026-02-01', days: 38, event: false });
	});

	it.each([
		[5, true],
		[15, true],
		[4, false],
		[16, false]
	])('%i days apart → relapse %s', (gap, relapse) => {
		const second = new Date(Date.UTC(2026, 2, 1 + gap)).toISOString().slice(0, 10);
		const r = relapseOutcome(input([...remitted, a('2026-03-01', 25), a(second, 25)]));
		expect(r.survival!.event).toBe(relapse);
	});

	it('one high visit alone is no relapse; censored at the last assessment', () => {
		const r = relapseOutcome(input([...remitted, a('2026-03-01', 30)]));
		expect(r.survival).toEqual({ origin: '2026-02-01', days: 28, event: false });
	});

	it('high scores before remission are not a relapse', () => {
		const r = relapseOutcome(input([a('2026-01-01', 30), a('2026-01-08', 30), a('2026-02-01', 8)]));
		expect(kinds(r)).not.toContain('relapse@2026-01-01');
		expect(r.survival!.event).toBe(false);
	});

	it('a hospitalisation after remission is a relapse on its day, unless the scale came first', () => {
		const h = relapseOutcome(input(remitted, { relapseEvents: ['2026-02-20'] }));
		expect(h.survival).toEqual({ origin: '2026-02-01', days: 19, event: true });
		const both = relapseOutcome(
			input([...remitted, a('2026-02-10', 23), a('2026-02-17', 24)], {
				relapseEvents: ['2026-02-20']
			})
		);
		expect(both.markers.at(-1)).toMatchObject({ kind: 'relapse', date: '2026-02-10' });
	});

	it('follow-up ends at withdrawal or a new antidepressant: later scores are ignored', () => {
		const r = relapseOutcome(
			input([...remitted, a('2026-03-01', 8), a('2026-04-01', 25), a('2026-04-08', 25)], {
				censorAt: '2026-03-15'
			})
		);
		expect(r.survival).toEqual({ origin: '2026-02-01', days: 28, event: false });
	});

	it('never in remission: no survival record; remission at the boundary 10 counts', () => {
		expect(relapseOutcome(input([a('2026-01-05', 11)])).survival).toBeNull();
		expect(relapseOutcome(input([a('2026-01-05', 10)])).survival).not.toBeNull();
	});

	it('sustained remission at two consecutive remitted assessments, before any relapse', () => {
		const r = relapseOutcome(input([...remitted, a('2026-03-01', 6)]));
		expect(kinds(r)).toContain('sustained-remission@2026-03-01');
	});

	it('response is a fall of at least 50 %: 17 of 34 counts, 18 does not', () => {
		expect(kinds(relapseOutcome(input([a('2026-01-05', 17)])))).toEqual(['response@2026-01-05']);
		expect(kinds(relapseOutcome(input([a('2026-01-05', 18)])))).toEqual([]);
	});
});

describe('properties', () => {
	const series = fc.array(
		fc.record({ day: fc.integer({ min: 0, max: 400 }), total: fc.integer({ min: 0, max: 60 }) }),
		{ maxLength: 15 }
	);
	const date = (d: number) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);

	it('a relapse is never before remission, and survival days are never negative', () => {
		fc.assert(
			fc.property(series, (s) => {
				const r = relapseOutcome(input(s.map((x) => a(date(x.day), x.total))));
				const remission = r.markers.find((m) => m.kind === 'remission');
				const relapse = r.markers.find((m) => m.kind === 'relapse');
				if (relapse && (!remission || relapse.date <= remission.date)) return false;
				return r.survival === null || r.survival.days >= 0;
			})
		);
	});

	it('with every score below 22 there is no relapse', () => {
		fc.assert(
			fc.property(series, (s) => {
				const r = relapseOutcome(input(s.map((x) => a(date(x.day), Math.min(21, x.total)))));
				return !r.markers.some((m) => m.kind === 'relapse');
			})
		);
	});
});
