// define.xml (CDISC Define-XML 2.1) for the SDTM datasets Vigil writes, generated from the same
// dataset definitions the CSV and XPT writers use, with lengths measured from the same rows: every
// dataset, variable, codelist and derivation in the files, and nothing else (DOMAIN-2.md §10).
import {
	CODELISTS,
	DECLARED_CT,
	type Codelist,
	type CodelistId,
	type ColumnStat,
	type DatasetSpec,
	type VariableSpec
} from '../../../domain/sdtm';
import {
	closeTag,
	concat,
	el,
	EMPTY,
	NEWLINE,
	openTag,
	textEl,
	XML_DECLARATION,
	type Markup
} from '../xml';
import { codelistOid, description, itemOid, methodOid, origin } from './elements';
import {
	qualifierItemDefs,
	qualifierMethods,
	valueListRef,
	valueLists,
	whereClauses
} from './value-level';

export interface DefineDataset {
	spec: DatasetSpec;
	/** What the rows held, per variable (ColumnStats.byName). */
	stats: Map<string, ColumnStat>;
	/** How many rows the file holds: an empty SUPP-- dataset is declared as having no data. */
	rows?: number;
	/** SUPP-- with qualifiers: the longest QVAL of each, in bytes. */
	qualifierLengths?: Map<string, number>;
}

export interface DefineStudy {
	code: string;
	title: string;
	protocolVersion: string;
}

/** The standards the files follow; the CT release is the package the terms are checked against. */
const STANDARDS = {
	IG: { OID: 'STD.SDTMIG', Name: 'SDTMIG', Type: 'IG', Version: '3.4', Status: 'Final' },
	CT: {
		OID: 'STD.CT',
		Name: 'CDISC/NCI',
		Type: 'CT',
		PublishingSet: DECLARED_CT.publishingSet,
		Version: DECLARED_CT.version,
		Status: 'Final'
	}
} as const;

function itemRef(ds: DatasetSpec, v: VariableSpec, order: number): Markup {
	const key = ds.keys.indexOf(v.name);
	return el('ItemRef', {
		ItemOID: itemOid(ds, v),
		OrderNumber: order,
		Mandatory: v.core === 'Req' ? 'Yes' : 'No',
		KeySequence: key >= 0 ? key + 1 : undefined,
		MethodOID: v.origin.type === 'Derived' ? methodOid(ds, v) : undefined,
		Role: v.role
	});
}

/**
 * A dataset's ItemGroupDef. Only a SUPP--'s depends on the rows (an empty one has no data), so the
 * others can be written before any row is read (`{ spec, stats: new Map() }`).
 */
export function itemGroup({ spec: ds, rows }: DefineDataset): Markup {
	const file = `${ds.name.toLowerCase()}.xpt`;
	// A SUPP-- dataset no text was long enough to fill is described but has no data (as CDISC's
	// SDTM example does SUPPVS): no file is referred to.
	const noData = ds.class === 'RELATIONSHIP' && rows === 0;
	return el(
		'ItemGroupDef',
		{
			OID: `IG.${ds.name}`,
			Domain: ds.domain ?? ds.name,
			Name: ds.name,
			Repeating: ds.name === 'DM' ? 'No' : 'Yes',
			IsReferenceData: ds.class === 'TRIAL DESIGN' ? 'Yes' : 'No',
			SASDatasetName: ds.name,
			'def:Structure': ds.structure,
			Purpose: 'Tabulation',
			'def:StandardOID': STANDARDS.IG.OID,
			'def:HasNoData': noData ? 'Yes' : undefined,
			'def:ArchiveLocationID': noData ? undefined : `LF.${ds.name}`
		},
		description(ds.label),
		...ds.variables.map((v, i) => itemRef(ds, v, i + 1)),
		el('def:Class', { Name: ds.class }),
		noData
			? EMPTY
			: el('def:leaf', { ID: `LF.${ds.name}`, 'xlink:href': file }, textEl('def:title', file))
	);
}

/** Length: bytes of the longest text, digits of the longest number; none for dates. */
function lengthAttrs(v: VariableSpec, stat: ColumnStat | undefined) {
	const measured = stat ?? { length: 1, decimals: 0 };
	if (v.dataType === 'text' || v.dataType === 'integer') return { Length: measured.length };
	if (v.dataType === 'float') {
		return { Length: measured.length, SignificantDigits: measured.decimals };
	}
	return {};
}

function itemDefOf(ds: DefineDataset, v: VariableSpec): Markup {
	return el(
		'ItemDef',
		{
			OID: itemOid(ds.spec, v),
			Name: v.name,
			DataType: v.dataType,
			...lengthAttrs(v, ds.stats.get(v.name)),
			SASFieldName: v.name
		},
		description(v.label),
		v.codelist ? el('CodeListRef', { CodeListOID: codelistOid(v.codelist) }) : EMPTY,
		origin(v),
		valueListRef(ds.spec, v)
	);
}

function codelist(id: CodelistId): Markup {
	const list: Codelist = CODELISTS[id];
	const attrs = {
		OID: codelistOid(id),
		Name: list.name,
		DataType: 'text',
		'def:StandardOID': list.nciCode ? STANDARDS.CT.OID : undefined
	};
	const alias = list.nciCode
		? el('Alias', { Context: 'nci:ExtCodeID', Name: list.nciCode })
		: EMPTY;
	if (list.terms === 'ISO 3166-1 alpha-3') {
		return el(
			'CodeList',
			attrs,
			el('ExternalCodeList', {
				Dictionary: 'ISO 3166-1 alpha-3',
				href: 'https://www.iso.org/iso-3166-country-codes.html'
			}),
			alias
		);
	}
	const extended = new Set(list.extended ?? []);
	const items = list.terms.map((term, i) =>
		el('EnumeratedItem', {
			CodedValue: term,
			OrderNumber: i + 1,
			'def:ExtendedValue': extended.has(term) ? 'Yes' : undefined
		})
	);
	return el('CodeList', attrs, ...items, alias);
}

function methodDef(ds: DatasetSpec, v: VariableSpec): Markup {
	if (v.origin.type !== 'Derived') return EMPTY;
	return el(
		'MethodDef',
		{
			OID: methodOid(ds, v),
			Name: `Algorithm to derive ${ds.name}.${v.name}`,
			Type: 'Computation'
		},
		description(v.origin.method)
	);
}

/**
 * define.xml up to what the data decide: the standards, the value lists and their where clauses
 * depend on the dataset definitions only, so a download sends them before any row is read.
 */
export function defineOpening(study: DefineStudy, specs: DatasetSpec[], createdAt: Date): Markup {
	const datasets = specs.map((spec) => ({ spec }));
	return concat(
		XML_DECLARATION,
		openTag('ODM', {
			xmlns: 'http://www.cdisc.org/ns/odm/v1.3',
			'xmlns:xlink': 'http://www.w3.org/1999/xlink',
			'xmlns:def': 'http://www.cdisc.org/ns/def/v2.1',
			ODMVersion: '1.3.2',
			FileOID: `VIGIL.DEFINE.${study.code}.${createdAt.getTime()}`,
			FileType: 'Snapshot',
			CreationDateTime: createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
			Originator: 'Vigil',
			SourceSystem: 'Vigil',
			SourceSystemVersion: '0.1.0',
			// Not the sponsor's final submission define: that one adds the annotated CRF.
			'def:Context': 'Other'
		}),
		openTag('Study', { OID: `STDY.${study.code}` }),
		el(
			'GlobalVariables',
			{},
			textEl('StudyName', study.code),
			textEl('StudyDescription', study.title),
			textEl('ProtocolName', study.code)
		),
		openTag('MetaDataVersion', {
			OID: `MDV.${study.code}.SDTMIG.3.4`,
			Name: `${study.code} SDTM data definitions`,
			Description: `SDTM datasets exported by Vigil, protocol version ${study.protocolVersion}`,
			'def:DefineVersion': '2.1.0'
		}),
		el('def:Standards', {}, el('def:Standard', STANDARDS.IG), el('def:Standard', STANDARDS.CT)),
		...valueLists(datasets),
		...whereClauses(datasets)
	);
}

/** Whether a dataset's ItemGroupDef needs its rows measured first (see itemGroup). */
export const groupNeedsRows = (ds: DatasetSpec) => ds.class === 'RELATIONSHIP';

/** The rest of define.xml, once the rows have been measured: datasets, variables, codelists. */
export function defineClosing(datasets: DefineDataset[]): Markup {
	return concat(...datasets.map(itemGroup), defineItems(datasets));
}

/** What follows the ItemGroupDefs: variables, codelists, methods and the closing tags. */
export function defineItems(datasets: DefineDataset[]): Markup {
	const used = new Set<CodelistId>();
	for (const d of datasets) {
		for (const v of [...d.spec.variables, ...(d.spec.qualifiers ?? [])]) {
			if (v.codelist) used.add(v.codelist);
		}
	}
	const codelistIds = (Object.keys(CODELISTS) as CodelistId[]).filter((id) => used.has(id));
	return concat(
		...datasets.flatMap((d) => d.spec.variables.map((v) => itemDefOf(d, v))),
		...qualifierItemDefs(datasets),
		...codelistIds.map(codelist),
		...datasets.flatMap((d) => d.spec.variables.map((v) => methodDef(d.spec, v))),
		...qualifierMethods(datasets),
		closeTag('MetaDataVersion'),
		closeTag('Study'),
		closeTag('ODM'),
		NEWLINE
	);
}

/** The whole define.xml as one string (a few hundred kilobytes at most). */
export function defineXml(study: DefineStudy, datasets: DefineDataset[], createdAt: Date): Markup {
	return concat(
		defineOpening(
			study,
			datasets.map((d) => d.spec),
			createdAt
		),
		defineClosing(datasets)
	);
}
