/** Search over the bundled coded terms, for the AE form's term picker. */
import { codedTerms, type CodedTerm } from './coded-terms';

/**
 * How well a name matches, best first: the whole name, the start of the name, every query word
 * starting a word of the name.
 */
const matchRanks = ['exact', 'prefix', 'words'] as const;
export type MatchRank = (typeof matchRanks)[number];

export interface TermMatch {
	term: CodedTerm;
	rank: MatchRank;
	/** The preferred term or synonym that matched. */
	matchedName: string;
}

/** Lower case, accents removed, runs of anything but letters and digits made one space. */
function normalise(text: string): string {
	return text
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

function rankName(query: string, queryWords: string[], name: string): MatchRank | null {
	const normalName = normalise(name);
	if (normalName === query) return 'exact';
	if (normalName.startsWith(query)) return 'prefix';
	const nameWords = normalName.split(' ');
	const everyWord = queryWords.every((q) => nameWords.some((word) => word.startsWith(q)));
	return everyWord ? 'words' : null;
}

function bestMatch(term: CodedTerm, query: string, queryWords: string[]): TermMatch | null {
	let best: TermMatch | null = null;
	for (const name of [term.preferredTerm, term.code, ...term.synonyms]) {
		const rank = rankName(query, queryWords, name);
		if (rank === null) continue;
		if (best === null || matchRanks.indexOf(rank) < matchRanks.indexOf(best.rank)) {
			best = { term, rank, matchedName: name };
		}
	}
	return best;
}

/**
 * Terms matching the query, case- and accent-insensitive, on preferred terms, synonyms and codes.
 * Exact matches come first, then prefix matches, then word-prefix matches; ties go alphabetically
 * by preferred term. An empty query matches nothing.
 */
export function searchCodedTermMatches(query: string, limit = 20): TermMatch[] {
	const normalQuery = normalise(query);
	if (normalQuery === '') return [];
	const queryWords = normalQuery.split(' ');
	const matches: TermMatch[] = [];
	for (const term of codedTerms) {
		const match = bestMatch(term, normalQuery, queryWords);
		if (match) matches.push(match);
	}
	matches.sort(
		(a, b) =>
			matchRanks.indexOf(a.rank) - matchRanks.indexOf(b.rank) ||
			a.term.preferredTerm.localeCompare(b.term.preferredTerm, 'en')
	);
	return matches.slice(0, limit);
}

/** The terms of searchCodedTermMatches, best first. */
export function searchCodedTerms(query: string, limit = 20): CodedTerm[] {
	return searchCodedTermMatches(query, limit).map((match) => match.term);
}
