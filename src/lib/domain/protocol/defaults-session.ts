import type { VitalMeasure } from './codes';
import type { DosingSession, SoftChecks, VitalsTimepoint } from './schema-session';

const ALL: VitalMeasure[] = ['systolic', 'diastolic', 'heartRate', 'temperature'];
const CARDIO: VitalMeasure[] = ['systolic', 'diastolic', 'heartRate'];

function timepoint(
	vstptnum: number,
	minutes: number | 'end',
	vstpt: string,
	measurements: VitalMeasure[]
): VitalsTimepoint {
	return { vstpt, vstptnum, minutes, measurements: [...measurements] };
}

/**
 * [D] DOMAIN.md §1 default in-session vitals schedule: minutes from T0 −30 (pre-dose baseline), 30,
 * 60, 90 (pre-supplemental), 120, 180, 240, 300, 360, 420, end; temperature at −30, 60, 120, 240,
 * 360 and end. Peak cardiovascular effect is 1–2 h after the dose (Vizeli & Liechti 2017).
 */
export const DEFAULT_VITALS_TIMEPOINTS: VitalsTimepoint[] = [
	timepoint(1, -30, 'PRE-DOSE', ALL),
	timepoint(2, 30, '30 MIN POST-DOSE', CARDIO),
	timepoint(3, 60, '1 H POST-DOSE', ALL),
	timepoint(4, 90, '1.5 H POST-DOSE (PRE-SUPPLEMENTAL)', CARDIO),
	timepoint(5, 120, '2 H POST-DOSE', ALL),
	timepoint(6, 180, '3 H POST-DOSE', CARDIO),
	timepoint(7, 240, '4 H POST-DOSE', ALL),
	timepoint(8, 300, '5 H POST-DOSE', CARDIO),
	timepoint(9, 360, '6 H POST-DOSE', ALL),
	timepoint(10, 420, '7 H POST-DOSE', CARDIO),
	timepoint(11, 'end', 'END OF SESSION', ALL)
];

/** [S] maps.org MAPP2; Oslo MDD protocol 2022: supplemental dose at T0 + 1.5–2 h; session ~8 h. */
export const DEFAULT_DOSING_SESSION: DosingSession = {
	timepointReference: 'INITIAL DOSE',
	expectedDurationMinutes: 480,
	supplementalDoseMinutes: { earliest: 90, latest: 120 },
	vitalsTimepoints: DEFAULT_VITALS_TIMEPOINTS,
	softChecks: {
		systolic: 60,
		diastolic: 40,
		heartRate: 50,
		temperature: 1.5
	}
};

/**
 * [D] Vigil defaults: a change this large since the previous reading of the session is more often
 * a typing or cuff error than physiology, so the nurse confirms it before it is saved.
 */
export const DEFAULT_SOFT_CHECKS: SoftChecks = DEFAULT_DOSING_SESSION.softChecks;
