// The fields of each clinical record as people name them: label and unit for the audit explorer,
// data queries and source data verification. Keys are the stored column names.
export interface FieldInfo {
	label: string;
	unit?: string;
}

export const RECORD_FIELDS = {
	participant: {
		subject_code: { label: 'Subject code' },
		sex: { label: 'Sex' },
		birth_year: { label: 'Year of birth' },
		dose_group: { label: 'Dose group' },
		status: { label: 'Status' },
		status_reason: { label: 'Reason for status' },
		enrolled_on: { label: 'Enrolled on' }
	},
	visit: {
		actual_on: { label: 'Date done' },
		status: { label: 'Visit status' },
		missed_reason: { label: 'Reason missed' },
		planned_on: { label: 'Planned on' }
	},
	dosing_session: {
		t0: { label: 'T0 (initial dose)' },
		initial_dose_mg: { label: 'Initial dose', unit: 'mg' },
		supplemental_dose_mg: { label: 'Supplemental dose', unit: 'mg' },
		supplemental_at: { label: 'Supplemental dose given at' },
		supplemental_not_given_reason: { label: 'Supplemental dose not given because' },
		supplemental_override_reason: { label: 'Reason for giving the held dose' },
		ended_at: { label: 'Session ended at' }
	},
	vital_reading: {
		timepoint_label: { label: 'Timepoint' },
		measured_at: { label: 'Measured at' },
		systolic: { label: 'Systolic blood pressure', unit: 'mmHg' },
		diastolic: { label: 'Diastolic blood pressure', unit: 'mmHg' },
		heart_rate: { label: 'Heart rate', unit: 'bpm' },
		temperature_c: { label: 'Temperature', unit: '°C' },
		temperature_value: { label: 'Temperature as typed' },
		temperature_unit: { label: 'Temperature unit as typed' },
		position: { label: 'Position' }
	},
	adverse_event: {
		verbatim_term: { label: 'Verbatim term' },
		coded_term_code: { label: 'Coded term' },
		onset_at: { label: 'Onset' },
		end_at: { label: 'End' },
		aware_at: { label: 'Site aware at' },
		severity: { label: 'Severity' },
		criteria: { label: 'Seriousness criteria' },
		serious: { label: 'Serious' },
		relatedness: { label: 'Relatedness' },
		expectedness: { label: 'Expectedness' },
		action_taken: { label: 'Action taken' },
		outcome: { label: 'Outcome' },
		notes: { label: 'Notes' }
	},
	scale_administration: {
		instrument: { label: 'Scale' },
		administered_at: { label: 'Administered at' },
		answers: { label: 'Item answers' },
		complete: { label: 'Complete' },
		total: { label: 'Total score' },
		band: { label: 'Severity band' }
	}
} as const satisfies Record<string, Record<string, FieldInfo>>;

export type RecordType = keyof typeof RECORD_FIELDS;
export const RECORD_TYPES = Object.keys(RECORD_FIELDS) as RecordType[];

export const RECORD_TYPE_NAMES: Record<RecordType, string> = {
	participant: 'Participant',
	visit: 'Visit',
	dosing_session: 'Dosing session',
	vital_reading: 'Vital signs reading',
	adverse_event: 'Adverse event',
	scale_administration: 'Rating scale'
};

export function isRecordType(value: unknown): value is RecordType {
	return typeof value === 'string' && Object.hasOwn(RECORD_FIELDS, value);
}

/** The field's label and unit, or null for a field this vocabulary does not name. */
export function fieldInfo(type: string, field: string): FieldInfo | null {
	if (!isRecordType(type)) return null;
	const fields = RECORD_FIELDS[type] as Record<string, FieldInfo>;
	// Own keys only: 'valueOf' or 'constructor' typed in a form names no field.
	return Object.hasOwn(fields, field) ? fields[field]! : null;
}

/** 'Systolic blood pressure (mmHg)', or a readable form of an unknown key ('heart_rate' → 'heart rate'). */
export function fieldLabel(type: string, field: string): string {
	const info = fieldInfo(type, field);
	if (!info) {
		return field
			.replace(/_/g, ' ')
			.replace(/([a-z])([A-Z])/g, '$1 $2')
			.toLowerCase();
	}
	return info.unit ? `${info.label} (${info.unit})` : info.label;
}
