// What a protocol's rules would raise on stored data: the same pure evaluations the services run
// when data is saved, applied to a window of past records. Pure: rows and a protocol in, flag
// candidates out; nothing is written.
import { findCodedTerm } from '../../../domain/adverse-events';
import type { Protocol } from '../../../domain/protocol';
import {
	evaluateAdministration,
	evaluateAdverseEvent,
	evaluateSessionVitals,
	evaluateWorsening,
	supplementalHold,
	supplementalGivenFlag,
	type AdministrationFacts,
	type FlagCandidate
} from '../../../domain/safety';
import {
	baselineOf,
	cssrs,
	isScaleId,
	scoreAdministration,
	type Answers,
	type CssrsScore
} from '../../../domain/scales';
import { addMinutes } from '../../../domain/vitals';
import type {
	AdverseEvent,
	DosingSession,
	ScaleAdministration,
	VitalReading
} from '../../db/schema';
import { decodeSeverity } from '../../../domain/adverse-events';
import { toDomainReading } from '../capture/vital-readings';

export interface DryRunData {
	/** Start of the window (ISO 8601); sessions by T0, scales by administration, AEs by awareness. */
	since: string;
	until: Date;
	sessions: DosingSession[];
	readings: VitalReading[];
	/** Every administration up to `until` (baselines may precede the window). */
	administrations: ScaleAdministration[];
	firstDoseAt: ReadonlyMap<number, string>;
	adverseEvents: AdverseEvent[];
}

/** Node 20 has no Map.groupBy. */
function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
	const out = new Map<K, T[]>();
	for (const item of items) {
		const key = keyOf(item);
		const list = out.get(key);
		if (list) list.push(item);
		else out.set(key, [item]);
	}
	return out;
}

/**
 * The clock for missed-reading rules: the session's end (or T0 + the expected duration), never
 * later than now, so a finished session is judged as it stood when it ended.
 */
function sessionClock(s: DosingSession, protocol: Protocol, until: Date): Date {
	const end = s.ended_at
		? new Date(s.ended_at)
		: addMinutes(s.t0, protocol.dosingSession.expectedDurationMinutes);
	return end.getTime() < until.getTime() ? end : until;
}

function supplementalFlag(
	s: DosingSession,
	facts: Parameters<typeof supplementalHold>[0],
	protocol: Protocol
): FlagCandidate[] {
	const rules = protocol.safetyRules;
	if (!s.supplemental_at) return [];
	const given = supplementalGivenFlag(
		s.id,
		supplementalHold(facts, rules, new Date(s.supplemental_at)),
		rules,
		null
	);
	return given ? [given] : [];
}

function sessionFlags(data: DryRunData, protocol: Protocol): FlagCandidate[] {
	const timepoints = protocol.dosingSession.vitalsTimepoints;
	const bySession = groupBy(data.readings, (r) => r.dosing_session_id);
	return data.sessions.flatMap((s) => {
		const readings = (bySession.get(s.id) ?? []).map((r) => toDomainReading(r, timepoints));
		const facts = { sessionId: s.id, t0: s.t0, endedAt: s.ended_at, readings, timepoints };
		const now = sessionClock(s, protocol, data.until);
		return [
			...evaluateSessionVitals(facts, protocol.safetyRules, now),
			...supplementalFlag(s, facts, protocol)
		];
	});
}

/** Item scores and C-SSRS answers as the rules read them, scored afresh from the answers. */
export function administrationFacts(a: ScaleAdministration): AdministrationFacts | null {
	if (!isScaleId(a.instrument)) return null;
	const score = scoreAdministration(a.instrument, JSON.parse(a.answers) as Answers);
	if (score.instrument === 'CSSRS') {
		const c = score as CssrsScore;
		const yes = new Set(c.categories.map((x) => x.key));
		return {
			id: a.id,
			instrument: 'CSSRS',
			itemScores: {},
			cssrs: {
				ideationTypesYes: cssrs.ideation.filter((i) => yes.has(i.key)).map((i) => i.type),
				behaviour: c.behaviour,
				behaviours: [...c.behaviours]
			}
		};
	}
	const itemScores: Record<string, number> = {};
	for (const [item, response] of Object.entries(score.responses)) {
		if (response && !response.notAssessed) itemScores[item] = response.score;
	}
	return { id: a.id, instrument: a.instrument, itemScores };
}

/** Worsening of the primary scale, per participant, against the last total before first dose. */
function worseningFlags(data: DryRunData, protocol: Protocol): FlagCandidate[] {
	const primary = protocol.scales.primary;
	const rows = data.administrations.filter((a) => a.instrument === primary && a.total !== null);
	const out: FlagCandidate[] = [];
	for (const [participantId, mine] of groupBy(rows, (a) => a.participant_id)) {
		const doseAt = data.firstDoseAt.get(participantId);
		if (!doseAt) continue;
		const series = mine.map((a) => ({ at: a.administered_at, total: a.total }));
		const points = mine
			.filter((a) => a.complete === 1 && Date.parse(a.administered_at) >= Date.parse(doseAt))
			.map((a) => ({ administrationId: a.id, at: a.administered_at, total: a.total! }));
		out.push(
			...evaluateWorsening(primary, baselineOf(series, doseAt), points, protocol.safetyRules)
		);
	}
	return out;
}

function scaleFlags(data: DryRunData, protocol: Protocol): FlagCandidate[] {
	const inWindow = data.administrations.filter(
		(a) => Date.parse(a.administered_at) >= Date.parse(data.since)
	);
	const ids = new Set(inWindow.map((a) => a.id));
	const items = inWindow.flatMap((a) => {
		const facts = administrationFacts(a);
		return facts ? evaluateAdministration(facts, protocol.safetyRules) : [];
	});
	return [...items, ...worseningFlags(data, protocol).filter((c) => ids.has(c.sourceId))];
}

const INTENSITY_GRADE = { mild: 1, moderate: 2, severe: 3 } as const;

function adverseEventFlags(data: DryRunData, protocol: Protocol): FlagCandidate[] {
	return data.adverseEvents.flatMap((e) => {
		const term = e.coded_term_code ? findCodedTerm(e.coded_term_code) : undefined;
		const severity = decodeSeverity(e.severity);
		const grade = severity.scale === 'ctcae' ? severity.grade : INTENSITY_GRADE[severity.intensity];
		const facts = {
			id: e.id,
			term: e.verbatim_term,
			codedTerm: term?.preferredTerm ?? null,
			serious: e.serious === 1,
			grade,
			specialInterest: term?.specialInterest ?? false
		};
		return evaluateAdverseEvent(facts, protocol.safetyRules);
	});
}

/** Every flag the protocol's rules call for on the window's data. */
export function flagsUnder(data: DryRunData, protocol: Protocol): FlagCandidate[] {
	return [
		...sessionFlags(data, protocol),
		...scaleFlags(data, protocol),
		...adverseEventFlags(data, protocol)
	];
}
