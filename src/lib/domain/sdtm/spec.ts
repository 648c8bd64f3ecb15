// What an SDTM dataset is made of, written once and read by every writer: the CSV and XPT files
// take their columns, names, labels and types from here, and define.xml describes exactly these
// variables (SDTMIG v3.4 domain tables; Define-XML 2.1 ItemGroupDef/ItemDef).
import type { CodelistId } from './codelists';

/** Define-XML 2.1 DataType; integer and float are SAS numeric, every other type character. */
export type DataType = 'text' | 'integer' | 'float' | 'datetime' | 'date' | 'partialDate';

/** SDTMIG "Core": Req must be filled in every row, Exp present (may be null), Perm as needed. */
export type Core = 'Req' | 'Exp' | 'Perm';

/** SDTM variable roles (SDTM v2.0 §2.1), as Define-XML ItemRef/@Role. */
export type Role =
	| 'Identifier'
	| 'Topic'
	| 'Timing'
	| 'Grouping Qualifier'
	| 'Result Qualifier'
	| 'Synonym Qualifier'
	| 'Record Qualifier'
	| 'Variable Qualifier'
	| 'Rule';

/** Define-XML 2.1 def:Origin/@Type and, for collected data, who collected it. */
export type Origin =
	| { type: 'Collected'; source: 'Investigator' | 'Subject' }
	| { type: 'Derived'; method: string }
	| { type: 'Assigned' }
	| { type: 'Protocol' };

export interface VariableSpec {
	/** ≤ 8 characters, letters and digits (SAS XPORT v5). */
	name: string;
	/** ≤ 40 characters (SAS XPORT v5). */
	label: string;
	dataType: DataType;
	core: Core;
	role: Role;
	origin: Origin;
	codelist?: CodelistId;
}

export type DatasetClass =
	'SPECIAL PURPOSE' | 'EVENTS' | 'FINDINGS' | 'INTERVENTIONS' | 'TRIAL DESIGN' | 'RELATIONSHIP';

export interface DatasetSpec<N extends string = string> {
	/** Two letters: the domain code and the file name (dm.xpt); SUPP-- and the parent's code. */
	name: string;
	/** The domain a SUPP-- dataset qualifies (Define-XML ItemGroupDef/@Domain); else the name. */
	domain?: string;
	label: string;
	class: DatasetClass;
	structure: string;
	/** Variables that identify a row, in sort order (Define-XML KeySequence). */
	keys: readonly N[];
	variables: readonly (VariableSpec & { name: N })[];
	/**
	 * SUPP--: the qualifiers its QVAL holds besides the rest of long text, each a VariableSpec
	 * named by its QNAM (define.xml value-level metadata: QVAL where QNAM is that name).
	 */
	qualifiers?: readonly VariableSpec[];
}

/** SAS numeric when the Define-XML type is a number. */
export const isNumeric = (v: Pick<VariableSpec, 'dataType'>): boolean =>
	v.dataType === 'integer' || v.dataType === 'float';

/** The value a row holds for a variable: null (or '') when there is none. */
export type SdtmValue = string | number | null;
export type SdtmRow<N extends string = string> = Record<N, SdtmValue>;

/** The names of a spec's variables, in file order. */
export const columnsOf = <N extends string>(spec: DatasetSpec<N>): N[] =>
	spec.variables.map((v) => v.name);

// Shorthands for the dataset tables: most variables are collected by the investigator.
const collected: Origin = { type: 'Collected', source: 'Investigator' };
export const derived = (method: string): Origin => ({ type: 'Derived', method });
export const assigned: Origin = { type: 'Assigned' };
export const protocol: Origin = { type: 'Protocol' };

export function variable<N extends string>(
	name: N,
	label: string,
	dataType: DataType,
	core: Core,
	role: Role,
	more: { origin?: Origin; codelist?: CodelistId } = {}
): VariableSpec & { name: N } {
	return { name, label, dataType, core, role, origin: more.origin ?? collected, ...more };
}
