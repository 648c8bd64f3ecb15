// Dashboard summaries (migration 2026_12_08_2000_dashboard_summaries): what the cohort and
// safety-signals pages aggregate, kept current inside each write's transaction
// (services/dashboards/summaries.ts) so a page reads summaries, not history. Rows exist only for
// records in effect: nothing entered in error, no participant entered in error. The participant's
// study, site, dose group and subject code are copied in, so a page filters without joins.

interface SummaryScopeColumns {
	participant_id: number;
	study_id: number;
	site_id: number;
	dose_group: string;
}

/** A participant's latest complete total of an instrument at a visit, with their baseline. */
export interface ScaleVisitTotalTable extends SummaryScopeColumns {
	subject_code: string;
	instrument: string;
	visit_code: string;
	total: number;
	administered_at: string;
	/** The last complete total before the first dose (null: no dose yet, or none before it). */
	baseline: number | null;
	/** Points from baseline, at a visit on or after the first dose. */
	change: number | null;
	/** Percent change, when the change exists and the baseline is nonzero. */
	pct: number | null;
}

/** Each dosing session's peak vitals (null: no reading of that measure). */
export interface SessionPeakTable extends SummaryScopeColumns {
	dosing_session_id: number;
	systolic: number | null;
	diastolic: number | null;
	heart_rate: number | null;
	temperature_c: number | null;
}

/** Vital-sign breaches (vitals rules' flags not closed by a correction) per session and rule. */
export interface SessionBreachTable extends SummaryScopeColumns {
	dosing_session_id: number;
	rule_id: string;
	breaches: number;
}

/** A dosed participant's AEs of one coded term (null: not coded): worst grade, events, serious. */
export interface AeParticipantTermTable extends SummaryScopeColumns {
	coded_term_code: string | null;
	worst: number | null;
	events: number;
	serious: number;
}

/**
 * Safety signals' second level: per study × site × dose group, key and worst grade, the dosed
 * participants whose AEs in effect fall under the key, their events and how many had a serious
 * one. Keys: kind 'term' (a coded term; '' = not coded), 'any' (any AE), 'aesi' (an AE-of-special-
 * interest category). Worst grade 1–5, 0 when unreadable. Rows with no participant are removed.
 */
export interface AeSiteKeyTable {
	study_id: number;
	site_id: number;
	dose_group: string;
	key_kind: 'term' | 'any' | 'aesi';
	key: string;
	worst: number;
	participants: number;
	events: number;
	with_serious: number;
}

/**
 * The cohort's second level (migration 2026_12_10_3000): per study × site × dose group × visit of
 * the active protocol's primary scale, n, Σx and Σx² of totals, changes and percent changes from
 * baseline, and responders and remitters by that protocol's definitions. visit_code '' counts the
 * participants with a total at any visit (total_n; the rest 0). Rebuilt when a version is activated.
 */
export interface CohortCellTable {
	study_id: number;
	site_id: number;
	dose_group: string;
	instrument: string;
	visit_code: string;
	total_n: number;
	total_sum: number;
	total_sum_sq: number;
	change_n: number;
	change_sum: number;
	change_sum_sq: number;
	pct_n: number;
	pct_sum: number;
	pct_sum_sq: number;
	responders: number;
	remitters: number;
}

/**
 * A dosed participant's time to relapse (migration 2026_12_10_3010), by the active protocol's
 * relapse settings: weeks from first remission to relapse or censoring (null: never remitted).
 */
export interface RelapseOutcomeTable {
	participant_id: number;
	study_id: number;
	site_id: number;
	dose_group: string;
	weeks: number | null;
	/** 1: the time ends in a relapse; 0: censored. */
	event: number;
}

/**
 * Safety signals' second level of session_peak (migration 2026_12_11_3000): per study × site ×
 * dose group, the sessions whose peak of a measure falls in a histogram bin (the bin's lower
 * edge in whole units of 1 / scale: repositories/safety-cells.ts, PEAK_BINS). measure '' counts
 * the site × dose group's sessions and its dosed participants (bin 0). Rows with no session are
 * removed.
 */
export interface SessionPeakCellTable {
	study_id: number;
	site_id: number;
	dose_group: string;
	measure: '' | 'systolic' | 'diastolic' | 'heartRate' | 'temperature';
	bin: number;
	sessions: number;
	/** Dosed participants: only in the row of measure ''; 0 in a bin's. */
	participants: number;
}

/**
 * Safety signals' second level of session_breach (migration 2026_12_11_3000): per study × site ×
 * dose group and vitals rule, the breaches and the sessions with at least one.
 */
export interface SessionBreachCellTable {
	study_id: number;
	site_id: number;
	dose_group: string;
	rule_id: string;
	breaches: number;
	sessions: number;
}

/**
 * One row per standing record the active protocol asks to verify against source (migration
 * 2026_12_12_1000; services/monitoring/sdv-summary.ts): the protocol's fields on it, how many
 * stand verified and how many went back (changed since verified), and the record's status.
 * Records the protocol does not ask for, and records entered in error, have no row.
 */
export interface SdvRecordStatusTable {
	entity_type: 'dosing_session' | 'vital_reading' | 'adverse_event' | 'scale_administration';
	entity_id: number;
	study_id: number;
	site_id: number;
	participant_id: number;
	field_count: number;
	fields_verified: number;
	fields_changed: number;
	status: 'pending' | 'verified' | 'changed';
}

/**
 * SDV progress's site level (migration 2026_12_13_1000; services/monitoring/sdv-summary.ts): per
 * study × site, the sums of sdv_record_status's rows there, moved by each write that moves a row.
 * A cell with no record left is deleted, so the table holds what a GROUP BY of the rows holds.
 */
export interface SdvSiteCellTable {
	study_id: number;
	site_id: number;
	records: number;
	records_verified: number;
	field_count: number;
	fields_verified: number;
	fields_changed: number;
}

/**
 * A study's SDV summary being rebuilt after a protocol version with other SDV settings was
 * activated (migration 2026_12_14_1912; services/monitoring/sdv-summary.ts): the record type the
 * rebuild is at and the last id done in it. No row: the study's sdv_record_status is whole.
 */
export interface SdvRebuildTable {
	study_id: number;
	entity_type: 'dosing_session' | 'vital_reading' | 'adverse_event' | 'scale_administration';
	after_id: number;
}
