// The flag lifecycle: raised → acknowledged → action recorded → closed, each step audited.
// Investigators acknowledge and close; coordinators and investigators record actions.
import type { FlagLevel } from '../../../domain/protocol';
import type { FlagActionCategory } from '../../../codes/flag-actions';
import { flagActionInput, flagCloseInput } from '../../../schemas/flag';
import { AUDIT_ACTIONS, type AuditAction } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { requireRole } from '../../auth/access';
import { readFor, type ServiceContext } from '../../runtime/context';
import { readsOf } from '../../reads/executor';
import type { Flag } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import type { Trx } from '../../db';
import { ConflictError, NotFoundError } from '../../runtime/errors';
import * as repo from '../../repositories/flags';
import { parseInput } from '../../runtime/validate';
import { actorUserId, assertClinicalRead, clinicalReadScope } from '../people/clinical-access';
import { publishFlagChange } from './flag-events';
import { decodeCursor, pageOf, type Page } from '../../api/cursor';

export interface FlagView {
	id: number;
	ruleId: string;
	level: FlagLevel;
	status: string;
	message: string;
	values: Record<string, unknown>;
	participantId: number;
	subjectCode: string;
	siteId: number;
	siteCode: string;
	sourceType: string;
	sourceId: number;
	sessionId: number | null;
	protocolVersionId: number;
	raisedAt: string;
	acknowledgedAt: string | null;
	actionAt: string | null;
	actionCategory: string | null;
	actionText: string | null;
	closedAt: string | null;
	outcome: string | null;
	autoClosed: boolean;
	escalated: boolean;
	ageMinutes: number;
}

export function toFlagView(f: repo.FlagWithSubject, now: Date): FlagView {
	return {
		id: f.id,
		ruleId: f.rule_id,
		level: f.level as FlagLevel,
		status: f.status,
		message: f.message,
		values: JSON.parse(f.trigger_values) as Record<string, unknown>,
		participantId: f.participant_id,
		subjectCode: f.subject_code,
		siteId: f.site_id,
		siteCode: f.site_code,
		sourceType: f.source_type,
		sourceId: f.source_id,
		sessionId: f.dosing_session_id,
		protocolVersionId: f.protocol_version_id,
		raisedAt: f.raised_at,
		acknowledgedAt: f.acknowledged_at,
		actionAt: f.action_at,
		actionCategory: f.action_category,
		actionText: f.action_text,
		closedAt: f.closed_at,
		outcome: f.outcome,
		autoClosed: f.auto_closed === 1,
		escalated: f.escalated_at !== null,
		ageMinutes: Math.floor((now.getTime() - Date.parse(f.raised_at)) / 60_000)
	};
}

export interface FlagQuery {
	open?: boolean;
	siteId?: number;
	sessionId?: number;
	participantId?: number;
	sourceType?: string;
	sourceId?: number;
	limit?: number;
}

/** Flags in the actor's sites, newest first (most severe first when `open`). */
export async function listFlags(ctx: ServiceContext, q: FlagQuery = {}): Promise<FlagView[]> {
	let siteIds = clinicalReadScope(ctx.actor);
	if (q.siteId !== undefined) {
		assertClinicalRead(ctx.actor, q.siteId, 'Site');
		siteIds = [q.siteId];
	}
	const rows = await repo.listFlags(ctx.db, { ...q, siteIds });
	const views = rows.map((r) => toFlagView(r, ctx.now()));
	if (!q.open) return views;
	const rank: Record<string, number> = { urgent: 0, action: 1, notify: 2 };
	return views.sort(
		(a, b) => (rank[a.level] ?? 3) - (rank[b.level] ?? 3) || a.raisedAt.localeCompare(b.raisedAt)
	);
}

/** The actor's sites, narrowed to one they hold when asked. */
function flagSites(ctx: ServiceContext, siteId: number | undefined): number[] | 'all' {
	const siteIds = clinicalReadScope(ctx.actor);
	if (siteId === undefined) return siteIds;
	assertClinicalRead(ctx.actor, siteId, 'Site');
	return [siteId];
}

/** A page of the JSON API's flag list as its read job runs it: access and cursor checked. */
export interface FlagsPageRead {
	open: boolean;
	siteIds: number[] | 'all';
	participantId?: number;
	sessionId?: number;
	limit: number;
	after: repo.FlagPageKey | null;
}

/**
 * A page of flags for the JSON API, ordered and cut in SQL: open flags most severe first (then
 * oldest first), all flags newest raised first; `cursor` continues after the previous page. The
 * access and the cursor are checked here; the page is read in one read job, off the request
 * thread (at the trial tier its query and rows were most of the request's CPU).
 */
export async function listFlagsPage(
	ctx: ServiceContext,
	q: Omit<FlagQuery, 'limit' | 'sourceType' | 'sourceId'> & { limit: number; cursor?: string }
): Promise<Page<FlagView>> {
	const siteIds = flagSites(ctx, q.siteId);
	const open = q.open ?? false;
	const after = decodeCursor(
		q.cursor,
		open ? ['number', 'string', 'number'] : ['string', 'number']
	) as repo.FlagPageKey | null;
	const read: FlagsPageRead = {
		open,
		siteIds,
		participantId: q.participantId,
		sessionId: q.sessionId,
		limit: q.limit,
		after
	};
	return readsOf(ctx).value('flagsPage', { for: readFor(ctx), read });
}

/** The reads of one page of the flag list (a read job; listFlagsPage checked first). */
export async function flagsPageReads(
	ctx: ServiceContext,
	{ after, ...q }: FlagsPageRead
): Promise<Page<FlagView>> {
	const rows = await repo.listFlagsPage(ctx.db, { ...q, limit: q.limit + 1 }, after);
	const now = ctx.now();
	return pageOf(
		rows,
		q.limit,
		(r) => (q.open ? [r.rank, r.raised_at, r.id] : [r.raised_at, r.id]),
		(r) => toFlagView(r, now)
	);
}

/** The flags closed most recently at the actor's sites (the board's "recently closed"). */
export async function recentlyClosedFlags(ctx: ServiceContext, limit: number): Promise<FlagView[]> {
	const rows = await repo.recentlyClosedFlags(ctx.db, clinicalReadScope(ctx.actor), limit);
	const now = ctx.now();
	return rows.map((r) => toFlagView(r, now));
}

export async function getFlag(ctx: ServiceContext, id: number): Promise<FlagView> {
	const f = await repo.findFlag(ctx.db, id);
	if (!f) throw new NotFoundError('Flag');
	assertClinicalRead(ctx.actor, f.site_id, 'Flag');
	const [row] = await repo.listFlags(ctx.db, { siteIds: [f.site_id], id });
	return toFlagView(row!, ctx.now());
}

/** What one lifecycle step changes on a flag, and how it is audited. */
export type FlagChange = (
	f: Flag,
	at: string
) => { set: Partial<Flag>; action: AuditAction; newValues: Record<string, unknown> };

/** One lifecycle step on one flag inside the caller's transaction: access, state, row, audit. */
export async function applyFlagStep(
	trx: Trx,
	ctx: ServiceContext,
	id: number,
	allowed: Array<'investigator' | 'coordinator'>,
	change: FlagChange
): Promise<void> {
	const f = await repo.findFlag(trx, id);
	if (!f) throw new NotFoundError('Flag');
	assertClinicalRead(ctx.actor, f.site_id, 'Flag');
	requireRole(ctx.actor, ...allowed);
	if (f.status === 'closed') throw new ConflictError('This flag is closed.');
	const at = ctx.now().toISOString();
	const { set, action, newValues } = change(f, at);
	await repo.updateFlag(trx, id, { ...set, changed_at: at });
	await appendAudit(trx, ctx, {
		action,
		entityType: 'flag',
		entityId: id,
		siteId: f.site_id,
		oldValues: { status: f.status },
		newValues
	});
	publishFlagChange(f.site_id);
}

async function step(
	ctx: ServiceContext,
	id: number,
	allowed: Array<'investigator' | 'coordinator'>,
	change: FlagChange
): Promise<FlagView> {
	await writeTransaction(ctx.db, (trx) => applyFlagStep(trx, ctx, id, allowed, change));
	return getFlag(ctx, id);
}

/** The acknowledge step: only a flag nobody has seen yet. */
export const acknowledgement =
	(ctx: ServiceContext): FlagChange =>
	(f, at) => {
		if (f.acknowledged_at) throw new ConflictError('This flag is acknowledged already.');
		return {
			set: { status: 'acknowledged', acknowledged_at: at, acknowledged_by: actorUserId(ctx.actor) },
			action: AUDIT_ACTIONS.flagAcknowledged,
			newValues: { status: 'acknowledged' }
		};
	};

export function acknowledgeFlag(ctx: ServiceContext, id: number): Promise<FlagView> {
	return step(ctx, id, ['investigator'], acknowledgement(ctx));
}

export async function recordFlagAction(
	ctx: ServiceContext,
	id: number,
	input: unknown
): Promise<FlagView> {
	requireRole(ctx.actor, 'investigator', 'coordinator');
	return step(ctx, id, ['investigator', 'coordinator'], (f, at) =>
		actionTaken(ctx, parseInput(flagActionInput, input))(f, at)
	);
}

/** The action step: what was done, which is also seeing the flag. */
export const actionTaken =
	(ctx: ServiceContext, v: { category: FlagActionCategory; text: string }): FlagChange =>
	(f, at) => ({
		set: {
			status: 'actioned',
			action_at: at,
			action_by: actorUserId(ctx.actor),
			action_category: v.category,
			action_text: v.text,
			// Acting on a flag is also seeing it.
			acknowledged_at: f.acknowledged_at ?? at,
			acknowledged_by: f.acknowledged_by ?? actorUserId(ctx.actor)
		},
		action: AUDIT_ACTIONS.flagActioned,
		newValues: { status: 'actioned', category: v.category, text: v.text }
	});

export async function closeFlag(
	ctx: ServiceContext,
	id: number,
	input: unknown
): Promise<FlagView> {
	requireRole(ctx.actor, 'investigator');
	return step(ctx, id, ['investigator'], (f, at) =>
		closure(ctx, parseInput(flagCloseInput, input).outcome)(f, at)
	);
}

/** The close step, with the outcome the investigator recorded. */
export const closure =
	(ctx: ServiceContext, outcome: string): FlagChange =>
	(f, at) => ({
		set: {
			status: 'closed',
			closed_at: at,
			closed_by: actorUserId(ctx.actor),
			outcome,
			acknowledged_at: f.acknowledged_at ?? at,
			acknowledged_by: f.acknowledged_by ?? actorUserId(ctx.actor)
		},
		action: AUDIT_ACTIONS.flagClosed,
		newValues: { status: 'closed', outcome }
	});
