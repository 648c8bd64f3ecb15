// The Study element: global variables, units and one MetaDataVersion describing every event, form,
// item group and item the clinical data uses (ODM 1.3.2 §3.1–3.2).
import { el, textEl } from '../xml';
import { FORMS, itemsOf, SCALE_FORMS, UNITS, type FormSpec, type ItemSpec } from './forms';

export interface StudyInfo {
	oid: string;
	code: string;
	title: string;
	mdvOid: string;
	protocolVersion: string;
}

const translated = (text: string) => textEl('TranslatedText', text, { 'xml:lang': 'en' });

interface EventSpec {
	oid: string;
	name: string;
	repeating: boolean;
	type: 'Scheduled' | 'Unscheduled' | 'Common';
	forms: FormSpec[];
}

/** Subject-level, per dosing session, and common (log) events: Vigil's record types. */
export const EVENTS = {
	subject: 'SE.SUBJECT',
	dosing: 'SE.DOSING',
	adverseEvents: 'SE.AE',
	scales: 'SE.SCALES'
} as const;

const EVENT_SPECS: EventSpec[] = [
	{
		oid: EVENTS.subject,
		name: 'Subject',
		repeating: false,
		type: 'Common',
		forms: [FORMS.participant]
	},
	{
		oid: EVENTS.dosing,
		name: 'Dosing session',
		repeating: true,
		type: 'Scheduled',
		forms: [FORMS.dosingSession, FORMS.vitals]
	},
	{
		oid: EVENTS.adverseEvents,
		name: 'Adverse events',
		repeating: false,
		type: 'Common',
		forms: [FORMS.adverseEvent]
	},
	{
		oid: EVENTS.scales,
		name: 'Rating scales',
		repeating: false,
		type: 'Common',
		forms: [...SCALE_FORMS.values()]
	}
];

/** Forms kept once per record (repeat key = record id) repeat; one-per-event forms do not. */
const SINGLE_FORMS = new Set([FORMS.participant.form, FORMS.dosingSession.form]);

const yesNo = (b: boolean) => (b ? 'Yes' : 'No');

function rangeChecks(i: ItemSpec): string[] {
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

function itemDef(i: ItemSpec): string {
	return el(
		'ItemDef',
		{ OID: i.oid, Name: i.name, DataType: i.dataType, SDSVarName: i.sds },
		el('Question', {}, translated(i.name)),
		i.unit ? el('MeasurementUnitRef', { MeasurementUnitOID: i.unit }) : '',
		...rangeChecks(i)
	);
}

const refs = (tag: string, attr: string, oids: string[]) =>
	oids.map((oid, n) => el(tag, { [attr]: oid, OrderNumber: n + 1, Mandatory: 'No' })).join('');

function formDefs(forms: FormSpec[]): string {
	return forms
		.map((f) =>
			el(
				'FormDef',
				{ OID: f.form, Name: f.name, Repeating: yesNo(!SINGLE_FORMS.has(f.form)) },
				refs('ItemGroupRef', 'ItemGroupOID', [f.group])
			)
		)
		.join('');
}

function groupDefs(forms: FormSpec[]): string {
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
	return forms.map(group).join('');
}

function metaDataVersion(s: StudyInfo): string {
	const forms = EVENT_SPECS.flatMap((e) => e.forms);
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

export function studyXml(s: StudyInfo): string {
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
