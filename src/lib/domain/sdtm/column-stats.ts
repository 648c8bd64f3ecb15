// What the data say about each column, gathered row by row: the longest character value in bytes
// (SAS XPORT lengths; FDA asks for the longest actual value) and, for numbers, the most digits and
// decimals (Define-XML Length and SignificantDigits).
import { utf8Length } from './long-text';
import { isNumeric, type DatasetSpec, type SdtmRow } from './spec';

export interface ColumnStat {
	/** Bytes of the longest text value; digits of the longest number. At least 1. */
	length: number;
	/** Numbers: most digits after the decimal point. */
	decimals: number;
}

export class ColumnStats {
	readonly #spec: DatasetSpec;
	readonly #stats: ColumnStat[];
	readonly #numeric: boolean[];
	rows = 0;

	constructor(spec: DatasetSpec) {
		this.#spec = spec;
		this.#stats = spec.variables.map(() => ({ length: 1, decimals: 0 }));
		this.#numeric = spec.variables.map(isNumeric);
	}

	add(row: SdtmRow): void {
		this.rows += 1;
		const variables = this.#spec.variables;
		for (let i = 0; i < variables.length; i++) {
			const v = variables[i]!;
			const value = row[v.name];
			if (value === null || value === undefined || value === '') continue;
			const stat = this.#stats[i]!;
			if (this.#numeric[i]) {
				// Digits of the whole part and of the fraction (no sign, no point).
				const digits = String(Math.abs(Number(value)));
				const point = digits.indexOf('.');
				const fraction = point < 0 ? 0 : digits.length - point - 1;
				if (digits.length - (point < 0 ? 0 : 1) > stat.length) {
					stat.length = digits.length - (point < 0 ? 0 : 1);
				}
				if (fraction > stat.decimals) stat.decimals = fraction;
			} else {
				const text = String(value);
				// A UTF-16 code unit is at most three bytes: a short text cannot be the longest.
				if (text.length * 3 <= stat.length) continue;
				const bytes = utf8Length(text);
				if (bytes > stat.length) stat.length = bytes;
			}
		}
	}

	/** Per variable name, in file order. */
	byName(): Map<string, ColumnStat> {
		return new Map(this.#spec.variables.map((v, i) => [v.name, { ...this.#stats[i]! }]));
	}
}
