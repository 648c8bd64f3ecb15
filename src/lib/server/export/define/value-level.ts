// Value-level metadata of the SUPP-- datasets that hold qualifiers besides long text (SUPPDV):
// QVAL where QNAM is each qualifier's name is an item of its own, with its label, type, length,
// codelist and derivation (Define-XML 2.1 def:ValueListDef and def:WhereClauseDef, as CDISC's
// SDTM example describes SUPPDM.QVAL).
import type { DatasetSpec, VariableSpec } from '../../../domain/sdtm';
import { el, EMPTY, textEl, type Markup } from '../xml';
import { codelistOid, description, origin } from './elements';

export interface QualifiedDataset {
	spec: DatasetSpec;
	/** The longest QVAL of each qualifier, in bytes (at least 1). */
	qualifierLengths?: Map<string, number>;
}

const qualifiersOf = (ds: DatasetSpec) => ds.qualifiers ?? [];
export const valueListOid = (ds: DatasetSpec) => `VL.${ds.name}.QVAL`;
const whereOid = (ds: DatasetSpec, q: VariableSpec) => `WC.${ds.name}.QNAM.${q.name}`;
export const qualifierOid = (ds: DatasetSpec, q: VariableSpec) => `IT.${ds.name}.QVAL.${q.name}`;
export const qualifierMethodOid = (ds: DatasetSpec, q: VariableSpec) =>
	`MT.${ds.name}.QVAL.${q.name}`;

/** The ValueListRef a dataset's QVAL ItemDef carries, or nothing when it has no qualifiers. */
export const valueListRef = (ds: DatasetSpec, v: VariableSpec): Markup =>
	v.name === 'QVAL' && qualifiersOf(ds).length > 0
		? el('def:ValueListRef', { ValueListOID: valueListOid(ds) })
		: EMPTY;

export function valueLists(datasets: QualifiedDataset[]): Markup[] {
	return datasets
		.filter((d) => qualifiersOf(d.spec).length > 0)
		.map(({ spec }) =>
			el(
				'def:ValueListDef',
				{ OID: valueListOid(spec) },
				...qualifiersOf(spec).map((q, i) =>
					el(
						'ItemRef',
						{
							ItemOID: qualifierOid(spec, q),
							OrderNumber: i + 1,
							Mandatory: q.core === 'Req' ? 'Yes' : 'No',
							MethodOID: q.origin.type === 'Derived' ? qualifierMethodOid(spec, q) : undefined,
							Role: q.role
						},
						el('def:WhereClauseRef', { WhereClauseOID: whereOid(spec, q) })
					)
				)
			)
		);
}

export function whereClauses(datasets: QualifiedDataset[]): Markup[] {
	return datasets.flatMap(({ spec }) =>
		qualifiersOf(spec).map((q) =>
			el(
				'def:WhereClauseDef',
				{ OID: whereOid(spec, q) },
				el(
					'RangeCheck',
					{ Comparator: 'EQ', SoftHard: 'Soft', 'def:ItemOID': `IT.${spec.name}.QNAM` },
					textEl('CheckValue', q.name)
				)
			)
		)
	);
}

export function qualifierItemDefs(datasets: QualifiedDataset[]): Markup[] {
	return datasets.flatMap(({ spec, qualifierLengths }) =>
		qualifiersOf(spec).map((q) =>
			el(
				'ItemDef',
				{
					OID: qualifierOid(spec, q),
					Name: q.name,
					DataType: 'text', // QVAL is character
					Length: qualifierLengths?.get(q.name) ?? 1,
					SASFieldName: q.name
				},
				description(q.label),
				q.codelist ? el('CodeListRef', { CodeListOID: codelistOid(q.codelist) }) : EMPTY,
				origin(q)
			)
		)
	);
}

export function qualifierMethods(datasets: QualifiedDataset[]): Markup[] {
	return datasets.flatMap(({ spec }) =>
		qualifiersOf(spec).flatMap((q) =>
			q.origin.type === 'Derived'
				? [
						el(
							'MethodDef',
							{
								OID: qualifierMethodOid(spec, q),
								Name: `Algorithm to derive ${spec.name}.QVAL where QNAM = ${q.name}`,
								Type: 'Computation'
							},
							description(q.origin.method)
						)
					]
				: []
		)
	);
}
