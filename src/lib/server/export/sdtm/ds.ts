// SDTM DS (Disposition): per participant, each informed consent signed (a protocol milestone,
// DOMAIN-2.md §3), each consent withdrawn, and the completion or withdrawal from the study with
// the time it was recorded (from the audit trail, where the status change is kept).
import { sql } from 'kysely';
import { DS, DS_TERMS, studyDay, type SdtmRow } from '../../../domain/sdtm';
import type { Executor } from '../../db';
import { inStudy, keysetPages, siteIn, withinDays, type ExportScope } from '../pages';
import { dtc, firstDoseOf, identifiers, type SubjectKeys } from './common';

export type DsRow = SdtmRow<(typeof DS.variables)[number]['name']>;

interface Participant extends SubjectKeys {
	id: number;
	status: string;
	status_reason: string | null;
	first_dose_at: string | null;
}

/** The participants DS is about: those DM has, with the same filters. */
function baseQuery(db: Executor, scope: ExportScope) {
	let q = db
		.selectFrom('participant as p')
		.where('p.entered_in_error_at', 'is', null)
		.where(siteIn('p.site_id', scope.siteIds))
		.where(inStudy('p.study_id', scope));
	if (scope.from || scope.to) q = q.where(withinDays('p.enrolled_on', scope));
	return q;
}

function participantPage(db: Executor, scope: ExportScope, after: number | null, limit: number) {
	return baseQuery(db, scope)
		.crossJoin('study as s')
		.whereRef('s.id', '=', 'p.study_id')
		.select([
			'p.id',
			'p.subject_code',
			'p.status',
			'p.status_reason',
			's.code as study_code',
			firstDoseOf('p.id').as('first_dose_at')
		])
		.$if(after !== null, (q) => q.where('p.id', '>', after!))
		.orderBy('p.id')
		.limit(limit)
		.execute() as Promise<Participant[]>;
}

function consentsOf(db: Executor, ids: number[]) {
	return db
		.selectFrom('consent_record')
		.select(['participant_id', 'signed_at', 'reconsent_reason', 'withdrawn_at', 'withdrawal_scope'])
		.where('participant_id', 'in', ids)
		.where('entered_in_error_at', 'is', null)
		.orderBy('participant_id')
		.orderBy('signed_at')
		.orderBy('id')
		.execute();
}

/** When each participant last reached the status they have now (completed or withdrawn). */
function endsOf(db: Executor, ids: number[]) {
	return db
		.selectFrom('audit_event')
		.select(['entity_id', 'at', 'new_values'])
		.where('action', '=', 'participant.status')
		.where('entity_type', '=', 'participant')
		.where(
			'entity_id',
			'in',
			ids.map((id) => String(id))
		)
		.orderBy('seq')
		.execute();
}

export async function countDs(db: Executor, scope: ExportScope): Promise<number> {
	const row = await baseQuery(db, scope)
		.select(
			sql<number>`coalesce(sum((select count(*) + count(c.withdrawn_at) from consent_record c
				where c.participant_id = p.id and c.entered_in_error_at is null)
				+ (case when p.status in ('completed', 'withdrawn') then 1 else 0 end)), 0)`.as('n')
		)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

type Event = { cat: string; term: string; decod: string; at: string | null };

function participantRows(p: Participant, events: Event[]): DsRow[] {
	const ids = identifiers('DS', p);
	const rfstdtc = dtc(p.first_dose_at);
	const ordered = [...events].sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''));
	return ordered.map((e, i) => {
		const at = dtc(e.at);
		return {
			STUDYID: ids.STUDYID,
			DOMAIN: ids.DOMAIN,
			USUBJID: ids.USUBJID,
			DSSEQ: i + 1,
			DSTERM: e.term,
			DSDECOD: e.decod,
			DSCAT: e.cat,
			DSSTDTC: at,
			DSSTDY: studyDay(at, rfstdtc)
		};
	});
}

export async function* dsRows(db: Executor, scope: ExportScope): AsyncGenerator<DsRow> {
	const pages = keysetPages(
		(after: number | null, limit) => participantPage(db, scope, after, limit),
		(last) => last.id,
		scope.pageSize
	);
	for await (const page of pages) {
		const ids = page.map((p) => p.id);
		const [consents, ends] = await Promise.all([consentsOf(db, ids), endsOf(db, ids)]);
		for (const p of page) {
			const events: Event[] = [];
			for (const c of consents.filter((x) => x.participant_id === p.id)) {
				events.push({
					cat: 'PROTOCOL MILESTONE',
					term: c.reconsent_reason
						? `${DS_TERMS.consent} (RE-CONSENT: ${c.reconsent_reason})`
						: DS_TERMS.consent,
					decod: DS_TERMS.consent,
					at: c.signed_at
				});
				if (c.withdrawn_at) {
					events.push({
						cat: 'OTHER EVENT',
						term: `CONSENT WITHDRAWN${c.withdrawal_scope ? `: ${c.withdrawal_scope}` : ''}`,
						decod: DS_TERMS.withdrawn,
						at: c.withdrawn_at
					});
				}
			}
			if (p.status === 'completed' || p.status === 'withdrawn') {
				const last = ends
					.filter((e) => e.entity_id === String(p.id))
					.filter(
						(e) => (JSON.parse(e.new_values ?? '{}') as { status?: string }).status === p.status
					)
					.at(-1);
				events.push({
					cat: 'DISPOSITION EVENT',
					term: p.status_reason || (p.status === 'completed' ? 'COMPLETED' : 'WITHDRAWN'),
					decod: p.status === 'completed' ? DS_TERMS.completed : DS_TERMS.withdrawn,
					at: last?.at ?? null
				});
			}
			yield* participantRows(p, events);
		}
	}
}
