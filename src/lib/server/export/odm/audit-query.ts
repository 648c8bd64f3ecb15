// The audit trail as the ODM file's source: the entries that create, correct, enter in error or
// sign clinical records, read a keyset page at a time by sequence number.
import { actionsNamed } from '../../audit/actions';
import type { AuditEvent } from '../../db/schema';
import type { Executor } from '../../db';
import { siteIn, withinDays, type ExportScope } from '../pages';

/** Audit actions that change a clinical record or its signatures: named from the vocabulary. */
export const ODM_ACTIONS = actionsNamed(
	'participantCreated',
	'participantStatusChanged',
	'visitsScheduled',
	'visitRecorded',
	'visitRescheduled',
	'dosingSessionCreated',
	'dosingSessionUpdated',
	'dosingSessionEnteredInError',
	'vitalsRecorded',
	'vitalsCorrected',
	'vitalsEnteredInError',
	'vitalsNotDone',
	'adverseEventRecorded',
	'adverseEventCorrected',
	'adverseEventEnteredInError',
	'scaleRecorded',
	'scaleCorrected',
	'scaleEnteredInError',
	'signatureApplied',
	'signatureVoided'
);

/** The trail's columns an ODM AuditRecord is written from. */
export type AuditSource = Pick<
	AuditEvent,
	| 'seq'
	| 'at'
	| 'actor_id'
	| 'actor_label'
	| 'site_id'
	| 'action'
	| 'entity_type'
	| 'entity_id'
	| 'old_values'
	| 'new_values'
	| 'reason'
>;

/** The period is when the change was made: an ODM file is a log of transactions. */
function baseQuery(db: Executor, scope: ExportScope) {
	return db
		.selectFrom('audit_event as a')
		.where('a.action', 'in', ODM_ACTIONS)
		.where(siteIn('a.site_id', scope.siteIds))
		.where(withinDays('a.at', scope));
}

export function auditPage(
	db: Executor,
	scope: ExportScope,
	after: number | null,
	limit: number
): Promise<AuditSource[]> {
	return baseQuery(db, scope)
		.select([
			'a.seq',
			'a.at',
			'a.actor_id',
			'a.actor_label',
			'a.site_id',
			'a.action',
			'a.entity_type',
			'a.entity_id',
			'a.old_values',
			'a.new_values',
			'a.reason'
		])
		.$if(after !== null, (q) => q.where('a.seq', '>', after!))
		.orderBy('a.seq')
		.limit(limit)
		.execute();
}

export async function countTransactions(db: Executor, scope: ExportScope): Promise<number> {
	const row = await baseQuery(db, scope)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Everyone who appears in the file's audit records and signatures, each once. */
export function auditActors(db: Executor, scope: ExportScope) {
	return baseQuery(db, scope)
		.leftJoin('user as u', 'u.id', 'a.actor_id')
		.select(['a.actor_id', 'a.actor_label', 'u.name', 'u.role'])
		.distinct()
		.orderBy('a.actor_id')
		.orderBy('a.actor_label')
		.execute();
}
