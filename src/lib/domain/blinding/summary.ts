// The blinding-integrity summary (DOMAIN-2.md §2): one row per respondent type and timepoint, with
// the pooled guesses and James' index for every reader, and the 2 × 3 table with Bang's index per
// arm only for a reader who may know arms (an unblinded role, or anyone after database lock).
import {
	bangIndex,
	jamesIndex,
	jamesReading,
	type GuessTable,
	type IndexEstimate
} from './indices';
import { pool, RESPONDENTS, tabulate, type GuessRecord, type PooledGuesses } from './guesses';

export interface PerArm {
	table: GuessTable;
	bangActive: IndexEstimate | null;
	bangControl: IndexEstimate | null;
}

export interface IntegrityRow {
	respondent: GuessRecord['respondent'];
	timepoint: string;
	pooled: PooledGuesses;
	/** Null when it cannot be computed, or is withheld from a blinded reader (see `withheld`). */
	james: IndexEstimate | null;
	jamesReading: string | null;
	/** Why a blinded reader sees no James' index for this row. */
	withheld: string | null;
	/** Only for a reader who may know arms. */
	perArm: PerArm | null;
}

/** DS1 < DS2 < … < DS10 < EOT. */
export function compareTimepoints(a: string, b: string): number {
	const rank = (t: string) => (t === 'EOT' ? Number.MAX_SAFE_INTEGER : Number(t.slice(2)) || 0);
	return rank(a) - rank(b) || a.localeCompare(b);
}

export function integrityRows(
	records: readonly GuessRecord[],
	/**
	 * `minimumForBlinded`: the protocol's `blinding.minimumGuessesForBlindedIndex` (settings.ts):
	 * below it, a blinded reader sees no James' index for the row.
	 */
	opts: { armsVisible: boolean; minimumForBlinded: number; z?: number }
): IntegrityRow[] {
	const minimum = opts.minimumForBlinded;
	const timepoints = [...new Set(records.map((r) => r.timepoint))].sort(compareTimepoints);
	const rows: IntegrityRow[] = [];
	for (const respondent of RESPONDENTS) {
		for (const timepoint of timepoints) {
			const here = records.filter((r) => r.respondent === respondent && r.timepoint === timepoint);
			if (here.length === 0) continue;
			const table = tabulate(here);
			const pooled = pool(table);
			const computed = jamesIndex(table, opts.z);
			const withheld =
				!opts.armsVisible && pooled.n < minimum
					? `fewer than ${minimum} guesses: withheld while arms are concealed`
					: !opts.armsVisible && computed === null
						? 'not computable'
						: null;
			const james = withheld ? null : computed;
			rows.push({
				respondent,
				timepoint,
				pooled,
				james,
				jamesReading: james ? jamesReading(james) : null,
				withheld,
				perArm: opts.armsVisible
					? {
							table,
							bangActive: bangIndex(table.active, 'active', opts.z),
							bangControl: bangIndex(table.control, 'control', opts.z)
						}
					: null
			});
		}
	}
	return rows;
}
