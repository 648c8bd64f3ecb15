// Raising and closing flags inside the transaction that saved the data. A condition that holds and
// has no flag gets one; an open flag whose condition no longer holds closes itself, saying why.
import type { FlagCandidate } from '../../../domain/safety';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import type { ServiceContext } from '../../runtime/context';
import type { Trx } from '../../db';
import type { Flag } from '../../db/schema';
import * as repo from '../../repositories/flags';
import { publishFlagChange } from './flag-events';

export interface FlagOwner {
	studyId: number;
	protocolVersionId: number;
	participantId: number;
	siteId: number;
	sessionId: number | null;
}

/** Flag key → what resolved it (a map, or anything that answers `get`, such as a lazy one). */
export type FlagOutcomes = Pick<ReadonlyMap<string, string>, 'get'>;

export interface Reconciled {
	raised: Flag[];
	closed: Flag[];
}

/**
 * `cause` says what changed ("reading 12 corrected"), for flags that close because of it.
 * A condition closed by an investigator is not raised again by the same data; one that closed
 * itself (its cause went away) is raised afresh if the cause comes back.
 */
export async function reconcileFlags(
	trx: Trx,
	ctx: ServiceContext,
	scope: repo.FlagScope,
	candidates: readonly FlagCandidate[],
	owner: FlagOwner,
	cause: string,
	/** Flag key → what resolved it, for flags that say more than "no longer holds". */
	outcomes: FlagOutcomes = new Map()
): Promise<Reconciled> {
	const existing = await repo.flagsInScope(trx, scope);
	const at = ctx.now().toISOString();
	const wanted = new Set(candidates.map((c) => c.key));
	const raised: Flag[] = [];
	const closed: Flag[] = [];
	for (const c of candidates) {
		const same = existing.filter((f) => f.condition_key === c.key);
		if (same.some((f) => f.status !== 'closed' || f.auto_closed === 0)) continue;
		const flag = await repo.insertFlag(trx, {
			study_id: owner.studyId,
			protocol_version_id: owner.protocolVersionId,
			rule_id: c.ruleId,
			level: c.level,
			participant_id: owner.participantId,
			site_id: owner.siteId,
			source_type: c.sourceType,
			source_id: c.sourceId,
			dosing_session_id: owner.sessionId,
			condition_key: c.key,
			trigger_values: JSON.stringify(c.values),
			message: c.message,
			status: 'raised',
			raised_at: at,
			changed_at: at
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.flagRaised,
			entityType: 'flag',
			entityId: flag.id,
			siteId: owner.siteId,
			newValues: {
				rule: c.ruleId,
				level: c.level,
				source: `${c.sourceType}:${c.sourceId}`,
				values: c.values,
				protocolVersionId: owner.protocolVersionId
			}
		});
		raised.push(flag);
	}
	for (const f of existing) {
		if (f.status === 'closed' || wanted.has(f.condition_key)) continue;
		const resolved = outcomes.get(f.condition_key);
		const outcome = resolved
			? `Closed automatically: ${resolved}`
			: `Closed automatically: the condition no longer holds (${cause}).`;
		await repo.updateFlag(trx, f.id, {
			status: 'closed',
			closed_at: at,
			outcome,
			auto_closed: 1,
			changed_at: at
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.flagAutoClosed,
			entityType: 'flag',
			entityId: f.id,
			siteId: f.site_id,
			oldValues: { status: f.status },
			newValues: { status: 'closed', outcome },
			reason: cause
		});
		closed.push({ ...f, status: 'closed', closed_at: at, outcome, auto_closed: 1 });
	}
	if (raised.length > 0 || closed.length > 0) publishFlagChange(owner.siteId);
	return { raised, closed };
}
