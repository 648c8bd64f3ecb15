// Every migration, imported by name, so that the built server and the CLI carry them without
// reading this folder at run time. Add each new migration here; a test checks none is missing.
import type { Migration } from 'kysely';
import * as m20261129_1830 from './2026_11_29_1830_foundation';
import * as m20261129_1900 from './2026_11_29_1900_capture';
import * as m20261129_2030 from './2026_11_29_2030_safety';
import * as m20261129_2100 from './2026_11_29_2100_audit_checkpoints';
import * as m20261129_2130 from './2026_11_29_2130_ae_reports';
import * as m20261206_1200 from './2026_12_06_1200_protocol_deviations';
import * as m20261206_1230 from './2026_12_06_1230_vital_reading_not_done';
import * as m20261206_1300 from './2026_12_06_1300_signing_sessions';
import * as m20261206_1310 from './2026_12_06_1310_alerts';
import * as m20261206_1320 from './2026_12_06_1320_monitoring';
import * as m20261206_1400 from './2026_12_06_1400_trial_design';
import * as m20261206_1510 from './2026_12_06_1510_site_country';
import * as m20261206_1100 from './2026_12_06_1100_api_token_scope_expiry';
import * as m20261206_1110 from './2026_12_06_1110_sign_in_throttle';
import * as m20261206_1610 from './2026_12_06_1610_change_notices';
import * as m20261206_1120 from './2026_12_06_1120_signed_audit_head';
import * as m20261206_1130 from './2026_12_06_1130_second_factor';
import * as m20261206_0930 from './2026_12_06_0930_temperature_value_unit';
import * as m20261206_2309 from './2026_12_06_2309_auth_session_table';
import * as m20261207_1000 from './2026_12_07_1000_overdue_visit_index';
import * as m20261207_1300 from './2026_12_07_1300_unlock_requests';
import * as m20261208_2000 from './2026_12_08_2000_dashboard_summaries';
import * as m20261208_2010 from './2026_12_08_2010_scale_total_covering_index';
import * as m20261208_3000 from './2026_12_08_3000_list_indexes';
import * as m20261209_3000 from './2026_12_09_3000_dashboard_read_indexes';
import * as m20261209_3010 from './2026_12_09_3010_ae_site_key';
import * as m20261210_3000 from './2026_12_10_3000_cohort_cells';
import * as m20261210_3010 from './2026_12_10_3010_relapse_outcomes';
import * as m20261210_3020 from './2026_12_10_3020_participant_dose_group_index';
import * as m20261210_7000 from './2026_12_10_7000_pending_backfill';
import * as m20261211_3000 from './2026_12_11_3000_safety_cells';
import * as m20261212_1000 from './2026_12_12_1000_sdv_record_status';
import * as m20261213_1000 from './2026_12_13_1000_sdv_site_cell';
import * as m20261213_1010 from './2026_12_13_1010_audit_filter_indexes';
import * as m20261214_1912 from './2026_12_14_1912_sdv_rebuild';

export const migrations: Record<string, Migration> = {
	'2026_11_29_1830_foundation': m20261129_1830,
	'2026_11_29_1900_capture': m20261129_1900,
	'2026_11_29_2030_safety': m20261129_2030,
	'2026_11_29_2100_audit_checkpoints': m20261129_2100,
	'2026_11_29_2130_ae_reports': m20261129_2130,
	'2026_12_06_1200_protocol_deviations': m20261206_1200,
	'2026_12_06_1230_vital_reading_not_done': m20261206_1230,
	'2026_12_06_1300_signing_sessions': m20261206_1300,
	'2026_12_06_1310_alerts': m20261206_1310,
	'2026_12_06_1320_monitoring': m20261206_1320,
	'2026_12_06_1400_trial_design': m20261206_1400,
	'2026_12_06_1510_site_country': m20261206_1510,
	'2026_12_06_1100_api_token_scope_expiry': m20261206_1100,
	'2026_12_06_1110_sign_in_throttle': m20261206_1110,
	'2026_12_06_1610_change_notices': m20261206_1610,
	'2026_12_06_1120_signed_audit_head': m20261206_1120,
	'2026_12_06_1130_second_factor': m20261206_1130,
	'2026_12_06_0930_temperature_value_unit': m20261206_0930,
	'2026_12_06_2309_auth_session_table': m20261206_2309,
	'2026_12_07_1000_overdue_visit_index': m20261207_1000,
	'2026_12_07_1300_unlock_requests': m20261207_1300,
	'2026_12_08_2000_dashboard_summaries': m20261208_2000,
	'2026_12_08_2010_scale_total_covering_index': m20261208_2010,
	'2026_12_08_3000_list_indexes': m20261208_3000,
	'2026_12_09_3000_dashboard_read_indexes': m20261209_3000,
	'2026_12_09_3010_ae_site_key': m20261209_3010,
	'2026_12_10_3000_cohort_cells': m20261210_3000,
	'2026_12_10_3010_relapse_outcomes': m20261210_3010,
	'2026_12_10_3020_participant_dose_group_index': m20261210_3020,
	'2026_12_10_7000_pending_backfill': m20261210_7000,
	'2026_12_11_3000_safety_cells': m20261211_3000,
	'2026_12_12_1000_sdv_record_status': m20261212_1000,
	'2026_12_13_1000_sdv_site_cell': m20261213_1000,
	'2026_12_13_1010_audit_filter_indexes': m20261213_1010,
	'2026_12_14_1912_sdv_rebuild': m20261214_1912
};
