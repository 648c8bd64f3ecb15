// Every table of the database and how `audit verify` holds it against the trail, or why it does
// not. The type makes the list complete for db/schema.ts; tests/integration/tamper-tables.test.ts
// holds it against the tables a migrated database really has, and against the checks' own lists.
import type { DB } from '../db/schema';

export type TableCoverage =
	/** Replayed column by column from its own entries (data-vs-trail.ts CLINICAL_TABLES). */
	| { compared: 'columns' }
	/** Stated by other records' entries (trail-feeds.ts EVENT_TABLES, user-sites-vs-trail.ts, second-factor-vs-trail.ts). */
	| { compared: 'rows' }
	/** The concealed allocation and the randomisations (allocation-list-vs-trail.ts, randomisations-vs-trail.ts). */
	| { compared: 'allocation' }
	| { notCompared: string };

const columns = { compared: 'columns' } as const;
const rows = { compared: 'rows' } as const;
const allocation = { compared: 'allocation' } as const;
const derived = {
	notCompared:
		'a summary derived from compared records, rebuilt inside each write (services/dashboards/summaries.ts); it states nothing of its own'
} as const;

export const TABLE_COVERAGE: Record<keyof DB | 'audit_checkpoint', TableCoverage> = {
	site: columns,
	user: columns,
	user_site: rows,
	study: columns,
	protocol_version: columns,
	participant: columns,
	visit: columns,
	dosing_session: columns,
	vital_reading: columns,
	adverse_event: columns,
	scale_administration: columns,
	api_token: columns,
	flag: columns,
	signature: columns,
	protocol_deviation: columns,
	on_call: columns,
	data_query: columns,
	consent_form_version: columns,
	consent_record: columns,
	concomitant_medication: columns,
	blinding_guess: columns,
	epro_link: columns,
	source_verification: rows,
	casebook_freeze: rows,
	study_lock: rows,
	study_unlock_request: rows,
	alert_sent: rows,
	randomisation_seed: allocation,
	allocation_slot: allocation,
	randomisation: allocation,
	audit_event: {
		notCompared:
			'the trail itself: verify recomputes its hash chain and checks the signed head, the checkpoints and the witness'
	},
	audit_head: {
		notCompared: 'the chain head: verify checks its signature and that it is the last row'
	},
	audit_checkpoint: {
		notCompared:
			'signed heads: verify checks each signature and the rows they name, and the witness'
	},
	auth_session: {
		notCompared:
			'sign-in sessions: short-lived, hashed tokens; sign-in and sign-out are audited as events'
	},
	signing_session: {
		notCompared: 'which session signed with both components: short-lived, ends with its session'
	},
	sign_in_throttle: { notCompared: 'throttling counters: change on every attempt, not audited' },
	sign_in_challenge: {
		notCompared: 'the pending second-factor step of a sign-in: minutes long, not audited'
	},
	user_totp: rows,
	recovery_code: rows,
	data_query_step: rows,
	scale_visit_total: derived,
	session_peak: derived,
	session_breach: derived,
	ae_participant_term: derived,
	ae_site_key: derived,
	cohort_cell: derived,
	session_peak_cell: derived,
	session_breach_cell: derived,
	relapse_outcome: derived,
	sdv_record_status: derived,
	sdv_site_cell: derived,
	sdv_rebuild: {
		notCompared:
			'bookkeeping of the app: where an SDV summary rebuild after an activation stands; it states nothing of a record'
	},
	pending_backfill: {
		notCompared:
			'bookkeeping of the app: the names of summaries a migration left to rebuild at the next start-up; it states nothing of a record'
	}
};
