// The Study element: global variables, units and one MetaDataVersion describing every event, form,
// item group and item the clinical data uses (ODM 1.3.2 §3.1–3.2).
import { VISIT_KINDS, type VisitKind } from '../../../domain/protocol/codes';
import { concat, el, EMPTY, textEl, type Markup } from '../xml';
import { FORMS, itemsOf, SCALE_FORMS, UNITS, type FormSpec, type ItemSpec } from './forms';

export interface StudyInfo {
	oid: string;
	code: string;
	title: string;
	mdvOid: string;
	protocolVersion: string;
	/** The protocol's visits, named in each visit event's description. */
	visits: ReadonlyArray<{ code: string; label: string; kind: VisitKind }>;
}

const translated = (text: string) => textEl('TranslatedText', text, { 'xml:lang': 'en' });

interface EventSpec {
	oid: string;
	name: string;
	repeating: boolean;
	type: 'Scheduled' | 'Unscheduled' | 'Common';
	forms: FormSpec[];
	/** The visit kind the event stands for: one repeat per visit, keyed by the visit code. */
	kind?: VisitKind;
}

/** One study event per kind of visit (its repeat key is the visit code), plus the logs. */
export const VISIT_EVENTS: Record<VisitKind, string> = {
	screening: 'SE.SCREENING',
	baseline: 'SE.BASELINE',
	preparatory: 'SE.PREPARATORY',
	dosing: 'SE.DOSING',
	integration: 'SE.INTEGRATION',
	'follow-up': 'SE.FOLLOWUP'
};

/** Subject-level and common (log) events; scales given outside any visit are in SE.SCALES. */
export const EVENTS = {
	subject: 'SE.SUBJECT',
	dosing: VISIT_EVENTS.dosing,
	adverseEvents: 'SE.AE',
	scales: 'SE.SCALES'
} as const;

const VISIT_NAMES: Record<VisitKind, string> = {
	screening: 'Screening visit',
	baseline: 'Baseline visit',
	preparatory: 'Preparatory session',
	dosing: 'Dosing session visit',
	integration: 'Integration session',
	'follow-up': 'Follow-up visit'
};

const scaleForms = [...SCALE_FORMS.values()];

const EVENT_SPECS: EventSpec[] = [
	{
		oid: EVENTS.subject,
		name: 'Subject',
		repeating: false,
		type: 'Common',
		forms: [FORMS.participant]
	},
	...VISIT_KINDS.map((kind): EventSpec => ({
		oid: VISIT_EVENTS[kind],
		name: VISIT_NAMES[kind],
		repeating: true,
		type: 'Scheduled',
		kind,
		forms: [
			FORMS.visit,
			...(kind === 'dosing' ? [FORMS.dosingSession, FORMS.vitals] : []),
			...scaleForms
		]
	})),
	{
		oid: EVENTS.adverseEvents,
		name: 'Adverse events',
		repeating: false,
		type: 'Common',
		forms: [FORMS.adverseEvent]
	},
	{
		oid: EVENTS.scales,
		name: 'Rating scales outside a visit',
		repeating: false,
		type: 'Unscheduled',
		forms: scaleForms
	}
];

/** Forms kept once per record (repeat key = record id) repeat; one-per-event forms do not. */
const SINGLE_FORMS = new Set([FORMS.participant.form, FORMS.visit.form]);

const yesNo = (b: boolean) => (b ? 'Yes' : 'No');

function rangeChecks(i: ItemSpec): Markup[] {
	if (!i.range) return [];
	const unit = i.unit ? ` ${UNITS[i.unit]}` : '';
	const check = (comparator: 'GE' | 'LE', value: number, words: string) =>
		el(
			'RangeCheck',
			{ Comparator: comparator, SoftHard: 'Hard' },
			textEl('CheckValue', String(value)),
			el('ErrorMessage', {}, translated(`${i.name} must be ${words} ${value}${unit}.`))
		);
	return [check('GE', i.range.min, 'at least'), check('LE', i.range.max, 'at most')];
}

function itemDef(i: ItemSpec): Markup {
	return el(
		'ItemDef',
		{ OID: i.oid, Name: i.name, DataType: i.dataType, SDSVarName: i.sds },
		el('Question', {}, translated(i.name)),
		i.unit ? el('MeasurementUnitRef', { MeasurementUnitOID: i.unit }) : EMPTY,
		...rangeChecks(i)
	);
}

const refs = (tag: string, attr: string, oids: string[]) =>
	concat(...oids.map((oid, n) => el(tag, { [attr]: oid, OrderNumber: n + 1, Mandatory: 'No' })));

function formDefs(forms: FormSpec[]): Markup {
	return concat(
		...forms.map((f) =>
			el(
				'FormDef',
				{ OID: f.form, Name: f.name, Repeating: yesNo(!SINGLE_FORMS.has(f.form)) },
				refs('ItemGroupRef', 'ItemGroupOID', [f.group])
			)
		)
	);
}

function groupDefs(forms: FormSpec[]): Markup {
	const group = (f: FormSpec) =>
		el(
			'ItemGroupDef',
			{ OID: f.group, Name: f.name, Repeating: 'No' },
			refs(
				'ItemRef',
				'ItemOID',
				itemsOf(f).map((i) => i.oid)
			)
		);
	return concat(...forms.map(group));
}

/** "Visits PREP1 (Preparatory session 1), PREP2 (…); repeat key = visit code." */
function eventDescription(e: EventSpec, s: StudyInfo): Markup {
	if (!e.kind) return EMPTY;
	const visits = s.visits.filter((v) => v.kind === e.kind);
	const listed = visits.map((v) => `${v.code} (${v.label})`).join(', ');
	const text =
		`One repeat per visit of this kind; StudyEventRepeatKey is the visit code.` +
		(listed ? ` Protocol ${s.protocolVersion}: ${listed}.` : '');
	return el('Description', {}, translated(text));
}

function metaDataVersion(s: StudyInfo): Markup {
	const forms = [...new Set(EVENT_SPECS.flatMap((e) => e.forms))];
	const protocol = EVENT_SPECS.map((e, n) =>
		el('StudyEventRef', {
			StudyEventOID: e.oid,
			OrderNumber: n + 1,
			Mandatory: yesNo(e.oid === EVENTS.subject)
		})
	);
	const events = EVENT_SPECS.map((e) =>
		el(
			'StudyEventDef',
			{ OID: e.oid, Name: e.name, Repeating: yesNo(e.repeating), Type: e.type },
			eventDescription(e, s),
			refs(
				'FormRef',
				'FormOID',
				e.forms.map((f) => f.form)
			)
		)
	);
	return el(
		'MetaDataVersion',
		{ OID: s.mdvOid, Name: `${s.code} protocol ${s.protocolVersion}` },
		el('Protocol', {}, ...protocol),
		...events,
		formDefs(forms),
		groupDefs(forms),
		...forms.flatMap(itemsOf).map(itemDef)
	);
}

export function studyXml(s: StudyInfo): Markup {
	const units = Object.entries(UNITS).map(([oid, symbol]) =>
		el('MeasurementUnit', { OID: oid, Name: symbol }, el('Symbol', {}, translated(symbol)))
	);
	return el(
		'Study',
		{ OID: s.oid },
		el(
			'GlobalVariables',
			{},
			textEl('StudyName', s.code),
			textEl('StudyDescription', s.title),
			textEl('ProtocolName', `${s.code} protocol ${s.protocolVersion}`)
		),
		el('BasicDefinitions', {}, ...units),
		metaDataVersion(s)
	);
}
