// What the data say about each column, gathered row by row: the longest character value in bytes
// (SAS XPORT lengths; FDA asks for the longest actual value) and, for numbers, the most digits and
// decimals (Define-XML Length and SignificantDigits).
import { isNumeric, type DatasetSpec, type SdtmRow } from './spec';

const utf8 = new TextEncoder();

export interface ColumnStat {
	/** Bytes of the longest text value; digits of the longest number. At least 1. */
	length: number;
	/** Numbers: most digits after the decimal point. */
	decimals: number;
}

export class ColumnStats {
	readonly #spec: DatasetSpec;
	readonly #stats: ColumnStat[];
	rows = 0;

	constructor(spec: DatasetSpec) {
		this.#spec = spec;
		this.#stats = spec.variables.map(() => ({ length: 1, decimals: 0 }));
	}

	add(row: SdtmRow): void {
		this.rows += 1;
		this.#spec.variables.forEach((v, i) => {
			const value = row[v.name];
			if (value === null || value === undefined || value === '') return;
			const stat = this.#stats[i]!;
			if (isNumeric(v)) {
				const [whole, fraction = ''] = String(Math.abs(Number(value))).split('.');
				stat.length = Math.max(stat.length, whole!.length + fraction.length);
				stat.decimals = Math.max(stat.decimals, fraction.length);
			} else {
				stat.length = Math.max(stat.length, utf8.encode(String(value)).length);
			}
		});
	}

	/** Per variable name, in file order. */
	byName(): Map<string, ColumnStat> {
		return new Map(this.#spec.variables.map((v, i) => [v.name, { ...this.#stats[i]! }]));
	}
}
