// What stands verified against source, field by field: each record the protocol asks to verify,
// its fields' statuses (verified, changed since verified, pending), and progress counted in fields
// per participant and site. Reads only; verifying is ./sdv.ts.
import { fieldLabel, RECORD_TYPE_NAMES } from '../../../domain/monitoring/fields';
import {
	DEFAULT_SDV_SETTINGS,
	sdvRequired,
	type SdvRecord,
	type SdvSettings
} from '../../../domain/monitoring/sdv';
import {
	fieldSdvStatus,
	recordSdvStatus,
	sdvFieldsOf,
	sdvValueText,
	type SdvFieldStatus,
	type SdvMark,
	type SdvRecordStatus
} from '../../../domain/monitoring/sdv-fields';
import type { Protocol } from '../../../domain/protocol';
import type { Executor } from '../../db';
import type { SourceVerification } from '../../db/schema';
import type { ServiceContext } from '../../runtime/context';
import { NotFoundError } from '../../runtime/errors';
import { readsOf } from '../../reads/executor';
import * as records from '../../repositories/records';
import * as repo from '../../repositories/source-verification';
import type { SdvCandidate, SdvType } from '../../repositories/source-verification';
import { activeProtocol } from '../protocol/studies';
import { assertClinicalRead, clinicalReadScope } from '../people/clinical-access';

/** A protocol's SDV setting (its `monitoring.sdv`, or the default). */
export const sdvSettingsOf = (protocol: Protocol): SdvSettings =>
	protocol.monitoring?.sdv ?? DEFAULT_SDV_SETTINGS;

/** The study's SDV setting, from its active protocol. */
export async function sdvSettings(db: Executor, studyId: number): Promise<SdvSettings> {
	return sdvSettingsOf((await activeProtocol(db, studyId)).protocol);
}

export interface FieldSdv {
	field: string;
	label: string;
	/** The value now, as text (null when empty). */
	value: string | null;
	status: SdvFieldStatus;
	/** False for a field the protocol does not list that a monitor verified anyway. */
	required: boolean;
	verifiedAt: string | null;
	verifiedBy: string | null;
	source: string | null;
}

export interface RecordSdv {
	entityType: SdvType;
	entityId: number;
	participantId: number;
	subjectCode: string;
	siteCode: string;
	/** The record's page. */
	href: string;
	/** The record as people name it: 'Dosing session 12', 'Adverse event 4'. */
	title: string;
	/** The protocol asks for this record to be verified. */
	required: boolean;
	status: SdvRecordStatus;
	/** The protocol's fields first, then any other field verified. */
	fields: FieldSdv[];
	/** The protocol's fields of this record, and how many stand verified or went back. */
	fieldCount: number;
	fieldsVerified: number;
	fieldsChanged: number;
	/** The latest verification of any field. */
	verifiedAt: string | null;
	verifiedBy: string | null;
	source: string | null;
}

function fieldView(
	c: SdvCandidate,
	field: string,
	required: boolean,
	rows: SourceVerification[]
): FieldSdv {
	const marks: SdvMark[] = rows.map((r) => ({
		field: r.field,
		value: r.value,
		version: r.entity_version
	}));
	const value = sdvValueText(c.values[field]);
	const { status, mark } = fieldSdvStatus(field, { value, version: c.version }, marks);
	const r = mark === null ? null : rows[mark]!;
	return {
		field,
		label: fieldLabel(c.entity_type, field),
		value,
		status,
		required,
		verifiedAt: r?.verified_at ?? null,
		verifiedBy: r?.verified_by_name ?? null,
		source: r?.source ?? null
	};
}

const PAGE: Record<SdvType, (c: SdvCandidate) => string> = {
	dosing_session: (c) => `/sessions/${c.entity_id}`,
	vital_reading: (c) => `/sessions/${c.session_id}`,
	adverse_event: (c) => `/adverse-events/${c.entity_id}`,
	scale_administration: (c) => `/scales/${c.entity_id}`
};

/** The record as the protocol's SDV classes see it. */
export const sdvRecordOf = (c: SdvCandidate): SdvRecord => ({
	type: c.entity_type,
	id: c.entity_id,
	serious: c.serious === 1,
	instrument: c.instrument ?? undefined
});

/** A record's SDV from its marks (oldest first): what the worksheet shows and progress counts. */
export function recordView(
	c: SdvCandidate,
	settings: SdvSettings,
	rows: SourceVerification[]
): RecordSdv {
	const required = sdvRequired(settings, sdvRecordOf(c));
	const listed = sdvFieldsOf(settings.fields, c.entity_type);
	const others = [...new Set(rows.map((r) => r.field))].filter(
		(f): f is string => f !== null && !listed.includes(f) && f in c.values
	);
	const own = listed.map((f) => fieldView(c, f, true, rows));
	const counted = own.map((f) => f.status);
	const latest = rows.at(-1) ?? null;
	return {
		entityType: c.entity_type,
		entityId: c.entity_id,
		participantId: c.participant_id,
		subjectCode: c.subject_code,
		siteCode: c.site_code,
		href: PAGE[c.entity_type](c),
		title: `${RECORD_TYPE_NAMES[c.entity_type]} ${c.entity_id}${c.instrument ? ` (${c.instrument})` : ''}`,
		required,
		status: recordSdvStatus(required, counted),
		fields: [...own, ...others.map((f) => fieldView(c, f, false, rows))],
		fieldCount: own.length,
		fieldsVerified: counted.filter((s) => s === 'verified').length,
		fieldsChanged: counted.filter((s) => s === 'changed').length,
		verifiedAt: latest?.verified_at ?? null,
		verifiedBy: latest?.verified_by_name ?? null,
		source: latest?.source ?? null
	};
}

/** The SDV state of every standing record at these sites (or of one participant). */
async function recordsSdv(
	db: Executor,
	siteIds: number[] | 'all',
	participantId?: number
): Promise<RecordSdv[]> {
	const [candidates, rows] = await Promise.all([
		repo.sdvCandidates(db, { siteIds, participantId }),
		repo.verificationsAt(db, siteIds, participantId)
	]);
	const byRecord = new Map<string, SourceVerification[]>();
	for (const r of rows) {
		const key = `${r.entity_type}:${r.entity_id}`;
		const marks = byRecord.get(key);
		if (marks) marks.push(r);
		else byRecord.set(key, [r]);
	}
	const settings = new Map<number, SdvSettings>();
	const out: RecordSdv[] = [];
	for (const c of candidates) {
		if (!settings.has(c.study_id)) settings.set(c.study_id, await sdvSettings(db, c.study_id));
		const marks = byRecord.get(`${c.entity_type}:${c.entity_id}`) ?? [];
		out.push(recordView(c, settings.get(c.study_id)!, marks));
	}
	return out;
}

/** One record's SDV, for its page and the API. */
export async function recordSdv(
	ctx: ServiceContext,
	type: SdvType,
	id: number
): Promise<RecordSdv> {
	const head = await records.findRecord(ctx.db, type, id);
	if (!head) throw new NotFoundError('Record');
	assertClinicalRead(ctx.actor, head.site_id, 'Record');
	const all = await recordsSdv(ctx.db, [head.site_id], head.participant_id);
	const found = all.find((r) => r.entityType === type && r.entityId === id);
	// A record entered in error is no longer verified or counted.
	if (!found) throw new NotFoundError('Record');
	return found;
}

/**
 * A participant's SDV worksheet: each record the protocol asks to verify, or that a monitor
 * verified anyway, in record order, with every field's status.
 */
export async function participantSdv(
	ctx: ServiceContext,
	participantId: number
): Promise<RecordSdv[]> {
	const head = await records.findRecord(ctx.db, 'participant', participantId);
	if (!head) throw new NotFoundError('Participant');
	assertClinicalRead(ctx.actor, head.site_id, 'Participant');
	const all = await recordsSdv(ctx.db, [head.site_id], participantId);
	return all.filter((r) => r.required || r.fields.some((f) => f.status !== 'pending'));
}

export interface SdvProgress {
	siteCode: string;
	participantId: number | null;
	subjectCode: string | null;
	/** Records the protocol asks to verify, and those with every field verified. */
	records: number;
	recordsVerified: number;
	/** Fields to verify on those records, verified, and verified once but changed since. */
	required: number;
	verified: number;
	changed: number;
}

/**
 * Progress in fields, per participant and per site (participantId null: the site). It reads
 * every record's fields at the caller's sites, so it runs as a read job, off the request thread.
 */
export async function sdvProgress(ctx: ServiceContext): Promise<SdvProgress[]> {
	return readsOf(ctx).value('sdvProgress', { siteIds: clinicalReadScope(ctx.actor) });
}

/** The read job behind sdvProgress: the caller's sites were settled before it started. */
export async function sdvProgressReads(
	db: Executor,
	siteIds: number[] | 'all'
): Promise<SdvProgress[]> {
	const all = await recordsSdv(db, siteIds);
	const rows = new Map<string, SdvProgress>();
	const add = (key: string, r: RecordSdv, participant: boolean) => {
		const p = rows.get(key) ?? {
			siteCode: r.siteCode,
			participantId: participant ? r.participantId : null,
			subjectCode: participant ? r.subjectCode : null,
			records: 0,
			recordsVerified: 0,
			required: 0,
			verified: 0,
			changed: 0
		};
		rows.set(key, p);
		p.records += 1;
		if (r.status === 'verified') p.recordsVerified += 1;
		p.required += r.fieldCount;
		p.verified += r.fieldsVerified;
		p.changed += r.fieldsChanged;
	};
	for (const r of all.filter((x) => x.required)) {
		add(`s:${r.siteCode}`, r, false);
		add(`p:${r.participantId}`, r, true);
	}
	return [...rows.values()].sort(
		(a, b) =>
			a.siteCode.localeCompare(b.siteCode) ||
			(a.subjectCode ?? '').localeCompare(b.subjectCode ?? '')
	);
}
