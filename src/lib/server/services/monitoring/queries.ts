// Data queries (DOMAIN-2 §8): a monitor asks about one field of a record (text, optional expected
// value); site staff answer, and correct the record through its own form if need be; the monitor
// closes or re-opens (or cancels). Each step keeps who, role, UTC time, text and the field's value
// then, and is audited.
import { z } from 'zod';
import {
	fieldLabel,
	isRecordType,
	RECORD_FIELDS,
	RECORD_TYPES
} from '../../../domain/monitoring/fields';
import type { RecordType } from '../../../domain/monitoring/fields';
import { appendAudit } from '../../audit/log';
import { requireRole } from '../../auth/access';
import type { Trx } from '../../db';
import type { DataQuery, DataQueryStep } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import type { ServiceContext } from '../../runtime/context';
import { ConflictError, NotFoundError, ValidationError } from '../../runtime/errors';
import { parseInput } from '../../runtime/validate';
import * as repo from '../../repositories/data-queries';
import * as records from '../../repositories/records';
import { assertClinicalRead, clinicalReadScope } from '../people/clinical-access';
import { assertStudyWritable } from './freeze-lock';
import { csvStream } from '../../export/csv';
import type { ExportFile } from '../audit/exports';

export const QUERY_STATUSES = ['open', 'answered', 'closed', 'cancelled'] as const;
export type QueryStatus = (typeof QUERY_STATUSES)[number];
export const QUERY_STEPS = ['raise', 'answer', 'close', 'reopen', 'cancel'] as const;
export type QueryStep = (typeof QUERY_STEPS)[number];

/** Each step: who may take it, from which statuses, and where it leads. */
const LIFECYCLE: Record<Exclude<QueryStep, 'raise'>, { from: QueryStatus[]; to: QueryStatus }> = {
	answer: { from: ['open'], to: 'answered' },
	close: { from: ['open', 'answered'], to: 'closed' },
	reopen: { from: ['answered', 'closed'], to: 'open' },
	cancel: { from: ['open', 'answered'], to: 'cancelled' }
};
const SITE_STAFF = ['coordinator', 'investigator'] as const;

const text = (what: string) =>
	z
		.string({ error: `Enter ${what}.` })
		.trim()
		.min(3, `Enter ${what} (3 characters or more).`)
		.max(2000);

export const raiseQueryInput = z.object({
	entityType: z.enum(RECORD_TYPES as [RecordType, ...RecordType[]], {
		error: 'Choose the record.'
	}),
	entityId: z.coerce.number().int().positive(),
	field: z.string({ error: 'Choose the field.' }).min(1, 'Choose the field.'),
	text: text('the question'),
	expectedValue: z.preprocess(
		(v) => (v === null || v === '' ? undefined : v),
		z.string().trim().max(200).optional()
	)
});

export const queryStepInput = z.object({
	text: z.preprocess((v) => (v === null ? undefined : v), z.string().trim().max(2000).optional())
});

export interface QueryStepView {
	step: QueryStep;
	at: string;
	actorName: string;
	actorRole: string;
	text: string | null;
	value: string | null;
}

export interface DataQueryView {
	id: number;
	status: QueryStatus;
	siteCode: string;
	participantId: number;
	subjectCode: string;
	entityType: string;
	entityId: number;
	field: string;
	fieldLabel: string;
	queriedValue: string | null;
	expectedValue: string | null;
	text: string;
	raisedAt: string;
	closedAt: string | null;
	/** Whole days since raised (open and answered ones), for "age". */
	ageDays: number;
	steps: QueryStepView[];
}

const asText = (v: unknown): string | null =>
	v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);

function toView(
	q: DataQuery & { subject_code: string; site_code: string },
	steps: DataQueryStep[],
	now: Date
): DataQueryView {
	const end = q.closed_at ? Date.parse(q.closed_at) : now.getTime();
	return {
		id: q.id,
		status: q.status as QueryStatus,
		siteCode: q.site_code,
		participantId: q.participant_id,
		subjectCode: q.subject_code,
		entityType: q.entity_type,
		entityId: q.entity_id,
		field: q.field,
		fieldLabel: fieldLabel(q.entity_type, q.field),
		queriedValue: q.queried_value,
		expectedValue: q.expected_value,
		text: q.text,
		raisedAt: q.raised_at,
		closedAt: q.closed_at,
		ageDays: Math.max(0, Math.floor((end - Date.parse(q.raised_at)) / 86_400_000)),
		steps: steps
			.filter((s) => s.query_id === q.id)
			.map((s) => ({
				step: s.step as QueryStep,
				at: s.at,
				actorName: s.actor_name,
				actorRole: s.actor_role,
				text: s.text,
				value: s.value
			}))
	};
}

function who(ctx: ServiceContext) {
	const a = ctx.actor;
	if (a.kind === 'user') return { id: a.id, name: a.name, role: a.role };
	return { id: null, name: a.kind === 'system' ? a.label : 'anonymous', role: 'system' };
}

async function withSteps(ctx: ServiceContext, rows: repo.QueryRow[]): Promise<DataQueryView[]> {
	const steps = await repo.stepsOf(
		ctx.db,
		rows.map((r) => r.id)
	);
	return rows.map((r) => toView(r, steps, ctx.now()));
}

async function oneQuery(ctx: ServiceContext, id: number): Promise<DataQueryView> {
	const [row] = await repo.listQueries(ctx.db, { siteIds: 'all', id });
	if (!row) throw new NotFoundError('Query');
	return (await withSteps(ctx, [row]))[0]!;
}

/** Writes a step and its audit entry; the query moves to `status`. */
async function step(
	trx: Trx,
	ctx: ServiceContext,
	q: DataQuery,
	kind: QueryStep,
	status: QueryStatus,
	stepText: string | null,
	value: string | null
): Promise<void> {
	const at = ctx.now().toISOString();
	const actor = who(ctx);
	await repo.insertStep(trx, {
		query_id: q.id,
		step: kind,
		at,
		actor_id: actor.id,
		actor_name: actor.name,
		actor_role: actor.role,
		text: stepText,
		value
	});
	if (kind !== 'raise') {
		await repo.updateQuery(trx, q.id, {
			status,
			changed_at: at,
			closed_at: status === 'closed' || status === 'cancelled' ? at : null
		});
	}
	await appendAudit(trx, ctx, {
		action: `query.${kind}`,
		entityType: 'data_query',
		entityId: q.id,
		siteId: q.site_id,
		oldValues: kind === 'raise' ? null : { status: q.status },
		newValues: {
			status,
			entityType: q.entity_type,
			entityId: q.entity_id,
			field: q.field,
			value,
			...(stepText ? { text: stepText } : {}),
			...(kind === 'raise' && q.expected_value ? { expectedValue: q.expected_value } : {})
		}
	});
}

/** A monitor raises a query on one field of a record at their site. */
export async function raiseQuery(ctx: ServiceContext, input: unknown): Promise<DataQueryView> {
	requireRole(ctx.actor, 'monitor');
	const v = parseInput(raiseQueryInput, input);
	if (!Object.hasOwn(RECORD_FIELDS[v.entityType], v.field)) {
		throw new ValidationError({ field: ['Choose a field of this record.'] });
	}
	const id = await writeTransaction(ctx.db, async (trx) => {
		const record = await records.findRecord(trx, v.entityType, v.entityId, v.field);
		if (!record) throw new NotFoundError('Record');
		assertClinicalRead(ctx.actor, record.site_id, 'Record');
		await assertStudyWritable(trx, record.study_id);
		const at = ctx.now().toISOString();
		const value = asText(record.value);
		const q = await repo.insertQuery(trx, {
			site_id: record.site_id,
			participant_id: record.participant_id,
			entity_type: v.entityType,
			entity_id: v.entityId,
			field: v.field,
			queried_value: value,
			expected_value: v.expectedValue ?? null,
			text: v.text,
			status: 'open',
			raised_by: who(ctx).id,
			raised_at: at,
			changed_at: at
		});
		await step(trx, ctx, q, 'raise', 'open', v.text, value);
		return q.id;
	});
	return oneQuery(ctx, id);
}

/**
 * A step on a query: site staff answer; the monitor closes, re-opens or cancels. A step from the
 * wrong status is a conflict; re-opening needs a text saying why.
 */
export async function queryStep(
	ctx: ServiceContext,
	id: number,
	kind: Exclude<QueryStep, 'raise'>,
	input: unknown
): Promise<DataQueryView> {
	if (kind === 'answer') requireRole(ctx.actor, ...SITE_STAFF);
	else requireRole(ctx.actor, 'monitor');
	await writeTransaction(ctx.db, async (trx) => {
		const q = await repo.findQuery(trx, id);
		if (!q) throw new NotFoundError('Query');
		assertClinicalRead(ctx.actor, q.site_id, 'Query');
		const v = parseInput(queryStepInput, input);
		const stepText = v.text ? v.text : null;
		if ((kind === 'answer' || kind === 'reopen') && (stepText === null || stepText.length < 3)) {
			throw new ValidationError({
				text: [kind === 'answer' ? 'Enter your answer.' : 'Say why the query is re-opened.']
			});
		}
		const rule = LIFECYCLE[kind];
		if (!rule.from.includes(q.status as QueryStatus)) {
			throw new ConflictError(`This query is ${q.status}: it cannot be ${kind}ed now.`);
		}
		if (!isRecordType(q.entity_type)) throw new NotFoundError('Record');
		const record = await records.findRecord(trx, q.entity_type, q.entity_id, q.field);
		if (record) await assertStudyWritable(trx, record.study_id);
		await step(trx, ctx, q, kind, rule.to, stepText, asText(record?.value ?? null));
	});
	return oneQuery(ctx, id);
}

export const queryListQuery = z.object({
	siteId: z.coerce.number().int().positive().optional(),
	participantId: z.coerce.number().int().positive().optional(),
	status: z.enum(QUERY_STATUSES).optional(),
	entityType: z.string().optional(),
	entityId: z.coerce.number().int().positive().optional()
});

/** Queries at the actor's sites, open first, each with its steps. */
export async function listDataQueries(
	ctx: ServiceContext,
	filter: unknown = {}
): Promise<DataQueryView[]> {
	const scope = clinicalReadScope(ctx.actor);
	const f = parseInput(queryListQuery, filter);
	if (f.siteId !== undefined) assertClinicalRead(ctx.actor, f.siteId, 'Site');
	const rows = await repo.listQueries(ctx.db, { siteIds: scope, ...f });
	return withSteps(ctx, rows);
}

export interface UnresolvedQueries {
	siteCode: string;
	participantId: number;
	subjectCode: string;
	open: number;
	answered: number;
	oldestDays: number;
}

/** Open and answered queries per participant (and so per site), with the oldest one's age. */
export async function unresolvedQueries(ctx: ServiceContext): Promise<UnresolvedQueries[]> {
	const rows = await repo.unresolvedByParticipant(ctx.db, clinicalReadScope(ctx.actor));
	const now = ctx.now().getTime();
	return rows.map((r) => ({
		siteCode: r.site_code,
		participantId: r.participant_id,
		subjectCode: r.subject_code,
		open: r.open,
		answered: r.answered,
		oldestDays: Math.max(0, Math.floor((now - Date.parse(r.oldest_raised_at)) / 86_400_000))
	}));
}

const CSV_COLUMNS = [
	'query_id',
	'status',
	'site',
	'subject',
	'record_type',
	'record_id',
	'field',
	'queried_value',
	'expected_value',
	'question',
	'raised_at_utc',
	'closed_at_utc',
	'age_days',
	'steps'
] as const;

/** The queries (same filters as the list) as a CSV download; audited as an export. */
export async function dataQueriesCsv(
	ctx: ServiceContext,
	filter: unknown = {}
): Promise<ExportFile> {
	const queries = await listDataQueries(ctx, filter);
	await writeTransaction(ctx.db, (trx) =>
		appendAudit(trx, ctx, {
			action: 'export.create',
			entityType: 'export',
			entityId: null,
			newValues: { kind: 'data-queries-csv', filters: filter, rows: queries.length }
		})
	);
	async function* rows() {
		for (const q of queries) {
			yield {
				query_id: q.id,
				status: q.status,
				site: q.siteCode,
				subject: q.subjectCode,
				record_type: q.entityType,
				record_id: q.entityId,
				field: q.fieldLabel,
				queried_value: q.queriedValue,
				expected_value: q.expectedValue,
				question: q.text,
				raised_at_utc: q.raisedAt,
				closed_at_utc: q.closedAt,
				age_days: q.ageDays,
				steps: q.steps
					.map(
						(s) => `${s.at} ${s.actorName} (${s.actorRole}) ${s.step}${s.text ? `: ${s.text}` : ''}`
					)
					.join(' | ')
			};
		}
	}
	return {
		filename: `vigil-data-queries-${ctx.now().toISOString().slice(0, 10)}.csv`,
		contentType: 'text/csv; charset=utf-8; header=present',
		stream: csvStream(CSV_COLUMNS, rows()),
		rowCountHint: queries.length
	};
}
