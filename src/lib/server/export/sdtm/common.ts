// What every SDTM domain shares: the identifier columns and ISO 8601 date-times.

/** SDTMIG §2.2.4 identifier variables, first in every domain. */
export const IDENTIFIERS = ['STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'SITEID'] as const;

export interface SubjectKeys {
	study_code: string;
	subject_code: string;
	site_code: string;
}

/** STUDYID, DOMAIN, USUBJID (study-subject: unique across the submission), SUBJID, SITEID. */
export function identifiers(domain: string, r: SubjectKeys) {
	return {
		STUDYID: r.study_code,
		DOMAIN: domain,
		USUBJID: `${r.study_code}-${r.subject_code}`,
		SUBJID: r.subject_code,
		SITEID: r.site_code
	};
}

const STORED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * SDTMIG §4.4.2 --DTC: ISO 8601 extended format. Stored instants are UTC; they are written to the
 * second with the Z designator (2026-11-20T09:00:00Z), so no reader has to guess the zone.
 * Dates stay dates (2026-09-01).
 */
export function dtc(value: string | null | undefined): string {
	if (!value) return '';
	if (STORED_INSTANT.test(value)) return `${value.slice(0, 19)}Z`; // as toISOString() wrote it
	if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? value : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** --SEQ: 1, 2, 3 … within each subject, in the order rows are written. */
export class SequenceBySubject {
	readonly #last = new Map<string, number>();
	next(usubjid: string): number {
		const n = (this.#last.get(usubjid) ?? 0) + 1;
		this.#last.set(usubjid, n);
		return n;
	}
}
