// Source data verification field by field (DOMAIN-2 §8: "SDV status per item … any change to a
// verified value returns it to pending"). The protocol lists, per record type, the fields a monitor
// checks against source; each field's mark is bound to the value it verified, so a later change to
// one field sends that field back and leaves the others verified.
import { z } from 'zod';
import { RECORD_FIELDS } from './fields';

export const SDV_RECORD_TYPES = [
	'dosing_session',
	'vital_reading',
	'adverse_event',
	'scale_administration'
] as const;
export type SdvRecordType = (typeof SDV_RECORD_TYPES)[number];

/**
 * [D] The critical data of each record, as a source document holds them (ICH E6(R3)
 * §3.11.4.5.4(b): source checks may focus on critical data). Values Vigil derives (scale totals
 * and bands, the serious flag computed from the criteria, timepoint labels) are on no source.
 */
export const DEFAULT_SDV_FIELDS: Record<SdvRecordType, string[]> = {
	dosing_session: ['t0', 'initial_dose_mg', 'supplemental_dose_mg', 'supplemental_at', 'ended_at'],
	vital_reading: ['measured_at', 'systolic', 'diastolic', 'heart_rate', 'temperature_c'],
	adverse_event: [
		'verbatim_term',
		'onset_at',
		'end_at',
		'aware_at',
		'severity',
		'criteria',
		'relatedness',
		'expectedness',
		'action_taken',
		'outcome'
	],
	scale_administration: ['administered_at', 'answers']
};

/** One record type's list: at least one field, each a field of that record. */
function fieldList(type: SdvRecordType) {
	const known = Object.keys(RECORD_FIELDS[type]);
	return z
		.array(
			z.string().refine((f) => known.includes(f), {
				message: `A field of ${type} is one of ${known.join(', ')}.`
			}),
			{ error: 'List the fields to verify.' }
		)
		.min(1, 'List at least one field, or leave the record type out for the default fields.');
}

export const sdvFieldsSchema = z.strictObject({
	dosing_session: fieldList('dosing_session').optional(),
	vital_reading: fieldList('vital_reading').optional(),
	adverse_event: fieldList('adverse_event').optional(),
	scale_administration: fieldList('scale_administration').optional()
});
export type SdvFieldSettings = z.infer<typeof sdvFieldsSchema>;

/** The fields to verify on a record of this type (the protocol's list, or the default). */
export function sdvFieldsOf(
	fields: SdvFieldSettings | undefined,
	type: SdvRecordType
): readonly string[] {
	return fields?.[type] ?? DEFAULT_SDV_FIELDS[type];
}

/** A verification as stored: one field and its value then, or (older rows) the whole record. */
export interface SdvMark {
	/** Null: the whole record at `version` (before field-by-field SDV). */
	field: string | null;
	value: string | null;
	version: number;
}

export type SdvFieldStatus = 'pending' | 'verified' | 'changed';

/** A stored value as text, the form a mark keeps it in (JSON for anything but text). */
export function sdvValueText(v: unknown): string | null {
	return v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * A field's status from the record's marks (oldest first): the latest mark that covers it decides.
 * A field mark stands while the value is the one verified; a whole-record mark while the record is
 * at the version verified (it cannot say which field changed, so all go back).
 */
export function fieldSdvStatus(
	field: string,
	current: { value: string | null; version: number },
	marks: readonly SdvMark[]
): { status: SdvFieldStatus; mark: number | null } {
	for (let i = marks.length - 1; i >= 0; i--) {
		const m = marks[i]!;
		if (m.field !== null && m.field !== field) continue;
		const stands = m.field === null ? m.version === current.version : m.value === current.value;
		return { status: stands ? 'verified' : 'changed', mark: i };
	}
	return { status: 'pending', mark: null };
}

export type SdvRecordStatus = 'not-required' | 'pending' | 'verified' | 'changed';

/**
 * A record's status from its fields': verified when every field is; 'changed' (pending again,
 * visibly) when any went back; else pending, or not required when the protocol does not ask and
 * nothing was verified.
 */
export function recordSdvStatus(
	required: boolean,
	fields: readonly SdvFieldStatus[]
): SdvRecordStatus {
	if (fields.length > 0 && fields.every((s) => s === 'verified')) return 'verified';
	if (fields.includes('changed')) return 'changed';
	return required ? 'pending' : 'not-required';
}
