// A site at a glance: today's dosing sessions (in the site's time zone) and their state, open flags,
// overdue visits and late readings, open SAE clocks, enrolment and visit completion.
import type { LateReading, LevelCounts, SessionState } from '../../../views/site-overview';
import { formatLocal, startOfSiteDay, siteDate, toLocalClock } from '../../../domain/time';
import type { Protocol } from '../../../domain/protocol';
import { addMinutes, dueReadings, onTimeRate, type OnTimeRate } from '../../../domain/vitals';
import { PARTICIPANT_STATUSES } from '../../../schemas/participant';
import { readsOf } from '../../reads/executor';
import { readFor, type ServiceContext } from '../../runtime/context';
import type { Site, VitalReading } from '../../db/schema';
import { NotFoundError } from '../../runtime/errors';
import * as repo from '../../repositories/site-overview';
import * as sitesRepo from '../../repositories/sites';
import { auditHead } from '../../repositories/audit';
import type { Db } from '../../db';
import { listOpenSaeClocks, type OpenSaeClock } from '../capture/adverse-events';
import { assertClinicalRead } from '../people/clinical-access';
import { activeProtocol } from '../protocol/studies';
import { toDomainReading } from '../capture/vital-readings';
import { overduePageAfter, overdueVisitsPage, type OverdueVisit } from '../capture/visits';

export type { LateReading, LevelCounts, SessionState };

export interface SiteOverview {
	site: Site;
	today: string;
	sessions: SessionState[];
	lateReadings: LateReading[];
	flags: LevelCounts;
	/** A page of the overdue visits (oldest window first); the total and the next page's cursor. */
	overdueVisits: OverdueVisit[];
	overdueTotal: number;
	overdueNext: string | null;
	saeClocks: OpenSaeClock[];
	enrolment: Record<string, number>;
	visits: repo.VisitCounts;
	/** Scheduled readings measured within the protocol's tolerance of their planned time. */
	onTime: OnTimeRate & { days: number; toleranceMinutes: number };
}

/** [D] The on-time rate looks back this many days: about a month of sessions. */
const ON_TIME_DAYS = 30;

/** Scheduled readings of the last ON_TIME_DAYS days measured on time (DOMAIN.md §1: 15 min). */
async function readingsOnTime(ctx: ServiceContext, site: Site) {
	const since = new Date(ctx.now().getTime() - ON_TIME_DAYS * DAY_MS).toISOString();
	const rows = await repo.scheduledReadingsSince(ctx.db, site.id, since);
	const byStudy = await protocols(
		ctx,
		rows.map((r) => r.study_id)
	);
	let tolerance = 15;
	const items = [];
	for (const r of rows) {
		tolerance = byStudy.get(r.study_id)!.safetyRules.missedReading.minutesLate;
		const plannedAt =
			r.timepoint_minutes !== null ? addMinutes(r.t0, r.timepoint_minutes) : r.ended_at;
		if (plannedAt) items.push({ plannedAt, measuredAt: r.measured_at });
	}
	return { ...onTimeRate(items, tolerance), days: ON_TIME_DAYS, toleranceMinutes: tolerance };
}

const DAY_MS = 86_400_000;

/**
 * The site's visit counts read every visit it has (the largest read of the overview), and change
 * only with a change to a visit or a participant, each of which appends to the audit trail in its
 * own transaction, or with the site's date. So they are kept by the trail's head (its number and
 * hash: one history of one database) and the date, as the review queue's counts are.
 */
const visitCountsByHead = new Map<string, repo.VisitCounts>();
const VISIT_COUNTS_KEPT = 64;

async function visitCompletionAt(db: Db, siteId: number, today: string): Promise<repo.VisitCounts> {
	const head = await auditHead(db);
	if (!head) return repo.visitCompletion(db, siteId, today);
	const key = `${head.seq}|${head.hash}|${siteId}|${today}`;
	const hit = visitCountsByHead.get(key);
	if (hit) return { ...hit };
	const counts = await repo.visitCompletion(db, siteId, today);
	if (visitCountsByHead.size >= VISIT_COUNTS_KEPT) visitCountsByHead.clear();
	visitCountsByHead.set(key, counts);
	return { ...counts };
}

/** Midnight to midnight at the site, as UTC instants; a session may run past midnight. */
function dayWindow(today: string, tz: string) {
	const start = (day: string) => startOfSiteDay(day, tz);
	const next = new Date(Date.parse(`${today}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
	const from = start(today);
	return {
		from: from.toISOString(),
		to: start(next).toISOString(),
		carryFrom: new Date(from.getTime() - DAY_MS).toISOString()
	};
}

function levelCounts(rows: Array<{ level: string; n: number }>): LevelCounts {
	const out: LevelCounts = { urgent: 0, action: 0, notify: 0 };
	for (const r of rows) if (r.level in out) out[r.level as keyof LevelCounts] += Number(r.n);
	return out;
}

async function protocols(ctx: ServiceContext, studyIds: number[]) {
	const out = new Map<number, Protocol>();
	for (const id of new Set(studyIds)) out.set(id, (await activeProtocol(ctx.db, id)).protocol);
	return out;
}

/** Each session's state at `now`, and its late readings. */
async function sessionStates(ctx: ServiceContext, site: Site, rows: repo.SiteSessionRow[]) {
	const ids = rows.map((r) => r.id);
	const [readings, flags, byStudy] = await Promise.all([
		repo.readingsOfSessions(ctx.db, ids),
		repo.openFlagsBySession(ctx.db, ids),
		protocols(
			ctx,
			rows.map((r) => r.study_id)
		)
	]);
	const bySession = new Map<number, VitalReading[]>();
	for (const r of readings) {
		const list = bySession.get(r.dosing_session_id);
		if (list) list.push(r);
		else bySession.set(r.dosing_session_id, [r]);
	}
	const late: LateReading[] = [];
	const sessions = rows.map((s): SessionState => {
		const timepoints = byStudy.get(s.study_id)!.dosingSession.vitalsTimepoints;
		const mine = bySession.get(s.id) ?? [];
		const domain = mine.map((r) => toDomainReading(r, timepoints));
		const due = dueReadings(timepoints, s.t0, s.ended_at, domain, ctx.now());
		for (const d of due.filter((x) => x.status === 'late')) {
			late.push({
				sessionId: s.id,
				subjectCode: s.subject_code,
				timepoint: d.timepoint.vstpt,
				scheduledAt: toLocalClock(d.scheduledAt, site.timezone),
				minutesLate: d.minutesLate
			});
		}
		const count = (...st: string[]) => due.filter((d) => st.includes(d.status)).length;
		return {
			id: s.id,
			participantId: s.participant_id,
			subjectCode: s.subject_code,
			number: s.session_number,
			t0: formatLocal(s.t0, site.timezone),
			state: s.ended_at ? 'ended' : 'running',
			done: count('done'),
			due: count('done', 'due', 'late'),
			late: count('late'),
			flags: levelCounts(flags.filter((f) => f.session_id === s.id))
		};
	});
	return { sessions, late: late.sort((a, b) => b.minutesLate - a.minutesLate) };
}

/**
 * The overview of one site, for those who may read its clinical records: the access check and the
 * page link here, on the request thread; every read of the overview in one read job (a read
 * worker beside SQLite, the read pool on PostgreSQL), in one snapshot.
 */
export async function siteOverview(
	ctx: ServiceContext,
	code: string,
	opts: { overdueAfter?: string | null } = {}
): Promise<SiteOverview> {
	const site = await sitesRepo.findSiteByCode(ctx.db, code.toUpperCase());
	if (!site) throw new NotFoundError('Site');
	assertClinicalRead(ctx.actor, site.id, 'Site');
	overduePageAfter(opts.overdueAfter);
	return readsOf(ctx).value('siteOverview', {
		for: readFor(ctx),
		site,
		overdueAfter: opts.overdueAfter ?? null
	});
}

/** The overview's reads, after siteOverview's check (a read job). */
export async function siteOverviewReads(
	ctx: ServiceContext,
	site: Site,
	opts: { overdueAfter: string | null }
): Promise<SiteOverview> {
	const today = siteDate(ctx.now(), site.timezone);
	const [rows, flags, enrolment, visits, overdueVisits, clocks] = await Promise.all([
		repo.sessionsOfDay(ctx.db, site.id, dayWindow(today, site.timezone)),
		repo.openFlagsByLevel(ctx.db, site.id),
		repo.participantsByStatus(ctx.db, site.id),
		visitCompletionAt(ctx.db, site.id, today),
		overdueVisitsPage(ctx, site.id, { after: opts.overdueAfter }),
		listOpenSaeClocks(ctx, { siteId: site.id })
	]);
	const { sessions, late } = await sessionStates(ctx, site, rows);
	const onTime = await readingsOnTime(ctx, site);
	return {
		site,
		today,
		sessions,
		lateReadings: late,
		flags: levelCounts(flags),
		overdueVisits: overdueVisits.visits,
		overdueTotal: overdueVisits.total,
		overdueNext: overdueVisits.next,
		saeClocks: clocks,
		enrolment: Object.fromEntries(
			PARTICIPANT_STATUSES.map((s) => [s, Number(enrolment.find((e) => e.status === s)?.n ?? 0)])
		),
		visits,
		onTime
	};
}
