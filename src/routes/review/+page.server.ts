import type { FlagItem } from '$lib/views/flags';
import { boardCard, boardFilterOf, groupFlagCards } from '$lib/views/flag-cards';
import {
	acknowledgeFlags,
	closeFlags,
	recordFlagActions
} from '$lib/server/services/safety/flag-groups';
import { contextOf, requirePageUser, recordId, serviceAction } from '$lib/server/runtime/http';
import { ValidationError } from '$lib/server/runtime/errors';
import type { OpenSaeClock } from '$lib/server/services/capture/adverse-events';
import { boardView } from '$lib/server/services/safety/flag-board';
import {
	acknowledgeFlag,
	closeFlag,
	recordFlagAction,
	type FlagView
} from '$lib/server/services/safety/flags';
import type { Actions, PageServerLoad } from './$types';

/** How many recently closed flags the board shows. */
const CLOSED_SHOWN = 20;

function flagItem(f: FlagView, timeZones: Map<number, string>): FlagItem {
	return {
		id: f.id,
		level: f.level,
		status: f.status,
		message: f.message,
		participantId: f.participantId,
		subjectCode: f.subjectCode,
		siteCode: f.siteCode,
		timeZone: timeZones.get(f.siteId) ?? 'UTC',
		sessionId: f.sessionId,
		sourceType: f.sourceType,
		sourceId: f.sourceId,
		raisedAt: f.raisedAt,
		ageMinutes: f.ageMinutes,
		escalated: f.escalated,
		acknowledgedAt: f.acknowledgedAt,
		actionCategory: f.actionCategory,
		actionText: f.actionText,
		closedAt: f.closedAt,
		outcome: f.outcome,
		autoClosed: f.autoClosed
	};
}

/** The SAE clock of each serious event, with its SUSAR clock when it is serious, related, unexpected. */
function reportingClocks(clocks: OpenSaeClock[]) {
	return clocks.map((c) => ({
		adverseEventId: c.adverseEventId,
		participantId: c.participantId,
		subjectCode: c.subjectCode,
		siteCode: c.siteCode,
		timeZone: c.timeZone,
		term: c.term,
		awareAt: c.awareAt,
		dueAt: c.dueAt,
		overdue: c.overdue,
		susar: c.susarClock
			? { dueAt: c.susarClock.dueAt, overdue: c.susarClock.overdue, days: c.susarClock.days }
			: null
	}));
}

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(event, 'investigator', 'coordinator', 'auditor');
	event.depends('vigil:flags');
	const ctx = contextOf(event);
	const filter = boardFilterOf(event.url.searchParams);
	const after = event.url.searchParams.get('after');
	// Every read of the view in one read job, off the request thread. A cursor from elsewhere (or
	// an old bookmark) shows the first page rather than an error.
	const view = await boardView(ctx, { ...filter, after, closedShown: CLOSED_SHOWN }).catch(
		(e: unknown) => {
			if (after && e instanceof ValidationError) {
				return boardView(ctx, { ...filter, closedShown: CLOSED_SHOWN });
			}
			throw e;
		}
	);
	const { board, sites, closed: recent } = view;
	const clocks = reportingClocks(view.clocks);
	const timeZones = new Map(sites.map((s) => [s.id, s.timezone]));
	// The page's cards, in the order SQL cut them (most severe, then oldest).
	const order = new Map(board.cardOrder.map((key, i) => [key, i]));
	const shown = groupFlagCards(board.flags.map((f) => flagItem(f, timeZones))).sort(
		(a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0)
	);
	const paged = board.next !== null || (after !== null && after !== '');
	const nextQuery = new URLSearchParams(event.url.searchParams);
	nextQuery.delete('after');
	const firstHref = nextQuery.size > 0 ? `?${nextQuery}` : '/review';
	if (board.next) nextQuery.set('after', board.next);
	return {
		can: {
			acknowledge: user.role === 'investigator',
			action: user.role === 'investigator' || user.role === 'coordinator',
			close: user.role === 'investigator'
		},
		/** Every open flag's card, for the counts; `shown` is how many the filter keeps. */
		counts: {
			cards: board.counts.cards,
			shown: board.counts.shown,
			flags: board.counts.flags,
			unacknowledged: board.counts.unacknowledged,
			urgentUnacknowledged: board.counts.urgentUnacknowledged
		},
		cards: shown.map(boardCard),
		/** The following page of cards, and the first (when this is not it). */
		pages: {
			nextHref: board.next ? `?${nextQuery}` : null,
			firstHref: after ? firstHref : null,
			paged
		},
		/** A reading's measured and received times (apart when it was typed offline). */
		readingTimes: view.readingTimes,
		/** Unacknowledged action and urgent flags, whatever the filter: the tab announces new ones. */
		alertable: board.alertable,
		filter,
		options: {
			sites: sites.map((s) => s.code).sort(),
			participants: board.participants
		},
		closed: recent.map((f) => flagItem(f, timeZones)),
		clocks,
		loadedAt: new Date().toISOString()
	};
};

const flagIdOf = (form: FormData) => recordId(form.get('flagId'));
const flagIdsOf = (form: FormData) => form.getAll('flagId').map(String);

export const actions: Actions = {
	acknowledge: serviceAction(
		(form) => `acknowledge-${flagIdOf(form)}`,
		async (form, ctx) => {
			await acknowledgeFlag(ctx, flagIdOf(form));
			return { saved: 'acknowledged' as const, flagId: flagIdOf(form) };
		}
	),
	action: serviceAction(
		(form) => `action-${flagIdOf(form)}`,
		async (form, ctx) => {
			await recordFlagAction(ctx, flagIdOf(form), {
				category: form.get('category') ?? undefined,
				text: form.get('text') ?? undefined
			});
			return { saved: 'actioned' as const, flagId: flagIdOf(form) };
		}
	),
	acknowledgeAll: serviceAction(
		(form) => `acknowledge-all-${String(form.get('card'))}`,
		async (form, ctx) => {
			await acknowledgeFlags(ctx, { flagIds: flagIdsOf(form) });
			return { saved: 'acknowledgedAll' as const };
		}
	),
	actionAll: serviceAction(
		(form) => `action-all-${String(form.get('card'))}`,
		async (form, ctx) => {
			await recordFlagActions(ctx, {
				flagIds: flagIdsOf(form),
				category: form.get('category') ?? undefined,
				text: form.get('text') ?? undefined
			});
			return { saved: 'actionedAll' as const };
		}
	),
	closeAll: serviceAction(
		(form) => `close-all-${String(form.get('card'))}`,
		async (form, ctx) => {
			await closeFlags(ctx, {
				flagIds: flagIdsOf(form),
				outcome: form.get('outcome') ?? undefined
			});
			return { saved: 'closedAll' as const };
		}
	),
	close: serviceAction(
		(form) => `close-${flagIdOf(form)}`,
		async (form, ctx) => {
			await closeFlag(ctx, flagIdOf(form), { outcome: form.get('outcome') ?? undefined });
			return { saved: 'closed' as const, flagId: flagIdOf(form) };
		}
	)
};
