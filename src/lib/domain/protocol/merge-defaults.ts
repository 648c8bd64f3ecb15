import { DEFAULT_DOSING_SESSION } from './defaults-session';
import { DEFAULT_SCALES_SETTINGS } from './defaults-scales';
import { DEFAULT_SAFETY_RULES } from './defaults';
import { DEFAULT_BLINDING_SETTINGS } from '../blinding/settings';
import { DEFAULT_CONMED_SETTINGS } from '../conmeds/settings';
import { DEFAULT_CONSENT_SETTINGS } from '../consent/settings';
import { DEFAULT_EPRO_SETTINGS } from '../epro/settings';
import { DEFAULT_RANDOMISATION } from '../randomisation/settings';
import { DEFAULT_RELAPSE } from '../relapse/settings';
import { DEFAULT_SDV_SETTINGS } from '../monitoring/sdv';

// A protocol file states only what differs from the defaults. Objects merge key by key, to any
// depth; a list (timepoints, rule lists) replaces the default list whole, so a sponsor's list is
// exactly what runs; a threshold { op, value } is one setting, taken whole or not at all (half a
// threshold is an error, not a default). A value of the wrong type is kept for the schema to refuse.

/** The sections that have defaults; a protocol must always state its visits itself. */
export const PROTOCOL_DEFAULTS = {
	dosingSession: DEFAULT_DOSING_SESSION,
	scales: DEFAULT_SCALES_SETTINGS,
	safetyRules: DEFAULT_SAFETY_RULES,
	// MAPP1/MAPP2 planned initial doses: 80 mg (+ 40 mg) and 120 mg (+ 60 mg) (DOMAIN.md §1).
	doseGroups: ['120 mg', '80 mg'],
	consent: DEFAULT_CONSENT_SETTINGS,
	randomisation: DEFAULT_RANDOMISATION,
	concomitantMedications: DEFAULT_CONMED_SETTINGS,
	relapse: DEFAULT_RELAPSE,
	blinding: DEFAULT_BLINDING_SETTINGS,
	epro: DEFAULT_EPRO_SETTINGS,
	monitoring: { sdv: DEFAULT_SDV_SETTINGS }
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isThreshold(value: Record<string, unknown>): boolean {
	return 'op' in value && 'value' in value;
}

export function mergeDefaults(defaults: unknown, input: unknown): unknown {
	if (input === undefined) return structuredClone(defaults);
	if (!isPlainObject(defaults) || !isPlainObject(input) || isThreshold(defaults)) return input;
	const merged: Record<string, unknown> = { ...input };
	for (const [key, value] of Object.entries(defaults)) {
		merged[key] = mergeDefaults(value, input[key]);
	}
	return merged;
}

/** The protocol input with every section it leaves out (or leaves partly out) filled in. */
export function withProtocolDefaults(input: unknown): unknown {
	return isPlainObject(input) ? mergeDefaults(PROTOCOL_DEFAULTS, input) : input;
}
