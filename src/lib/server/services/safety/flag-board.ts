// The review board's open flags, a page of cards at a time: what an investigator needs first (most
// severe, then oldest) on the first page, the rest behind a cursor. Counts cover every open flag.
import type { FlagLevel } from '../../../domain/protocol/codes';
import { decodeCursor, encodeCursor } from '../../api/cursor';
import type { Site } from '../../db/schema';
import { readsOf } from '../../reads/executor';
import { readFor, type ServiceContext } from '../../runtime/context';
import * as repo from '../../repositories/flag-board';
import { listOpenSaeClocks, type OpenSaeClock } from '../capture/adverse-events';
import { readingTimes, type ReadingTimes } from '../capture/reading-times';
import { clinicalReadScope } from '../people/clinical-access';
import { listSites } from '../people/sites';
import { keptRead } from '../../reads/kept';
import * as flagsRepo from '../../repositories/flags';
import type { FlagWithSubject } from '../../repositories/flags';
import { toFlagView, type FlagView } from './flags';

/** Cards on one page of the board. */
export const BOARD_PAGE_SIZE = 25;
/** Unacknowledged action and urgent flags the page announces (newest first). */
const ALERTABLE_KEPT = 200;

export interface BoardQuery {
	site: string | null;
	participant: string | null;
	level: FlagLevel | null;
	unacknowledged: boolean;
	/** The cursor of the page (absent: the first). */
	after?: string | null;
	pageSize?: number;
}

export interface BoardPage {
	/** The open flags of this page's cards (every one of each card), newest first. */
	flags: FlagView[];
	/** The page's cards in board order, as 'sourceType:sourceId'. */
	cardOrder: string[];
	/** The cursor of the following page, or null on the last. */
	next: string | null;
	counts: { cards: number; shown: number } & repo.OpenFlagCounts;
	alertable: Array<{
		id: number;
		level: 'urgent' | 'action';
		subjectCode: string;
		message: string;
	}>;
	participants: string[];
}

const CURSOR_KEY = ['number', 'string', 'string', 'number'] as const;

/** A page of the board as read, before the instant of the view: its flags as rows. */
type BoardPageRows = Omit<BoardPage, 'flags'> & { flags: FlagWithSubject[] };

async function boardPageRows(ctx: ServiceContext, q: BoardQuery): Promise<BoardPageRows> {
	const siteIds = clinicalReadScope(ctx.actor);
	const all: repo.BoardScope = { siteIds };
	const scope: repo.BoardScope = {
		siteIds,
		siteCode: q.site ?? undefined,
		subjectCode: q.participant ?? undefined,
		level: q.level ?? undefined,
		unacknowledged: q.unacknowledged
	};
	const filtered =
		q.site !== null || q.participant !== null || q.level !== null || q.unacknowledged;
	const limit = q.pageSize ?? BOARD_PAGE_SIZE;
	const after = decodeCursor(q.after ?? undefined, [...CURSOR_KEY]);
	const rows = await repo.openCardsPage(ctx.db, scope, limit + 1, after as repo.CardKey | null);
	const page = rows.slice(0, limit);
	const last = page[page.length - 1];
	const [flags, counts, cards, shown, alertable, participants] = await Promise.all([
		repo.openFlagsOfCards(ctx.db, all, page),
		repo.openFlagCounts(ctx.db, all),
		repo.countOpenCards(ctx.db, all),
		filtered ? repo.countOpenCards(ctx.db, scope) : null,
		repo.unacknowledgedAlerts(ctx.db, all, ALERTABLE_KEPT),
		repo.subjectsWithOpenFlags(ctx.db, all)
	]);
	return {
		flags,
		cardOrder: page.map((c) => `${c.source_type}:${c.source_id}`),
		next:
			rows.length > limit && last
				? encodeCursor([last.rank, last.raised_at, last.source_type, last.source_id])
				: null,
		counts: { ...counts, cards, shown: shown ?? cards },
		alertable: alertable.map((a) => ({
			id: a.id,
			level: a.level as 'urgent' | 'action',
			subjectCode: a.subject_code,
			message: a.message
		})),
		participants
	};
}

/** The page at the view's instant: each flag's age is worked out from it. */
function boardPageAt(rows: BoardPageRows, now: Date): BoardPage {
	return { ...rows, flags: rows.flags.map((f) => toFlagView(f, now)) };
}

export async function boardPage(ctx: ServiceContext, q: BoardQuery): Promise<BoardPage> {
	return boardPageAt(await boardPageRows(ctx, q), ctx.now());
}

/** Everything one view of the board reads, as plain data. */
export interface BoardView {
	board: BoardPage;
	/** The sites the reader holds (the site filter, each flag's time zone). */
	sites: Site[];
	/** The most recently closed flags, newest first. */
	closed: FlagView[];
	/** Serious events whose report to the sponsor is still owed, soonest due first. */
	clocks: OpenSaeClock[];
	/** The measured and received times of the readings on the page's cards. */
	readingTimes: Record<number, ReadingTimes>;
}

export type BoardViewQuery = BoardQuery & { closedShown: number };

/**
 * The board's reads for one view, in one snapshot (a read job: see boardView). What reads no
 * clock (the page's flags, counts and alerts, the sites, the closed flags, the reading times) is
 * kept by a read worker while nothing is committed, for this reader and query only
 * (reads/kept.ts); each flag's age and the reporting clocks are worked out at every view.
 */
export async function boardViewReads(ctx: ServiceContext, q: BoardViewQuery): Promise<BoardView> {
	const read = await keptRead(ctx.db, JSON.stringify(['boardView', ctx.actor, q]), async () => {
		const page = await boardPageRows(ctx, q);
		const [sites, closed, times] = await Promise.all([
			listSites(ctx),
			flagsRepo.recentlyClosedFlags(ctx.db, clinicalReadScope(ctx.actor), q.closedShown),
			readingTimes(
				ctx,
				page.flags.filter((f) => f.source_type === 'vital_reading').map((f) => f.source_id)
			)
		]);
		return { page, sites, closed, times };
	});
	const now = ctx.now();
	return {
		board: boardPageAt(read.page, now),
		sites: read.sites,
		closed: read.closed.map((f) => toFlagView(f, now)),
		clocks: await listOpenSaeClocks(ctx),
		readingTimes: read.times
	};
}

/**
 * One view of the board: the access check and the cursor here, on the request thread; every read
 * in one read job, on a read worker beside SQLite (or the PostgreSQL read pool), so a board view
 * does not hold the thread that saves readings and sends board events.
 */
export async function boardView(ctx: ServiceContext, q: BoardViewQuery): Promise<BoardView> {
	clinicalReadScope(ctx.actor);
	// A spoilt cursor is a field error from here, as before, not a failure inside the job.
	decodeCursor(q.after ?? undefined, [...CURSOR_KEY]);
	return readsOf(ctx).value('boardView', { for: readFor(ctx), query: q });
}
