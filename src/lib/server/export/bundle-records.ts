// flags.csv and signatures.csv of the auditor bundle, read a keyset page at a time. A flag's
// lifecycle (raise, acknowledge, action, close, auto-close, escalate) is read from the audit trail,
// one row per step, so a step is shown even when a later step changed the flag's columns.
import { sql } from 'kysely';
import type { Executor } from '../db';
import type { CsvRow } from './csv';
import { inStudy, keysetPages, siteIn, withinDays, type ExportScope } from './pages';

export const FLAG_COLUMNS = [
	'flag_id',
	'site_code',
	'subject_code',
	'rule_id',
	'level',
	'protocol_version_id',
	'source_type',
	'source_id',
	'dosing_session_id',
	'message',
	'raised_at',
	'status_now',
	'step',
	'step_at',
	'step_by',
	'step_role',
	'step_values',
	'step_reason',
	'audit_seq'
] as const;

type FlagColumn = (typeof FLAG_COLUMNS)[number];

function flagPage(db: Executor, scope: ExportScope, after: number | null, limit: number) {
	return db
		.selectFrom('flag as f')
		.crossJoin('site as s')
		.whereRef('s.id', '=', 'f.site_id')
		.crossJoin('participant as p')
		.whereRef('p.id', '=', 'f.participant_id')
		.select([
			'f.id',
			's.code as site_code',
			'p.subject_code',
			'f.rule_id',
			'f.level',
			'f.protocol_version_id',
			'f.source_type',
			'f.source_id',
			'f.dosing_session_id',
			'f.message',
			'f.raised_at',
			'f.status'
		])
		.where(siteIn('f.site_id', scope.siteIds))
		.where(inStudy('f.study_id', scope))
		.where(withinDays('f.raised_at', scope))
		.$if(after !== null, (q) => q.where('f.id', '>', after!))
		.orderBy('f.id')
		.limit(limit)
		.execute();
}

function stepsOf(db: Executor, flagIds: number[], upToSeq: number) {
	return db
		.selectFrom('audit_event')
		.select([
			'seq',
			'at',
			'actor_label',
			'actor_role',
			'action',
			'entity_id',
			'new_values',
			'reason'
		])
		.where('entity_type', '=', 'flag')
		.where('entity_id', 'in', flagIds.map(String))
		.where('seq', '<=', upToSeq)
		.orderBy('seq')
		.execute();
}

const NO_STEP = {
	step: null,
	step_at: null,
	step_by: null,
	step_role: null,
	step_values: null,
	step_reason: null,
	audit_seq: null
};

/** Every flag in scope with each lifecycle step up to the bundle's head, flag by flag. */
export async function* flagRows(
	db: Executor,
	scope: ExportScope,
	upToSeq: number
): AsyncGenerator<CsvRow<FlagColumn>> {
	const pages = keysetPages(
		(after: number | null, limit) => flagPage(db, scope, after, limit),
		(last) => last.id,
		scope.pageSize
	);
	for await (const flags of pages) {
		const steps = await stepsOf(
			db,
			flags.map((f) => f.id),
			upToSeq
		);
		const byFlag = new Map<string | null, typeof steps>();
		for (const s of steps) {
			const list = byFlag.get(s.entity_id);
			if (list) list.push(s);
			else byFlag.set(s.entity_id, [s]);
		}
		for (const f of flags) {
			const { id, status, ...rest } = f;
			const flag = { flag_id: id, status_now: status, ...rest };
			const own = byFlag.get(String(id)) ?? [];
			if (own.length === 0) yield { ...flag, ...NO_STEP };
			for (const s of own) {
				yield {
					...flag,
					step: s.action.replace(/^flag\./, ''),
					step_at: s.at,
					step_by: s.actor_label,
					step_role: s.actor_role,
					step_values: s.new_values,
					step_reason: s.reason,
					audit_seq: s.seq
				};
			}
		}
	}
}

export const SIGNATURE_COLUMNS = [
	'signature_id',
	'site_code',
	'subject_code',
	'entity_type',
	'entity_id',
	'entity_version',
	'signer_id',
	'signer_name',
	'meaning',
	'signed_at',
	'voided_at',
	'voided_reason'
] as const;

type SignatureColumn = (typeof SIGNATURE_COLUMNS)[number];

/** The subject of the signed record (a session, an adverse event or a scale). */
const subjectOfSigned = sql<string | null>`(select p.subject_code from participant p where p.id =
	case sg.entity_type
		when 'dosing_session' then (select participant_id from dosing_session where id = sg.entity_id)
		when 'adverse_event' then (select participant_id from adverse_event where id = sg.entity_id)
		when 'scale_administration' then (select participant_id from scale_administration where id = sg.entity_id)
	end)`;

function signaturePage(db: Executor, scope: ExportScope, after: number | null, limit: number) {
	return db
		.selectFrom('signature as sg')
		.crossJoin('site as s')
		.whereRef('s.id', '=', 'sg.site_id')
		.select([
			'sg.id as signature_id',
			's.code as site_code',
			subjectOfSigned.as('subject_code'),
			'sg.entity_type',
			'sg.entity_id',
			'sg.entity_version',
			'sg.signer_id',
			'sg.signer_name',
			'sg.meaning',
			'sg.signed_at',
			'sg.voided_at',
			'sg.voided_reason'
		])
		.where(siteIn('sg.site_id', scope.siteIds))
		.where(withinDays('sg.signed_at', scope))
		.$if(after !== null, (q) => q.where('sg.id', '>', after!))
		.orderBy('sg.id')
		.limit(limit)
		.execute();
}

/** Every signature in scope, voided ones too, with why they were voided. */
export async function* signatureRows(
	db: Executor,
	scope: ExportScope
): AsyncGenerator<CsvRow<SignatureColumn>> {
	const pages = keysetPages(
		(after: number | null, limit) => signaturePage(db, scope, after, limit),
		(last) => last.signature_id,
		scope.pageSize
	);
	for await (const page of pages) yield* page;
}
