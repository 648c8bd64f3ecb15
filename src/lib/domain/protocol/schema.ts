import { z } from 'zod';
import { blindingSettingsSchema } from '../blinding/settings';
import { conmedSettingsSchema } from '../conmeds/settings';
import { sdvSettingsSchema } from '../monitoring/sdv';
import { consentSettingsSchema } from '../consent/settings';
import { eproSettingsSchema } from '../epro/settings';
import { randomisationSchema } from '../randomisation/settings';
import { relapseSchema } from '../relapse/settings';
import { checkSafetyRules } from './checks-rules';
import { checkDosingSession } from './checks-session';
import { checkDosingVisits, checkVisitAnchors, checkVisitScales } from './checks-visits';
import { withProtocolDefaults } from './merge-defaults';
import { formatPath } from './report';
import type { Report } from './report';
import { dosingSessionSchema } from './schema-session';
import { safetyRulesSchema } from './schema-rules';
import { scalesSchema } from './schema-scales';
import { visitSchema } from './schema-visits';
import type { Visit } from './schema-visits';

// A study's protocol definition. Every number that drives a flag lives here with a default
// (DOMAIN.md); a protocol file states only what it changes, and each parsed protocol carries its
// version so that every flag can name the protocol version and rule that raised it.

const protocolShape = z.strictObject({
	studyCode: z
		.string()
		.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'Use 1–40 letters, digits, ., _ or -.'),
	version: z.string().trim().min(1, 'Give the protocol version.').max(40),
	title: z.string().trim().min(1, 'Give the study title.').max(300),
	visits: z.array(visitSchema).min(1, 'List the visits.'),
	dosingSession: dosingSessionSchema,
	scales: scalesSchema,
	safetyRules: safetyRulesSchema,
	/** Planned dose levels a participant is assigned to (a list, not free text). */
	doseGroups: z
		.array(z.string().trim().min(1).max(40))
		.min(1, 'List at least one dose group.')
		.refine((g) => new Set(g).size === g.length, 'Dose groups must differ.'),
	consent: consentSettingsSchema,
	randomisation: randomisationSchema,
	concomitantMedications: conmedSettingsSchema,
	relapse: relapseSchema,
	/** Blinding-integrity summary: when a blinded reader sees James' index. */
	blinding: blindingSettingsSchema,
	/** Participant self-report: link lifetimes and site-supplied item text. */
	epro: eproSettingsSchema,
	/** Source data verification: which records a monitor checks against source. */
	monitoring: z.strictObject({ sdv: sdvSettingsSchema })
});

/** The primary scale is given before the first dosing visit (its baseline) and at follow-up. */
function checkPrimaryScale(primary: string, visits: Visit[], report: Report): void {
	const firstDosing = visits.findIndex((v) => v.kind === 'dosing');
	const givenAt = visits.flatMap((v, i) => (v.scales.some((s) => s === primary) ? [i] : []));
	if (givenAt.length === 0) {
		report(['scales', 'primary'], `The primary scale ${primary} is not given at any visit.`);
	} else if (firstDosing >= 0 && !givenAt.some((i) => i < firstDosing)) {
		report(
			['scales', 'primary'],
			`The primary scale ${primary} is not given before the first dosing visit, so it has no baseline.`
		);
	}
}

export const protocolSchema = protocolShape.superRefine((protocol, ctx) => {
	const report: Report = (path, message) => ctx.addIssue({ code: 'custom', path, message });
	checkVisitAnchors(protocol.visits, report);
	checkDosingVisits(protocol.visits, report);
	checkVisitScales(protocol.visits, report);
	checkPrimaryScale(protocol.scales.primary, protocol.visits, report);
	checkDosingSession(protocol.dosingSession, report);
	checkSafetyRules(protocol.safetyRules, report);
});

/** A complete protocol, every setting stated (what parseProtocol returns). */
export type Protocol = z.infer<typeof protocolSchema>;

export interface ProtocolError {
	/** The field, e.g. "safetyRules.vitals.systolic.high.action.value" or "visits[3].anchor". */
	path: string;
	message: string;
}

export type ParseProtocolResult =
	{ ok: true; protocol: Protocol } | { ok: false; errors: ProtocolError[] };

function describeInput(input: unknown): string {
	if (input === null) return 'null';
	if (Array.isArray(input)) return 'a list';
	return typeof input === 'object' ? 'an object' : `${typeof input} ${JSON.stringify(input)}`;
}

const errorMap: z.core.$ZodErrorMap = (issue) => {
	if (issue.code !== 'invalid_type') return undefined;
	if (issue.input === undefined) return 'Required.';
	return `Expected ${issue.expected}, got ${describeInput(issue.input)}.`;
};

function toErrors(issues: readonly z.core.$ZodIssue[]): ProtocolError[] {
	return issues.flatMap((issue) =>
		issue.code === 'unrecognized_keys'
			? issue.keys.map((key) => ({
					path: formatPath([...issue.path, key]),
					message: 'Unknown field.'
				}))
			: [{ path: formatPath(issue.path), message: issue.message }]
	);
}

/**
 * Reads a protocol definition (e.g. parsed JSON), fills in the defaults for any setting it leaves
 * out (see merge-defaults.ts), and checks it; or says which fields are wrong and why.
 */
export function parseProtocol(input: unknown): ParseProtocolResult {
	const result = protocolSchema.safeParse(withProtocolDefaults(input), { error: errorMap });
	if (result.success) return { ok: true, protocol: result.data };
	return { ok: false, errors: toErrors(result.error.issues) };
}

export type { Visit, VisitAnchor, VisitWindow, PlannedDose, VisitCode } from './schema-visits';
export type { DosingSession, VitalsTimepoint, SoftChecks } from './schema-session';
export type { ScalesSettings } from './schema-scales';
export type {
	SafetyRules,
	ScaleItemRule,
	CssrsRule,
	WorseningRule,
	AdverseEventRules,
	EscalationRule,
	LevelMessages
} from './schema-rules';
export type {
	VitalsBands,
	MeasureBands,
	ChangeRule,
	SustainedRule,
	MissedReadingRule,
	SupplementalGateRule
} from './schema-vitals-rules';
export type { Comparison, HighComparison, LowComparison, ComparisonOp } from './comparison';
