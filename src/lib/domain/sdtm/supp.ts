// SUPP-- (Supplemental Qualifiers, SDTMIG v3.4 §8.4): one dataset per parent domain, one record
// per IDVAR, IDVARVAL and QNAM value per subject. Vigil writes there the rest of any text over
// 200 bytes (§4.5.3.2): the parent row keeps the first part, each further part is a SUPP-- row.
import { MAX_TEXT_BYTES, overBytes, QnamTable, qlabelOf, splitText } from './long-text';
import {
	assigned,
	derived,
	isNumeric,
	variable as v,
	type DatasetSpec,
	type SdtmRow,
	type VariableSpec
} from './spec';

/** The SUPP-- variables, in file order (SDTMIG v3.4 §8.4.1 table). */
const suppVariables = (parent: string) =>
	[
		v('STUDYID', 'Study Identifier', 'text', 'Req', 'Identifier', { origin: assigned }),
		v('RDOMAIN', 'Related Domain Abbreviation', 'text', 'Req', 'Identifier', {
			origin: assigned
		}),
		v('USUBJID', 'Unique Subject Identifier', 'text', 'Req', 'Identifier', {
			origin: derived(`USUBJID of the ${parent} record the qualifier belongs to.`)
		}),
		v('IDVAR', 'Identifying Variable', 'text', 'Exp', 'Identifier', {
			origin: derived(
				`${parent}SEQ, the variable that identifies the ${parent} record; null in SUPPDM.`
			)
		}),
		v('IDVARVAL', 'Identifying Variable Value', 'text', 'Exp', 'Identifier', {
			origin: derived(`The value of IDVAR in the ${parent} record.`)
		}),
		v('QNAM', 'Qualifier Variable Name', 'text', 'Req', 'Topic', {
			origin: derived(
				"The parent variable's name (first 7 characters) and the part's number: AETERM1 " +
					'holds the second part of AETERM (SDTMIG §4.5.3.2).'
			)
		}),
		v('QLABEL', 'Qualifier Variable Label', 'text', 'Req', 'Synonym Qualifier', {
			origin: derived("The parent variable's label and the part's number.")
		}),
		v('QVAL', 'Data Value', 'text', 'Req', 'Result Qualifier', {
			origin: derived(
				`Text of a ${parent} variable over ${MAX_TEXT_BYTES} bytes: the parent keeps the first ` +
					`part (at most ${MAX_TEXT_BYTES} bytes of UTF-8, cut between words where possible), ` +
					'each further part is one QVAL; the parent and its QVALs in QNAM order, joined, ' +
					'give the whole text.'
			)
		}),
		v('QORIG', 'Origin', 'text', 'Req', 'Record Qualifier', {
			origin: derived("The parent variable's origin (Define-XML def:Origin Type).")
		}),
		v('QEVAL', 'Evaluator', 'text', 'Exp', 'Record Qualifier', {
			origin: derived('Null: the text is as recorded, not an evaluation.')
		})
	] as const;

/** QNAM and QVAL also name and hold the qualifiers, each described as value-level metadata. */
function withQualifiers<V extends VariableSpec>(
	variables: readonly V[],
	qualifiers: readonly VariableSpec[]
): readonly V[] {
	if (qualifiers.length === 0) return variables;
	const names = qualifiers.map((q) => q.name).join(', ');
	return variables.map((x) =>
		(x.name === 'QNAM' || x.name === 'QVAL') && x.origin.type === 'Derived'
			? {
					...x,
					origin: derived(
						`${x.origin.method} Also the qualifiers ${names}, each described in the ` +
							'value-level metadata of QVAL.'
					)
				}
			: x
	);
}

export type SuppVariable = ReturnType<typeof suppVariables>[number]['name'];
export type SuppRow = SdtmRow<SuppVariable>;

/** The SUPP-- dataset of a parent domain (SUPPAE for AE), with the qualifiers it also holds. */
export function suppSpec(
	parent: DatasetSpec,
	qualifiers: readonly VariableSpec[] = []
): DatasetSpec<SuppVariable> {
	return {
		...(qualifiers.length > 0 ? { qualifiers } : {}),
		name: `SUPP${parent.name}`,
		domain: parent.name,
		label: `Supplemental Qualifiers for ${parent.name}`,
		class: 'RELATIONSHIP',
		structure: 'One record per IDVAR, IDVARVAL, and QNAM value per subject',
		keys: ['STUDYID', 'RDOMAIN', 'USUBJID', 'IDVAR', 'IDVARVAL', 'QNAM'],
		variables: withQualifiers(suppVariables(parent.name), qualifiers)
	};
}

/** Datasets of subjects have a SUPP--; trial design datasets (no USUBJID) do not. */
export const hasSupp = (spec: DatasetSpec): boolean =>
	spec.class !== 'TRIAL DESIGN' &&
	spec.class !== 'RELATIONSHIP' &&
	spec.variables.some((x) => x.name === 'USUBJID');

/** --SEQ identifies a record of the parent (IDVAR); DM has one record per subject and none. */
const sequenceOf = (spec: DatasetSpec) =>
	spec.variables.find((x) => x.name === `${spec.name}SEQ`)?.name ?? null;

export interface SplitRow {
	/** The parent record, every text value within 200 bytes. */
	row: SdtmRow;
	/** The further parts of its long values, as SUPP-- records (none when nothing was long). */
	supp: SuppRow[];
}

const qnamTables = new WeakMap<DatasetSpec, QnamTable>();

/** The QNAMs of a dataset's text variables, the same in every export (see QnamTable). */
export function qnamTableOf(spec: DatasetSpec): QnamTable {
	let table = qnamTables.get(spec);
	if (!table) {
		table = new QnamTable(spec.variables.filter((x) => !isNumeric(x)).map((x) => x.name));
		qnamTables.set(spec, table);
	}
	return table;
}

/** What cutting a dataset's rows needs, worked out once per dataset rather than per row. */
interface Cutting {
	text: readonly VariableSpec[];
	seq: string | null;
	qnams: QnamTable;
	/** False when no text value of the row can be over MAX_TEXT_BYTES (most rows). */
	mayBeLong: (row: SdtmRow) => boolean;
}

/**
 * The first test of overBytes for each text variable, read by name (new Function, made once per
 * dataset): a row whose every text is short enough in UTF-16 units cannot be long in bytes. A
 * lookup by computed key for each variable of each row was a tenth of writing VS (profile).
 */
function mayBeLongOf(text: readonly VariableSpec[]): (row: SdtmRow) => boolean {
	if (text.length === 0) return () => false;
	const tests = text.map((x) => {
		const v = `row[${JSON.stringify(x.name)}]`;
		return `(typeof ${v} === 'string' && ${v}.length * 3 > ${MAX_TEXT_BYTES})`;
	});
	return new Function('row', `return ${tests.join(' || ')};`) as (row: SdtmRow) => boolean;
}

const cuttings = new WeakMap<DatasetSpec, Cutting>();

function cuttingOf(spec: DatasetSpec): Cutting {
	let cutting = cuttings.get(spec);
	if (!cutting) {
		const text = spec.variables.filter((x) => !isNumeric(x));
		cutting = {
			text,
			seq: sequenceOf(spec),
			qnams: qnamTableOf(spec),
			mayBeLong: mayBeLongOf(text)
		};
		cuttings.set(spec, cutting);
	}
	return cutting;
}

const NO_SUPP: readonly SuppRow[] = Object.freeze([]);

/** A parent record with its long text cut (§4.5.3.2); a record without long text is unchanged. */
export function splitLongText(spec: DatasetSpec, row: SdtmRow): SplitRow {
	const { text, seq, qnams, mayBeLong } = cuttingOf(spec);
	if (!mayBeLong(row)) return { row, supp: NO_SUPP as SuppRow[] };
	let out: SdtmRow | null = null;
	let supp: SuppRow[] | null = null;
	for (const variable of text) {
		const value = row[variable.name];
		if (typeof value !== 'string' || !overBytes(value, MAX_TEXT_BYTES)) continue;
		const [first, ...rest] = splitText(value);
		out ??= { ...row };
		out[variable.name] = first!;
		supp ??= [];
		for (const [i, part] of rest.entries()) {
			supp.push({
				STUDYID: row.STUDYID ?? null,
				RDOMAIN: spec.name,
				USUBJID: row.USUBJID ?? null,
				IDVAR: seq,
				IDVARVAL: seq === null ? null : String(row[seq]),
				QNAM: qnams.qnam(variable.name, i + 1),
				QLABEL: qlabelOf(variable.label, i + 1),
				QVAL: part,
				QORIG: variable.origin.type,
				QEVAL: null
			});
		}
	}
	return { row: out ?? row, supp: supp ?? (NO_SUPP as SuppRow[]) };
}
