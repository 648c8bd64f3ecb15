// Safety signals across the cohort: AE incidence by coded term (participants with ≥ 1 among those
// dosed; DOMAIN.md §3), by worst grade and by site; AEs of special interest; vital-sign breaches
// per 100 dosing sessions by rule and site; and the distribution of each session's peak vitals.
import { aesiCategories, findCodedTerm, type AesiCategory } from '../../../domain/adverse-events';
import {
	changeRuleId,
	describeComparison,
	RULE_IDS,
	VITAL_LABELS,
	VITAL_MEASURES,
	VITAL_UNITS,
	type Protocol,
	type VitalMeasure
} from '../../../domain/protocol';
import { incidence, ratePer100, type Proportion } from '../../../domain/statistics';
import type { ServiceContext } from '../../runtime/context';
import { readsOf } from '../../reads/executor';
import { PEAK_BINS } from '../../repositories/safety-cells';
import * as repo from '../../repositories/safety-signals';
import { dashboardContext, type DashboardContext, type DashboardFilters } from './cohort';

export const AESI_LABELS: Record<AesiCategory, string> = {
	suicidality: 'Suicidal ideation or behaviour',
	cardiovascular: 'Cardiovascular',
	'abuse-potential': 'Abuse potential',
	hyponatraemia: 'Hyponatraemia',
	'hyperthermia-serotonin-toxicity': 'Hyperthermia or serotonin toxicity'
};

/** Grades 1–5 (CTCAE; mild, moderate, severe as 1–3); index 0 counts an unreadable severity. */
export type GradeCounts = [number, number, number, number, number, number];

export interface IncidenceLine {
	key: string | null;
	label: string;
	/** Participants with ≥ 1 among those dosed, with the Wilson 95 % interval. */
	incidence: Proportion;
	events: number;
	withSerious: number;
	/** Participants by their worst grade. */
	byWorstGrade: GradeCounts;
	bySite: Array<{ siteCode: string; incidence: Proportion }>;
}

type AeRow = Awaited<ReturnType<typeof repo.aeIncidence>>[number];

/**
 * Sums the site × key × worst-grade rows into one line per key (each participant is at one site),
 * for the keys found or, when given, for exactly these keys.
 */
function incidenceLines(
	rows: AeRow[],
	dosed: Map<string, number>,
	label: (key: string | null) => string,
	keys: Array<string | null> = [...new Set(rows.map((r) => r.key))]
): IncidenceLine[] {
	const totalDosed = [...dosed.values()].reduce((a, b) => a + b, 0);
	return keys.map((key) => {
		const mine = rows.filter((r) => r.key === key);
		const byWorstGrade: GradeCounts = [0, 0, 0, 0, 0, 0];
		for (const r of mine) {
			const grade = r.worst !== null && r.worst >= 1 && r.worst <= 5 ? r.worst : 0;
			byWorstGrade[grade] = (byWorstGrade[grade] ?? 0) + r.participants;
		}
		const count = (site?: string) =>
			mine.filter((r) => !site || r.site_code === site).reduce((a, r) => a + r.participants, 0);
		return {
			key,
			label: label(key),
			incidence: incidence(count(), totalDosed),
			events: mine.reduce((a, r) => a + r.events, 0),
			withSerious: mine.reduce((a, r) => a + r.with_serious, 0),
			byWorstGrade,
			bySite: [...dosed].map(([siteCode, n]) => ({
				siteCode,
				incidence: incidence(count(siteCode), n)
			}))
		};
	});
}

const termLabel = (code: string | null) =>
	code === null ? 'Not coded (verbatim term only)' : (findCodedTerm(code)?.preferredTerm ?? code);

/** "Systolic pressure ≥ 160 mmHg (action)", from the protocol the flag's rule id points into. */
export function ruleLabel(protocol: Protocol, ruleId: string): string {
	const rules = protocol.safetyRules;
	const band = /^vitals\.(\w+)\.(high|low)\.(notify|action|urgent)$/.exec(ruleId);
	if (band && (VITAL_MEASURES as readonly string[]).includes(band[1]!)) {
		const measure = band[1] as VitalMeasure;
		const level = band[3] as 'notify' | 'action' | 'urgent';
		const threshold = rules.vitals[measure][band[2] as 'high' | 'low'][level];
		if (threshold) {
			return `${VITAL_LABELS[measure]} ${describeComparison(threshold, VITAL_UNITS[measure])} (${level})`;
		}
	}
	const change = rules.vitalsChange.find((r) => changeRuleId(r) === ruleId);
	if (change) {
		const unit = change.basis === 'percent' ? '%' : VITAL_UNITS[change.measure];
		return `${VITAL_LABELS[change.measure]} change from baseline ${describeComparison(change.change, unit)} (${change.level})`;
	}
	if (ruleId === RULE_IDS.sustained) return `Sustained values (${rules.sustained.level})`;
	if (ruleId === RULE_IDS.missedReading) return `Reading late (${rules.missedReading.level})`;
	return ruleId;
}

async function peakDistributions(ctx: ServiceContext, dc: DashboardContext) {
	return Promise.all(
		VITAL_MEASURES.map(async (measure) => {
			// The summary's bins: 10 mmHg, 10 bpm, 0.2 °C (in tenths).
			const { scale, width } = PEAK_BINS[measure];
			const rows = await repo.peakHistogram(readsOf(ctx).db, dc.scope, measure);
			const action = dc.protocol.safetyRules.vitals[measure].high.action;
			return {
				measure,
				label: VITAL_LABELS[measure],
				unit: VITAL_UNITS[measure],
				actionThreshold: action.value,
				width: width / scale,
				sessions: rows.reduce((a, r) => a + r.sessions, 0),
				bins: rows.map((r) => ({
					lower: r.bin / scale,
					upper: (r.bin + width) / scale,
					sessions: r.sessions
				}))
			};
		})
	);
}

async function breachesOf(
	ctx: ServiceContext,
	dc: DashboardContext,
	sessions: Map<string, number>
) {
	const rows = await repo.vitalsBreaches(readsOf(ctx).db, dc.scope);
	const allSessions = [...sessions.values()].reduce((a, b) => a + b, 0);
	const sum = (rs: typeof rows) => rs.reduce((a, r) => a + r.breaches, 0);
	return {
		byRule: [...new Set(rows.map((r) => r.rule_id))]
			.map((ruleId) => {
				const mine = rows.filter((r) => r.rule_id === ruleId);
				return {
					ruleId,
					label: ruleLabel(dc.protocol, ruleId),
					breaches: sum(mine),
					sessionsAffected: mine.reduce((a, r) => a + r.sessions, 0),
					per100: ratePer100(sum(mine), allSessions)
				};
			})
			// Most frequent first.
			.sort((a, b) => b.breaches - a.breaches || a.ruleId.localeCompare(b.ruleId)),
		bySite: [...sessions].map(([siteCode, n]) => {
			const breaches = sum(rows.filter((r) => r.site_code === siteCode));
			return { siteCode, sessions: n, breaches, per100: ratePer100(breaches, n) };
		})
	};
}

export type SafetySignalsView = NonNullable<Awaited<ReturnType<typeof safetySignals>>>;

/** The safety-signals dashboard; null when no study is loaded. */
export async function safetySignals(ctx: ServiceContext, f: DashboardFilters) {
	const dc = await dashboardContext(ctx, f);
	if (!dc) return null;
	const dosedRows = await repo.dosedBySite(readsOf(ctx).db, dc.scope);
	const dosed = new Map(dosedRows.map((r) => [r.site_code, r.dosed]));
	const sessions = new Map(dosedRows.map((r) => [r.site_code, r.sessions]));
	const [terms, any, aesi] = await Promise.all([
		repo.aeIncidence(readsOf(ctx).db, dc.scope, 'term'),
		repo.aeIncidence(readsOf(ctx).db, dc.scope, 'any'),
		repo.aeIncidence(readsOf(ctx).db, dc.scope, 'aesi')
	]);
	const byIncidence = (a: IncidenceLine, b: IncidenceLine) =>
		b.incidence.count - a.incidence.count || a.label.localeCompare(b.label);
	return {
		context: dc,
		dosed: {
			participants: dosedRows.reduce((a, r) => a + r.dosed, 0),
			sessions: dosedRows.reduce((a, r) => a + r.sessions, 0),
			bySite: dosedRows.map((r) => ({
				siteCode: r.site_code,
				participants: r.dosed,
				sessions: r.sessions
			}))
		},
		anyAe: incidenceLines(any, dosed, () => 'Any adverse event', ['any'])[0]!,
		terms: incidenceLines(terms, dosed, termLabel).sort(byIncidence),
		specialInterest: incidenceLines(aesi, dosed, (c) => AESI_LABELS[c as AesiCategory], [
			...aesiCategories
		]),
		breaches: await breachesOf(ctx, dc, sessions),
		peaks: await peakDistributions(ctx, dc)
	};
}
