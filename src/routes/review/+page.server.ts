import type { FlagItem } from '$lib/views/flags';
import { boardFilterOf, filterCards, groupFlagCards } from '$lib/views/flag-cards';
import {
	acknowledgeFlags,
	closeFlags,
	recordFlagActions
} from '$lib/server/services/safety/flag-groups';
import { contextOf, formAction, requirePageUser } from '$lib/server/runtime/http';
import type { ServiceContext } from '$lib/server/runtime/context';
import { listOpenSaeClocks, type OpenSaeClock } from '$lib/server/services/capture/adverse-events';
import {
	acknowledgeFlag,
	closeFlag,
	listFlags,
	recentlyClosedFlags,
	recordFlagAction,
	type FlagView
} from '$lib/server/services/safety/flags';
import { listSites } from '$lib/server/services/people/sites';
import { readingTimes } from '$lib/server/services/capture/reading-times';
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
async function reportingClocks(ctx: ServiceContext) {
	const clocks: OpenSaeClock[] = await listOpenSaeClocks(ctx);
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
	const [sites, open, recent, clocks] = await Promise.all([
		listSites(ctx),
		listFlags(ctx, { open: true }),
		recentlyClosedFlags(ctx, CLOSED_SHOWN),
		reportingClocks(ctx)
	]);
	const timeZones = new Map(sites.map((s) => [s.id, s.timezone]));
	const items = open.map((f) => flagItem(f, timeZones));
	const cards = groupFlagCards(items);
	const filter = boardFilterOf(event.url.searchParams);
	const shown = filterCards(cards, filter);
	return {
		can: {
			acknowledge: user.role === 'investigator',
			action: user.role === 'investigator' || user.role === 'coordinator',
			close: user.role === 'investigator'
		},
		/** Every open flag's card, for the counts; `cards` are those the filter keeps. */
		counts: {
			cards: cards.length,
			flags: items.length,
			unacknowledged: items.filter((f) => f.status === 'raised').length,
			urgentUnacknowledged: items.filter((f) => f.level === 'urgent' && f.status === 'raised')
				.length
		},
		cards: shown,
		/** A reading's measured and received times (apart when it was typed offline). */
		readingTimes: await readingTimes(
			ctx,
			shown.filter((c) => c.sourceType === 'vital_reading').map((c) => c.sourceId)
		),
		/** Unacknowledged action and urgent flags, whatever the filter: the tab announces new ones. */
		alertable: items
			.filter((f) => f.status === 'raised' && (f.level === 'urgent' || f.level === 'action'))
			.map((f) => ({
				id: f.id,
				level: f.level as 'urgent' | 'action',
				subjectCode: f.subjectCode,
				message: f.message
			})),
		filter,
		options: {
			sites: sites.map((s) => s.code).sort(),
			participants: [...new Set(items.map((f) => f.subjectCode))].sort()
		},
		closed: recent.map((f) => flagItem(f, timeZones)),
		clocks,
		loadedAt: new Date().toISOString()
	};
};

const flagIdOf = (form: FormData) => Number(form.get('flagId'));
const flagIdsOf = (form: FormData) => form.getAll('flagId').map(String);

export const actions: Actions = {
	acknowledge: async (event) => {
		const form = await event.request.formData();
		return formAction(
			form,
			async () => {
				await acknowledgeFlag(contextOf(event), flagIdOf(form));
				return { saved: 'acknowledged' as const, flagId: flagIdOf(form) };
			},
			`acknowledge-${flagIdOf(form)}`
		);
	},
	action: async (event) => {
		const form = await event.request.formData();
		return formAction(
			form,
			async () => {
				await recordFlagAction(contextOf(event), flagIdOf(form), {
					category: form.get('category') ?? undefined,
					text: form.get('text') ?? undefined
				});
				return { saved: 'actioned' as const, flagId: flagIdOf(form) };
			},
			`action-${flagIdOf(form)}`
		);
	},
	acknowledgeAll: async (event) => {
		const form = await event.request.formData();
		return formAction(
			form,
			async () => {
				await acknowledgeFlags(contextOf(event), { flagIds: flagIdsOf(form) });
				return { saved: 'acknowledgedAll' as const };
			},
			`acknowledge-all-${String(form.get('card'))}`
		);
	},
	actionAll: async (event) => {
		const form = await event.request.formData();
		return formAction(
			form,
			async () => {
				await recordFlagActions(contextOf(event), {
					flagIds: flagIdsOf(form),
					category: form.get('category') ?? undefined,
					text: form.get('text') ?? undefined
				});
				return { saved: 'actionedAll' as const };
			},
			`action-all-${String(form.get('card'))}`
		);
	},
	closeAll: async (event) => {
		const form = await event.request.formData();
		return formAction(
			form,
			async () => {
				await closeFlags(contextOf(event), {
					flagIds: flagIdsOf(form),
					outcome: form.get('outcome') ?? undefined
				});
				return { saved: 'closedAll' as const };
			},
			`close-all-${String(form.get('card'))}`
		);
	},
	close: async (event) => {
		const form = await event.request.formData();
		return formAction(
			form,
			async () => {
				await closeFlag(contextOf(event), flagIdOf(form), {
					outcome: form.get('outcome') ?? undefined
				});
				return { saved: 'closed' as const, flagId: flagIdOf(form) };
			},
			`close-${flagIdOf(form)}`
		);
	}
};
