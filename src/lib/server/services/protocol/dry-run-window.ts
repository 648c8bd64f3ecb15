// A dry run's data and comparison: the last days of a study's records read once, then every
// record evaluated under the active protocol and under the candidate. A read job (reads/jobs.ts),
// so it runs beside the database, off the request thread.
import { RULE_IDS, ruleIdsOf, type Protocol } from '../../../domain/protocol';
import type { Executor } from '../../db';
import * as repo from '../../repositories/protocol-versions';
import { compareFlags } from './protocol-comparison';
import { flagsUnder, type DryRunData } from './protocol-dry-run';

const DAY_MS = 86_400_000;

async function windowData(db: Executor, studyId: number, days: number, until: Date) {
	const since = new Date(until.getTime() - days * DAY_MS).toISOString();
	const end = until.toISOString();
	const [sessions, readings, administrations, doses, adverseEvents] = await Promise.all([
		repo.listSessionsInWindow(db, studyId, since, end),
		repo.listReadingsInWindow(db, studyId, since, end),
		repo.listAdministrationsUntil(db, studyId, end),
		repo.firstDoseTimes(db, studyId),
		repo.listAdverseEventsInWindow(db, studyId, since, end)
	]);
	const firstDoseAt = new Map(doses.map((d) => [d.participant_id, d.t0]));
	const data: DryRunData = {
		since,
		until,
		sessions,
		readings,
		administrations,
		firstDoseAt,
		adverseEvents
	};
	return data;
}

function comparisonOn(data: DryRunData, active: Protocol, candidate: Protocol) {
	// Escalation depends on how soon flags were acknowledged, which past data cannot replay.
	const ruleIds = [...ruleIdsOf(active), ...ruleIdsOf(candidate)].filter(
		(id) => id !== RULE_IDS.escalation
	);
	const administrations = data.administrations.filter((a) => a.administered_at >= data.since);
	return {
		...compareFlags(ruleIds, flagsUnder(data, active), flagsUnder(data, candidate)),
		data: {
			sessions: data.sessions.length,
			readings: data.readings.length,
			administrations: administrations.length,
			adverseEvents: data.adverseEvents.length
		}
	};
}

export interface DryRunJob {
	studyId: number;
	days: number;
	until: Date;
	active: Protocol;
	candidate: Protocol;
}

export async function dryRunComparison(db: Executor, a: DryRunJob) {
	const data = await windowData(db, a.studyId, a.days, a.until);
	return { ...comparisonOn(data, a.active, a.candidate), since: data.since };
}
