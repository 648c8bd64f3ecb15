// The safety-signals page's second-level AE summary (ae_site_key): from the per participant ×
// coded term rows (ae_participant_term), each dosed participant counts once under each key their
// AEs fall under — the term itself, 'any', and each AE-of-special-interest category — with the
// worst grade, events and whether one was serious among those AEs; summed per study × site × dose
// group × key × worst grade. A write adds what the participant's rows give after it and takes
// away what they gave before (integers, so the sums stay exact); a rebuild folds everyone's.
import { codedTerms } from '../../../domain/adverse-events';
import type { AeParticipantTermTable, AeSiteKeyTable } from '../../db/schema-summaries';

export type AeTermRow = Pick<
	AeParticipantTermTable,
	| 'participant_id'
	| 'study_id'
	| 'site_id'
	| 'dose_group'
	| 'coded_term_code'
	| 'worst'
	| 'events'
	| 'serious'
>;

export type AeSiteKeyCell = AeSiteKeyTable;

const AESI = new Map(
	codedTerms.flatMap((t) => (t.aesiCategory ? [[t.code, t.aesiCategory] as const] : []))
);

/** A grade 1–5 as stored, anything else (unreadable, none) as 0: the page's columns. */
const gradeBucket = (worst: number | null) =>
	worst !== null && Number.isInteger(Number(worst)) && worst >= 1 && worst <= 5 ? Number(worst) : 0;

const cellId = (
	c: Pick<AeSiteKeyCell, 'study_id' | 'site_id' | 'dose_group' | 'key_kind' | 'key' | 'worst'>
) => JSON.stringify([c.study_id, c.site_id, c.dose_group, c.key_kind, c.key, c.worst]);

/** Each participant's contributions, summed into cells (sign −1 takes them away). */
export function foldAeSiteKeys(
	rows: readonly AeTermRow[],
	sign: 1 | -1 = 1,
	into: Map<string, AeSiteKeyCell> = new Map()
): Map<string, AeSiteKeyCell> {
	const byParticipant = new Map<number, AeTermRow[]>();
	for (const r of rows) {
		const list = byParticipant.get(r.participant_id);
		if (list) list.push(r);
		else byParticipant.set(r.participant_id, [r]);
	}
	const add = (
		r: AeTermRow,
		key_kind: AeSiteKeyCell['key_kind'],
		key: string,
		of: readonly AeTermRow[]
	) => {
		let worst: number | null = null;
		for (const x of of) {
			if (x.worst !== null && (worst === null || Number(x.worst) > worst)) worst = Number(x.worst);
		}
		const cell = {
			study_id: r.study_id,
			site_id: r.site_id,
			dose_group: r.dose_group,
			key_kind,
			key,
			worst: gradeBucket(worst)
		};
		const id = cellId(cell);
		const kept = into.get(id) ?? { ...cell, participants: 0, events: 0, with_serious: 0 };
		kept.participants += sign;
		kept.events += sign * of.reduce((a, x) => a + Number(x.events), 0);
		kept.with_serious += sign * (of.some((x) => Number(x.serious) > 0) ? 1 : 0);
		into.set(id, kept);
	};
	for (const mine of byParticipant.values()) {
		const first = mine[0]!;
		for (const r of mine) add(r, 'term', r.coded_term_code ?? '', [r]);
		add(first, 'any', 'any', mine);
		const byCategory = new Map<string, AeTermRow[]>();
		for (const r of mine) {
			const category = r.coded_term_code === null ? undefined : AESI.get(r.coded_term_code);
			if (!category) continue;
			byCategory.set(category, [...(byCategory.get(category) ?? []), r]);
		}
		for (const [category, of] of byCategory) add(first, 'aesi', category, of);
	}
	return into;
}

/** What a write changes: the cells after minus the cells before, only those that moved. */
export function aeSiteKeyDeltas(
	before: readonly AeTermRow[],
	after: readonly AeTermRow[]
): AeSiteKeyCell[] {
	const cells = foldAeSiteKeys(before, -1, foldAeSiteKeys(after, 1));
	return [...cells.values()].filter(
		(c) => c.participants !== 0 || c.events !== 0 || c.with_serious !== 0
	);
}
