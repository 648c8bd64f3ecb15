// The review board a page of cards at a time, cut in SQL: the pages joined are the board the whole
// list of open flags makes (one card per record, most severe first, then oldest), each card once
// with all its reasons; filters keep the same cards as before; counts cover every open flag.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/lib/server/runtime/context';
import { ValidationError } from '../../src/lib/server/runtime/errors';
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { recordVitalsBatch } from '../../src/lib/server/services/capture/vitals';
import { boardPage, type BoardQuery } from '../../src/lib/server/services/safety/flag-board';
import {
	acknowledgeFlag,
	listFlags,
	type FlagView
} from '../../src/lib/server/services/safety/flags';
import {
	filterCards,
	groupFlagCards,
	levelRank,
	type BoardFilter
} from '../../src/lib/views/flag-cards';
import type { FlagItem } from '../../src/lib/views/flags';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
let clock = Date.parse('2026-11-20T18:00:00Z');
const now = () => new Date(clock);

freshDbEach((db) => (t = db));
beforeEach(() => {
	clock = Date.parse('2026-11-20T18:00:00Z');
});

/** A session at a site with readings at notify, action and urgent levels: several cards. */
async function flaggedSession(c: ServiceContext, site: 'A1' | 'B1' = 'A1') {
	const p = await enrolledParticipant(t, site, '2026-10-01');
	const dosing = (await listVisits(c, p.id)).find((v) => v.kind === 'dosing')!;
	const s = await startDosingSession(c, p.id, {
		visitId: dosing.id,
		t0: '2026-11-20T10:00',
		initialDoseMg: '120',
		deviationReason: 'test set-up'
	});
	const systolics = [150, 165, 185, 152, 170];
	await recordVitalsBatch(c, s.id, {
		readings: systolics.map((systolic, i) => ({
			timepoint: 'unscheduled',
			takenAt: `2026-11-20T11:${String(10 + i * 5).padStart(2, '0')}+01:00`,
			systolic,
			diastolic: 85,
			heartRate: 80
		}))
	});
	clock += 60_000;
}

const item = (f: FlagView): FlagItem => ({ ...f, timeZone: 'UTC' });

/** The board as the whole list of open flags made it, ties broken by the record. */
async function wholeBoard(inv: ServiceContext, filter: BoardFilter) {
	const cards = groupFlagCards((await listFlags(inv, { open: true })).map(item));
	return filterCards(cards, filter).sort(
		(a, b) =>
			levelRank(a.level) - levelRank(b.level) ||
			a.raisedAt.localeCompare(b.raisedAt) ||
			a.sourceType.localeCompare(b.sourceType) ||
			a.sourceId - b.sourceId
	);
}

async function allPages(inv: ServiceContext, q: BoardQuery, pageSize: number) {
	const pages: Array<Awaited<ReturnType<typeof boardPage>>> = [];
	let after: string | null = null;
	for (;;) {
		const page = await boardPage(inv, { ...q, after, pageSize });
		pages.push(page);
		if (page.next === null) return pages;
		after = page.next;
	}
}

const NO_FILTER: BoardFilter = {
	site: null,
	participant: null,
	level: null,
	unacknowledged: false
};

describe('the board, a page of cards at a time', () => {
	it('pages make the whole board once, in its order, each card with all its reasons', async () => {
		const c = await actorFor(t, 'coordinator', ['A1', 'B1'], now);
		await flaggedSession(c);
		await flaggedSession(c, 'B1');
		await flaggedSession(c);
		const inv = await actorFor(t, 'investigator', ['A1', 'B1'], now);
		const whole = await wholeBoard(inv, NO_FILTER);
		expect(whole.length).toBeGreaterThan(6);
		const pages = await allPages(inv, NO_FILTER, 4);
		expect(pages.slice(0, -1).every((p) => p.cardOrder.length === 4)).toBe(true);
		expect(pages.flatMap((p) => p.cardOrder)).toEqual(whole.map((c) => c.key));
		// Every flag of a page's cards, none of another's.
		const flagsOfPages = pages.flatMap((p) => p.flags.map((f) => f.id)).sort((a, b) => a - b);
		const flagsOfCards = whole.flatMap((c) => c.flags.map((f) => f.id)).sort((a, b) => a - b);
		expect(flagsOfPages).toEqual(flagsOfCards);
		// Counts are of every open flag, on every page.
		const open = await listFlags(inv, { open: true });
		for (const p of pages) {
			expect(p.counts).toEqual({
				cards: whole.length,
				shown: whole.length,
				flags: open.length,
				unacknowledged: open.filter((f) => f.status === 'raised').length,
				urgentUnacknowledged: open.filter((f) => f.status === 'raised' && f.level === 'urgent')
					.length
			});
		}
		expect(pages[0]!.participants).toEqual([...new Set(open.map((f) => f.subjectCode))].sort());
	});

	it('filters keep the cards they kept before, and count them', async () => {
		const c = await actorFor(t, 'coordinator', ['A1', 'B1'], now);
		await flaggedSession(c);
		await flaggedSession(c, 'B1');
		const inv = await actorFor(t, 'investigator', ['A1', 'B1'], now);
		const open = await listFlags(inv, { open: true });
		await acknowledgeFlag(inv, open.find((f) => f.level === 'urgent')!.id);
		const subject = open.find((f) => f.siteCode === 'B1')!.subjectCode;
		const filters: BoardFilter[] = [
			{ ...NO_FILTER, level: 'urgent' },
			{ ...NO_FILTER, level: 'notify' },
			{ ...NO_FILTER, unacknowledged: true },
			{ ...NO_FILTER, site: 'B1' },
			{ ...NO_FILTER, participant: subject },
			{ ...NO_FILTER, site: 'A1', level: 'action', unacknowledged: true }
		];
		for (const filter of filters) {
			const whole = await wholeBoard(inv, filter);
			const pages = await allPages(inv, filter, 2);
			expect(
				pages.flatMap((p) => p.cardOrder),
				JSON.stringify(filter)
			).toEqual(whole.map((c) => c.key));
			expect(pages[0]!.counts.shown).toBe(whole.length);
			expect(pages[0]!.counts.cards).toBe((await wholeBoard(inv, NO_FILTER)).length);
		}
	});

	it('announces unacknowledged action and urgent flags only, and only at the reader’s sites', async () => {
		const c = await actorFor(t, 'coordinator', ['A1', 'B1'], now);
		await flaggedSession(c);
		await flaggedSession(c, 'B1');
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const open = await listFlags(inv, { open: true });
		const urgent = open.find((f) => f.level === 'urgent')!;
		await acknowledgeFlag(inv, urgent.id);
		const page = await boardPage(inv, NO_FILTER);
		const expected = open
			.filter((f) => f.id !== urgent.id && f.level !== 'notify')
			.map((f) => f.id)
			.sort((a, b) => b - a);
		expect(page.alertable.map((a) => a.id)).toEqual(expected);
		expect(page.flags.every((f) => f.siteCode === 'A1')).toBe(true);
		const elsewhere = await actorFor(t, 'investigator', [], now);
		expect((await boardPage(elsewhere, NO_FILTER)).cardOrder).toEqual([]);
	});

	it('refuses a cursor it did not give, on the cursor field', async () => {
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		for (const after of ['not-a-cursor', Buffer.from('[1,"x"]').toString('base64url')]) {
			await expect(boardPage(inv, { ...NO_FILTER, after })).rejects.toBeInstanceOf(ValidationError);
		}
	});
});
