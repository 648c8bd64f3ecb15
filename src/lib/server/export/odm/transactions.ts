// One audit entry as one ODM transaction (DOMAIN.md §4): a SubjectData down to the items it
// changed, each ItemData with its AuditRecord. An AuditRecord holds no old value, so a value's
// history is its successive ItemData; AuditRecord and Signature precede child elements.
import { AUDIT_ACTIONS } from '../../audit/actions';
import type { AuditPayload } from '../../audit/payloads';
import { concat, el, EMPTY, NEWLINE, textEl, type Attrs, type Markup } from '../xml';
import { signatureDefOid } from './admin';
import type { AuditSource } from './audit-query';
import type { RecordContext, Target } from './context';
import { FORMS, SCALE_FORMS, type FormSpec } from './forms';
import { EVENTS, VISIT_EVENTS } from './metadata';
import type { VisitKind } from '../../../domain/protocol/codes';

type Kind = 'create' | 'update' | 'remove' | 'sign' | 'void';
type Tag = 'SubjectData' | 'StudyEventData' | 'FormData' | 'ItemGroupData';

interface Level {
	tag: Tag;
	attrs: Attrs;
}

interface Path {
	levels: Level[];
	/** Index of the record's own level: the subject, a visit's event, or a form. */
	depth: number;
	form: FormSpec;
}

export interface Refs {
	user: string;
	location: string;
}

/** Entries that create a record without ending in `.create`: a reading recorded as not done. */
const CREATING: readonly string[] = [AUDIT_ACTIONS.vitalsNotDone];

export function kindOf(action: string): Kind {
	if (CREATING.includes(action)) return 'create';
	if (action === 'signature.sign') return 'sign';
	if (action === 'signature.void') return 'void';
	if (action.endsWith('.entered_in_error')) return 'remove';
	return action.endsWith('.create') ? 'create' : 'update';
}

const subjectLevel = (c: RecordContext): Level => ({
	tag: 'SubjectData',
	attrs: { SubjectKey: c.subjectKey }
});
const eventLevel = (oid: string, key?: string | number): Level => ({
	tag: 'StudyEventData',
	attrs: { StudyEventOID: oid, StudyEventRepeatKey: key }
});
const formLevels = (f: FormSpec, key?: number): Level[] => [
	{ tag: 'FormData', attrs: { FormOID: f.form, FormRepeatKey: key } },
	{ tag: 'ItemGroupData', attrs: { ItemGroupOID: f.group } }
];

/** A visit's study event: one per kind of visit, the repeat keyed by the visit code. */
export const visitEvent = (kind: VisitKind, code: string): Level =>
	eventLevel(VISIT_EVENTS[kind], code);

/** A session's visit event; a session recorded without a visit keeps its own repeat (S12). */
function sessionEvent(c: RecordContext, sessionId: number | undefined): Level {
	return c.visitKind && c.visitCode
		? visitEvent(c.visitKind, c.visitCode)
		: eventLevel(EVENTS.dosing, `S${sessionId}`);
}

function pathOf(t: Target, c: RecordContext): Path | null {
	const subject = subjectLevel(c);
	const at = (levels: Level[], depth: number, f: FormSpec): Path => ({ levels, depth, form: f });
	const { participant, visit, dosingSession, vitals, adverseEvent } = FORMS;
	switch (t.type) {
		case 'participant':
			return at([subject, eventLevel(EVENTS.subject), ...formLevels(participant)], 0, participant);
		case 'visit':
			if (!c.visitKind || !c.visitCode) return null;
			return at([subject, visitEvent(c.visitKind, c.visitCode), ...formLevels(visit)], 1, visit);
		case 'dosing_session':
			return at(
				[subject, sessionEvent(c, t.id), ...formLevels(dosingSession, t.id)],
				2,
				dosingSession
			);
		case 'vital_reading':
			return at([subject, sessionEvent(c, c.sessionId), ...formLevels(vitals, t.id)], 2, vitals);
		case 'adverse_event':
			return at(
				[subject, eventLevel(EVENTS.adverseEvents), ...formLevels(adverseEvent, t.id)],
				2,
				adverseEvent
			);
		case 'scale_administration': {
			const f = SCALE_FORMS.get(c.instrument as never);
			if (!f) return null;
			const event =
				c.visitKind && c.visitCode
					? visitEvent(c.visitKind, c.visitCode)
					: eventLevel(EVENTS.scales);
			return at([subject, event, ...formLevels(f, t.id)], 2, f);
		}
	}
	return null;
}

export function auditRecord(e: AuditSource, refs: Refs): Markup {
	return el(
		'AuditRecord',
		{},
		el('UserRef', { UserOID: refs.user }),
		el('LocationRef', { LocationOID: refs.location }),
		textEl('DateTimeStamp', e.at),
		e.reason ? textEl('ReasonForChange', e.reason) : EMPTY,
		textEl('SourceID', String(e.seq)) // the audit trail's sequence number
	);
}

/** An audit value as ODM text: Y/N for booleans; objects are spread into their own keys. */
function valueText(v: unknown): string | null | undefined {
	if (v === null) return null;
	if (typeof v === 'boolean') return v ? 'Y' : 'N';
	if (typeof v === 'number' || typeof v === 'string') return String(v);
	return undefined;
}

function itemsXml(
	e: AuditSource,
	form: FormSpec,
	values: Flat,
	old: Flat,
	refs: Refs,
	create = kindOf(e.action) === 'create'
): Markup {
	const out: Markup[] = [];
	for (const [key, raw] of Object.entries(values)) {
		const spec = form.items[key];
		const value = valueText(raw);
		if (!spec || value === undefined || (create && value === null)) continue;
		const before = valueText(old[key]);
		if (!create && key in old && before === value) continue;
		// A value given for the first time is inserted; a saved value is updated (or nulled).
		const type = create || before === null || before === undefined ? 'Insert' : 'Update';
		const attrs: Attrs = { ItemOID: spec.oid, TransactionType: type };
		if (value === null) attrs.IsNull = 'Yes';
		else attrs.Value = value;
		const unit =
			spec.unit && value !== null
				? el('MeasurementUnitRef', { MeasurementUnitOID: spec.unit })
				: EMPTY;
		out.push(el('ItemData', attrs, auditRecord(e, refs), unit));
	}
	return concat(...out);
}

export type Flat = Record<string, unknown>;

/** `{ criteria: { death: true } }` → `{ 'criteria.death': true }`: one level, as audits nest. */
export function flatten(json: string | null): Flat {
	const out: Flat = {};
	for (const [key, value] of Object.entries((JSON.parse(json ?? '{}') ?? {}) as Flat)) {
		if (value && typeof value === 'object' && !Array.isArray(value)) {
			for (const [sub, v] of Object.entries(value)) out[`${key}.${sub}`] = v;
		} else out[key] = value;
	}
	return out;
}

/**
 * The values an entry gives its record's items. A reading recorded as not done keeps its reason
 * as the entry's reason (as every change does); the file also gives it as the reading's VSREASND.
 */
export function valuesOf(e: AuditSource): Flat {
	const values = flatten(e.new_values);
	if (e.action === AUDIT_ACTIONS.vitalsNotDone) values.reasonNotDone = e.reason;
	return values;
}

interface Head {
	audit?: Markup;
	signature?: Markup;
	annotation?: Markup;
}

function headOf(e: AuditSource, kind: Kind, refs: Refs): Head {
	const audit = auditRecord(e, refs);
	if (kind === 'remove') return { audit };
	const v = JSON.parse(e.new_values ?? '{}') as AuditPayload<'signature'>;
	if (kind === 'sign') {
		const signature = el(
			'Signature',
			{ ID: `SIG.${e.entity_id}` },
			el('UserRef', { UserOID: refs.user }),
			el('LocationRef', { LocationOID: refs.location }),
			el('SignatureRef', { SignatureOID: signatureDefOid(v.meaning ?? '') }),
			textEl('DateTimeStamp', v.signedAt ?? e.at)
		);
		return { audit, signature };
	}
	const comment = `Signature SIG.${e.entity_id} is void: ${e.reason ?? 'the record changed'}`;
	const annotation = el(
		'Annotation',
		{ SeqNum: e.seq, TransactionType: 'Insert' },
		textEl('Comment', comment, { SponsorOrSite: 'Site' })
	);
	return { audit, annotation };
}

/** The transaction, or nothing when the entry changes nothing the file describes. */
export function transactionXml(
	e: AuditSource,
	target: Target,
	c: RecordContext,
	values: Flat,
	refs: Refs
): Markup {
	const path = pathOf(target, c);
	if (!path) return EMPTY;
	const kind = kindOf(e.action);
	const own = kind === 'create' || kind === 'update';
	const items = own ? itemsXml(e, path.form, values, flatten(e.old_values), refs) : EMPTY;
	if (own && !items) return EMPTY;
	const head = own ? {} : headOf(e, kind, refs);
	const levels = own ? path.levels : path.levels.slice(0, path.depth + 1);
	let inner = items;
	for (let i = levels.length - 1; i >= 0; i--) {
		const { tag, attrs } = levels[i]!;
		const h = i === path.depth ? head : {};
		const type = i < path.depth || kind === 'update' ? 'Context' : TYPES[kind];
		const site = tag === 'SubjectData' ? el('SiteRef', { LocationOID: refs.location }) : EMPTY;
		const parts = [h.audit ?? EMPTY, h.signature ?? EMPTY, site, h.annotation ?? EMPTY, inner];
		inner = el(tag, { ...attrs, TransactionType: type }, ...parts);
	}
	return concat(inner, NEWLINE);
}

const TYPES: Record<Kind, string> = {
	create: 'Insert',
	update: 'Context',
	remove: 'Remove',
	sign: 'Context',
	void: 'Context'
};

/**
 * A participant's visits scheduled (each visit's event inserted with its planned date and status)
 * or moved (the planned date updated), as one SubjectData with a StudyEventData per visit. A
 * visit whose kind is not known (no longer on record) is left out.
 */
export function visitPlanXml(
	e: AuditSource,
	c: RecordContext,
	kindOf: (code: string) => VisitKind | undefined,
	refs: Refs
): Markup {
	const v = JSON.parse(e.new_values ?? '{}') as AuditPayload<'participant'>;
	const scheduled = e.action === 'visit.schedule';
	const form = FORMS.visit;
	const events: Markup[] = [];
	for (const p of (scheduled ? v.visits : v.moved) ?? []) {
		const kind = kindOf(p.code);
		if (!kind) continue;
		const values: Flat = scheduled
			? { planned: p.planned ?? null, status: 'scheduled' }
			: { planned: p.to ?? null };
		const old: Flat = scheduled ? {} : { planned: p.from ?? null };
		const items = itemsXml(e, form, values, old, refs, scheduled);
		if (!items) continue;
		const type = scheduled ? 'Insert' : 'Context';
		const { attrs } = visitEvent(kind, p.code);
		events.push(
			el(
				'StudyEventData',
				{ ...attrs, TransactionType: type },
				el(
					'FormData',
					{ FormOID: form.form, TransactionType: type },
					el('ItemGroupData', { ItemGroupOID: form.group, TransactionType: type }, items)
				)
			)
		);
	}
	if (events.length === 0) return EMPTY;
	const site = el('SiteRef', { LocationOID: refs.location });
	const subject = subjectLevel(c).attrs;
	const type = { ...subject, TransactionType: 'Context' };
	return concat(el('SubjectData', type, site, ...events), NEWLINE);
}
