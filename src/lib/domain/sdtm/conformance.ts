// The checks a reviewer runs on a dataset, row by row, so a test (or an operator) can see at once
// whether a file is fit to submit: names and labels within SAS XPORT v5 limits, required values
// filled, --SEQ unique per subject, ISO 8601 dates, controlled terms in their lists, SUBJID and
// SITEID in DM only, character values within 200 bytes.
import { inCodelist } from './codelists';
import type { DatasetSpec, SdtmRow } from './spec';

const ISO_8601: Record<string, RegExp> = {
	datetime: /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/,
	date: /^\d{4}-\d{2}-\d{2}$/,
	partialDate: /^\d{4}(-\d{2}(-\d{2})?)?$/
};

const DM_ONLY = ['SUBJID', 'SITEID'];
const utf8 = new TextEncoder();

/** Findings about the dataset's definition itself, before any row. */
export function specFindings(spec: DatasetSpec): string[] {
	const out: string[] = [];
	for (const v of spec.variables) {
		if (!/^[A-Z][A-Z0-9]{0,7}$/.test(v.name)) out.push(`${v.name}: not a SAS V5 name`);
		if (v.label.length > 40) out.push(`${v.name}: label longer than 40 characters`);
		if (spec.name !== 'DM' && DM_ONLY.includes(v.name)) out.push(`${v.name}: belongs in DM`);
	}
	return out;
}

export class ConformanceCheck {
	readonly #spec: DatasetSpec;
	readonly #seq: string | undefined;
	readonly #seen = new Set<string>();
	readonly #findings = new Set<string>();
	#rows = 0;

	constructor(spec: DatasetSpec) {
		this.#spec = spec;
		this.#seq = spec.variables.find((v) => v.name.endsWith('SEQ'))?.name;
		for (const f of specFindings(spec)) this.#findings.add(f);
	}

	add(row: SdtmRow): void {
		this.#rows += 1;
		const where = `row ${this.#rows}`;
		for (const v of this.#spec.variables) {
			const value = row[v.name];
			const text = value === null || value === undefined ? '' : String(value);
			if (v.core === 'Req' && text === '') this.#note(`${v.name} is required (${where})`);
			if (text === '') continue;
			const pattern = ISO_8601[v.dataType];
			if (pattern && !pattern.test(text)) this.#note(`${v.name} "${text}" is not ISO 8601`);
			if (v.codelist && !inCodelist(v.codelist, text)) {
				this.#note(`${v.name} "${text}" is not in codelist ${v.codelist}`);
			}
			if (utf8.encode(text).length > 200) this.#note(`${v.name} is over 200 bytes (${where})`);
			if ((v.dataType === 'integer' || v.dataType === 'float') && typeof value !== 'number') {
				this.#note(`${v.name} "${text}" is not a number (${where})`);
			}
		}
		if (this.#seq) {
			const key = `${String(row.USUBJID)}\u0000${String(row[this.#seq])}`;
			if (this.#seen.has(key)) this.#note(`${this.#seq} repeats for ${String(row.USUBJID)}`);
			this.#seen.add(key);
		}
	}

	#note(finding: string): void {
		this.#findings.add(finding);
	}

	get rowCount(): number {
		return this.#rows;
	}

	findings(): string[] {
		return [...this.#findings];
	}
}
