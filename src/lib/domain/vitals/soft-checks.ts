import { DEFAULT_SOFT_CHECKS } from '../protocol/defaults-session';
import { VITAL_LABELS, VITAL_MEASURES, VITAL_UNITS } from '../protocol/codes';
import type { VitalMeasure } from '../protocol/codes';
import type { SoftChecks } from '../protocol/schema-session';
import { roundToTenth } from './temperature';

export type VitalsFieldWarnings = Partial<Record<VitalMeasure, string>>;
type Values = Partial<Record<VitalMeasure, number | null>>;

/**
 * Warnings that need the nurse's confirmation before saving (not refusals): a change since the
 * previous value of that measure in the session larger than the protocol's setting, e.g. systolic
 * more than 60 mmHg. `previous` holds the last value of each measure (see lastValuesBefore).
 */
export function softCheckWarnings(
	current: Values,
	previous: Values,
	settings: SoftChecks = DEFAULT_SOFT_CHECKS
): VitalsFieldWarnings {
	const warnings: VitalsFieldWarnings = {};
	for (const measure of VITAL_MEASURES) {
		const now = current[measure];
		const before = previous[measure];
		if (now == null || before == null) continue;
		const change = roundToTenth(now - before);
		if (Math.abs(change) <= settings[measure]) continue;
		const unit = VITAL_UNITS[measure];
		const direction = change > 0 ? 'rose' : 'fell';
		warnings[measure] =
			`${VITAL_LABELS[measure]} ${direction} by ${Math.abs(change)} ${unit} since the previous ` +
			`reading (${before} → ${now} ${unit}). Check the value and confirm it.`;
	}
	return warnings;
}
