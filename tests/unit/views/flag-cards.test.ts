// The board groups flags by the record that raised them and filters the cards.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	boardFilterOf,
	filterCards,
	groupFlagCards,
	type BoardFilter
} from '../../../src/lib/views/flag-cards';
import type { FlagItem } from '../../../src/lib/views/flags';
import type { FlagLevel } from '../../../src/lib/domain/protocol/codes';

let nextId = 1;
function flag(over: Partial<FlagItem> = {}): FlagItem {
	return {
		id: nextId++,
		level: 'action',
		status: 'raised',
		message: 'Systolic 172 mmHg is at or above 160: action.',
		participantId: 1,
		subjectCode: '01-001',
		siteCode: '01',
		timeZone: 'Europe/Oslo',
		sessionId: 7,
		sourceType: 'vital_reading',
		sourceId: 12,
		raisedAt: '2026-11-20T09:30:00.000Z',
		ageMinutes: 5,
		escalated: false,
		acknowledgedAt: null,
		actionCategory: null,
		actionText: null,
		closedAt: null,
		outcome: null,
		autoClosed: false,
		...over
	};
}
const none: BoardFilter = { site: null, participant: null, level: null, unacknowledged: false };

describe('one card per source record', () => {
	it('a reading that breaks three rules is one card listing three reasons, most severe first', () => {
		const cards = groupFlagCards([
			flag({ level: 'notify', message: 'Diastolic 95' }),
			flag({ level: 'urgent', message: 'Systolic 182', raisedAt: '2026-11-20T09:31:00.000Z' }),
			flag({ level: 'action', message: 'Systolic +40 from baseline' })
		]);
		expect(cards).toHaveLength(1);
		expect(cards[0]!.level).toBe('urgent');
		expect(cards[0]!.flags.map((f) => f.message)).toEqual([
			'Systolic 182',
			'Systolic +40 from baseline',
			'Diastolic 95'
		]);
		expect(cards[0]!.raisedAt).toBe('2026-11-20T09:30:00.000Z');
		expect(cards[0]!.unacknowledged).toBe(3);
	});

	it('the same id of a different record type is another card; urgent cards come first', () => {
		const cards = groupFlagCards([
			flag({ level: 'action', raisedAt: '2026-11-20T08:00:00.000Z' }),
			flag({ sourceType: 'adverse_event', level: 'urgent' }),
			flag({ sourceId: 13, level: 'action', raisedAt: '2026-11-20T07:00:00.000Z' })
		]);
		expect(cards.map((c) => [c.key, c.level])).toEqual([
			['adverse_event:12', 'urgent'],
			['vital_reading:13', 'action'],
			['vital_reading:12', 'action']
		]);
	});

	it('every flag is in exactly one card, each card holds one record, cards are ordered', () => {
		const levels: FlagLevel[] = ['notify', 'action', 'urgent'];
		const arb = fc.array(
			fc.record({
				level: fc.constantFrom(...levels),
				sourceType: fc.constantFrom('vital_reading', 'adverse_event', 'scale_administration'),
				sourceId: fc.integer({ min: 1, max: 4 }),
				minute: fc.integer({ min: 0, max: 59 })
			}),
			{ maxLength: 30 }
		);
		fc.assert(
			fc.property(arb, (specs) => {
				const flags = specs.map((s) =>
					flag({
						level: s.level,
						sourceType: s.sourceType,
						sourceId: s.sourceId,
						raisedAt: `2026-11-20T09:${String(s.minute).padStart(2, '0')}:00.000Z`
					})
				);
				const cards = groupFlagCards(flags);
				const ids = cards.flatMap((c) => c.flags.map((f) => f.id)).sort((a, b) => a - b);
				expect(ids).toEqual(flags.map((f) => f.id).sort((a, b) => a - b));
				for (const c of cards) {
					expect(new Set(c.flags.map((f) => `${f.sourceType}:${f.sourceId}`))).toEqual(
						new Set([c.key])
					);
					// The card's level is the most severe of its reasons.
					const worst = levels[Math.max(...c.flags.map((f) => levels.indexOf(f.level)))];
					expect(c.level).toBe(worst);
				}
				const ranks = cards.map((c) => 2 - levels.indexOf(c.level));
				expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
			})
		);
	});
});

describe('filters', () => {
	const cards = groupFlagCards([
		flag({ sourceId: 1, siteCode: '01', subjectCode: '01-001', level: 'urgent' }),
		flag({
			sourceId: 1,
			siteCode: '01',
			subjectCode: '01-001',
			level: 'notify',
			status: 'acknowledged'
		}),
		flag({
			sourceId: 2,
			siteCode: '01',
			subjectCode: '01-002',
			level: 'notify',
			status: 'acknowledged'
		}),
		flag({ sourceId: 3, siteCode: '02', subjectCode: '02-001', level: 'action' })
	]);
	const keys = (f: Partial<BoardFilter>) => filterCards(cards, { ...none, ...f }).map((c) => c.key);

	it('by site, participant, level (any reason at that level) and unacknowledged', () => {
		expect(keys({})).toHaveLength(3);
		expect(keys({ site: '02' })).toEqual(['vital_reading:3']);
		expect(keys({ participant: '01-002' })).toEqual(['vital_reading:2']);
		expect(keys({ level: 'notify' })).toEqual(['vital_reading:1', 'vital_reading:2']);
		expect(keys({ unacknowledged: true })).toEqual(['vital_reading:1', 'vital_reading:3']);
		expect(keys({ site: '01', unacknowledged: true })).toEqual(['vital_reading:1']);
		// A kept card keeps all its reasons.
		expect(filterCards(cards, { ...none, level: 'notify' })[0]!.flags).toHaveLength(2);
	});

	it('are read from the address; an unknown level is ignored', () => {
		expect(
			boardFilterOf(new URLSearchParams('site=01&participant=01-004&level=urgent&unack=1'))
		).toEqual({
			site: '01',
			participant: '01-004',
			level: 'urgent',
			unacknowledged: true
		});
		expect(boardFilterOf(new URLSearchParams('level=high&site='))).toEqual(none);
	});
});
