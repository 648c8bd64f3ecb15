// The board's cards: one per source record (a reading that breaks three rules is one card with
// three reasons), most severe first, and the filters a reviewer narrows them by.
import { FLAG_LEVELS, type FlagLevel } from '../domain/protocol/codes';
import type { FlagItem } from './flags';

export interface FlagCard {
	/** 'vital_reading:12': the record that raised every flag of the card. */
	key: string;
	sourceType: string;
	sourceId: number;
	participantId: number;
	subjectCode: string;
	siteCode: string;
	timeZone: string;
	sessionId: number | null;
	/** The most severe level among its flags. */
	level: FlagLevel;
	/** Its flags (the reasons), most severe first, then oldest first. */
	flags: FlagItem[];
	/** When the first of them was raised. */
	raisedAt: string;
	escalated: boolean;
	/** How many of its flags nobody has acknowledged yet. */
	unacknowledged: number;
}

/** urgent 0, action 1, notify 2. */
export const levelRank = (level: string): number => {
	const i = FLAG_LEVELS.indexOf(level as FlagLevel);
	return i < 0 ? FLAG_LEVELS.length : FLAG_LEVELS.length - 1 - i;
};

const bySeverityThenAge = (
	a: { level: string; raisedAt: string },
	b: { level: string; raisedAt: string }
) => levelRank(a.level) - levelRank(b.level) || a.raisedAt.localeCompare(b.raisedAt);

export const cardKey = (f: Pick<FlagItem, 'sourceType' | 'sourceId'>): string =>
	`${f.sourceType}:${f.sourceId}`;

/** Groups flags by the record that raised them; cards most severe first, then oldest first. */
export function groupFlagCards(flags: FlagItem[]): FlagCard[] {
	const groups = new Map<string, FlagItem[]>();
	for (const f of flags) {
		const key = cardKey(f);
		const group = groups.get(key);
		if (group) group.push(f);
		else groups.set(key, [f]);
	}
	const cards = [...groups.entries()].map(([key, group]): FlagCard => {
		const sorted = [...group].sort(bySeverityThenAge);
		const first = sorted[0]!;
		return {
			key,
			sourceType: first.sourceType,
			sourceId: first.sourceId,
			participantId: first.participantId,
			subjectCode: first.subjectCode,
			siteCode: first.siteCode,
			timeZone: first.timeZone,
			sessionId: sorted.find((f) => f.sessionId !== null)?.sessionId ?? null,
			level: first.level,
			flags: sorted,
			raisedAt: group.map((f) => f.raisedAt).sort()[0]!,
			escalated: group.some((f) => f.escalated && f.status !== 'closed'),
			unacknowledged: group.filter((f) => f.status === 'raised').length
		};
	});
	return cards.sort(bySeverityThenAge);
}

/** A reason as the board's card shows it: the card carries the participant, site and record. */
export type BoardFlag = Pick<
	FlagItem,
	| 'id'
	| 'level'
	| 'status'
	| 'message'
	| 'raisedAt'
	| 'ageMinutes'
	| 'actionCategory'
	| 'actionText'
>;

/** A card as the board page carries it to the browser: its reasons without the card's fields again. */
export type BoardCard = Omit<FlagCard, 'flags'> & { flags: BoardFlag[] };

/** The card without what each reason repeats of it (half the board's page data). */
export function boardCard(card: FlagCard): BoardCard {
	return {
		...card,
		flags: card.flags.map((f) => ({
			id: f.id,
			level: f.level,
			status: f.status,
			message: f.message,
			raisedAt: f.raisedAt,
			ageMinutes: f.ageMinutes,
			actionCategory: f.actionCategory,
			actionText: f.actionText
		}))
	};
}

export interface BoardFilter {
	site: string | null;
	participant: string | null;
	level: FlagLevel | null;
	unacknowledged: boolean;
}

/** The filter named in the board's address (`?site=01&participant=01-004&level=urgent&unack=1`). */
export function boardFilterOf(params: URLSearchParams): BoardFilter {
	const level = params.get('level');
	return {
		site: params.get('site') || null,
		participant: params.get('participant') || null,
		level: FLAG_LEVELS.includes(level as FlagLevel) ? (level as FlagLevel) : null,
		unacknowledged: params.get('unack') === '1'
	};
}

/**
 * The cards the filter keeps: of that site and participant; with a flag at that level; with a
 * flag nobody has acknowledged yet. A kept card keeps all its reasons.
 */
export function filterCards(cards: FlagCard[], f: BoardFilter): FlagCard[] {
	return cards.filter(
		(c) =>
			(f.site === null || c.siteCode === f.site) &&
			(f.participant === null || c.subjectCode === f.participant) &&
			(f.level === null || c.flags.some((x) => x.level === f.level)) &&
			(!f.unacknowledged || c.unacknowledged > 0)
	);
}
