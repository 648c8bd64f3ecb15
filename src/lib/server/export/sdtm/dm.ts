// SDTM DM (Demographics): one row per participant not entered in error, read in keyset pages,
// with the reference dates every other domain counts from.
import { sql } from 'kysely';
import {
	ageInYears,
	armsOf,
	DM,
	studyDay,
	type Allocation,
	type SdtmRow
} from '../../../domain/sdtm';
import type { Executor } from '../../db';
import { inStudy, keysetPages, siteIn, withinDays, type ExportScope } from '../pages';
import type { ProtocolLookup } from '../protocols';
import { dtc, firstDoseOf, type SubjectKeys, usubjid } from './common';

export type DmRow = SdtmRow<(typeof DM.variables)[number]['name']>;

interface DmSource extends SubjectKeys {
	id: number;
	status: string;
	sex: string;
	birth_year: number;
	dose_group: string;
	enrolled_on: string | null;
	created_at: string;
	site_code: string;
	country: string | null;
	first_dose_at: string | null;
	first_consent_at: string | null;
	last_dose_at: string | null;
	last_contact_at: string | null;
	death_at: string | null;
	died: number;
	study_id: number;
	randomised_at: string | null;
	min_dose_mg: number | null;
	max_dose_mg: number | null;
}

function baseQuery(db: Executor, scope: ExportScope) {
	let q = db
		.selectFrom('participant as p')
		.crossJoin('study as s')
		.whereRef('s.id', '=', 'p.study_id')
		.crossJoin('site as st')
		.whereRef('st.id', '=', 'p.site_id')
		.where('p.entered_in_error_at', 'is', null)
		.where(siteIn('p.site_id', scope.siteIds))
		.where(inStudy('p.study_id', scope));
	if (scope.from || scope.to) q = q.where(withinDays('p.enrolled_on', scope));
	return q;
}

/** The last dose: the latest initial or supplemental dose of the sessions in effect. */
const lastDose = sql<string | null>`(select max(d.at) from (
	select ld.t0 as at from dosing_session ld
		where ld.participant_id = p.id and ld.entered_in_error_at is null
	union all select ls.supplemental_at from dosing_session ls
		where ls.participant_id = p.id and ls.entered_in_error_at is null
			and ls.supplemental_dose_mg is not null) d)`;

/**
 * The last contact on record (RFPENDTC): visits, doses, session ends, readings and scales. Readings
 * are reached through the participant's sessions: vital_reading is indexed by session, not by
 * participant, and a scan per participant made DM quadratic at trial size.
 */
const lastContact = sql<string | null>`(select max(c.at) from (
	select v.actual_on as at from visit v
		where v.participant_id = p.id and v.entered_in_error_at is null
	union all select coalesce(cd.ended_at, cd.supplemental_at, cd.t0) from dosing_session cd
		where cd.participant_id = p.id and cd.entered_in_error_at is null
	union all select cr.measured_at from dosing_session crs
		join vital_reading cr on cr.dosing_session_id = crs.id
		where crs.participant_id = p.id and cr.entered_in_error_at is null
	union all select cs.administered_at from scale_administration cs
		where cs.participant_id = p.id and cs.entered_in_error_at is null) c)`;

/** The lowest and highest initial dose of the sessions in effect: the actual arm (open label). */
const initialDose = (fn: 'min' | 'max') =>
	sql<number | null>`(select ${sql.raw(fn)}(xd.initial_dose_mg) from dosing_session xd
	where xd.participant_id = p.id and xd.entered_in_error_at is null)`;

const firstConsent = sql<string | null>`(select min(fc.signed_at) from consent_record fc
	where fc.participant_id = p.id and fc.entered_in_error_at is null)`;

/** An adverse event with outcome FATAL (which goes with AESDTH = Y, ICH E2A). */
const deathAt = sql<string | null>`(select max(coalesce(fa.end_at, fa.onset_at))
	from adverse_event fa
	where fa.participant_id = p.id and fa.entered_in_error_at is null and fa.outcome = 'fatal')`;
const deaths = sql<number>`(select count(*) from adverse_event fb
	where fb.participant_id = p.id and fb.entered_in_error_at is null and fb.outcome = 'fatal')`;

/** The ids of one page of the participants in scope after `after`. */
function pageIds(db: Executor, scope: ExportScope, after: number | null, limit: number) {
	return baseQuery(db, scope)
		.select('p.id')
		.$if(after !== null, (q) => q.where('p.id', '>', after!))
		.orderBy('p.id')
		.limit(limit);
}

/** One page of participants after `after` (by id), with their reference dates. */
export function dmPage(db: Executor, scope: ExportScope, after: number | null, limit: number) {
	return (
		baseQuery(db, scope)
			.leftJoin('randomisation as rz', 'rz.participant_id', 'p.id')
			.select([
				'p.study_id',
				'rz.randomised_at',
				'p.id',
				'p.subject_code',
				'p.status',
				'p.sex',
				'p.birth_year',
				'p.dose_group',
				'p.enrolled_on',
				'p.created_at',
				's.code as study_code',
				'st.code as site_code',
				'st.country'
			])
			.select([
				firstDoseOf('p.id').as('first_dose_at'),
				firstConsent.as('first_consent_at'),
				lastDose.as('last_dose_at'),
				lastContact.as('last_contact_at'),
				deathAt.as('death_at'),
				deaths.as('died'),
				initialDose('min').as('min_dose_mg'),
				initialDose('max').as('max_dose_mg')
			])
			// The page's ids first: ordering the joined rows would work out every reference date of
			// every participant in scope before the sort, once a page (quadratic at trial size).
			.where('p.id', 'in', pageIds(db, scope, after, limit))
			.orderBy('p.id')
			.execute() as Promise<DmSource[]>
	);
}

export async function countDm(db: Executor, scope: ExportScope): Promise<number> {
	const row = await baseQuery(db, scope)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** The allocation DM may write: none in an open-label study, concealed unless visible. */
function allocationOf(
	p: DmSource,
	study: StudyArms,
	arms: ExportScope['arms']
): Allocation | undefined {
	if (!study.randomised) return undefined;
	if (!p.randomised_at) return null;
	const arm = arms?.studyIds.includes(p.study_id) ? arms.byParticipant[p.id] : undefined;
	if (arm === undefined) return { concealed: true };
	return { arm: { code: arm, label: study.labels.get(arm) ?? arm } };
}

interface StudyArms {
	randomised: boolean;
	labels: Map<string, string>;
	doseGroups: readonly string[];
}

function toDm(p: DmSource, allocation: Allocation | undefined, study: StudyArms): DmRow {
	const rfstdtc = dtc(p.first_dose_at); // SDTMIG DM: reference start = first study drug exposure
	const rfpendtc = dtc(p.last_contact_at);
	const ended = p.status === 'completed' || p.status === 'withdrawn';
	const age = ageInYears(p.birth_year, p.enrolled_on ?? p.first_dose_at);
	const dmdtc = dtc(p.created_at);
	return {
		STUDYID: p.study_code,
		DOMAIN: 'DM',
		USUBJID: usubjid(p),
		SUBJID: p.subject_code,
		RFSTDTC: rfstdtc,
		RFENDTC: ended ? rfpendtc : null,
		RFXSTDTC: rfstdtc,
		RFXENDTC: dtc(p.last_dose_at),
		RFICDTC: dtc(p.first_consent_at ?? p.enrolled_on), // DS: the first consent signed
		RFPENDTC: rfpendtc,
		DTHDTC: dtc(p.death_at),
		DTHFL: Number(p.died) > 0 ? 'Y' : null, // SDTMIG DM: Y or null
		SITEID: p.site_code,
		BRTHDTC: String(p.birth_year), // ISO 8601 reduced precision: only the year is collected
		AGE: age,
		AGEU: age === null ? null : 'YEARS',
		SEX: p.sex, // CDISC CT SEX (C66731), stored as submitted
		...armsOf({
			status: p.status,
			doseGroup: p.dose_group,
			enrolled: p.enrolled_on !== null || p.status === 'enrolled' || p.status === 'completed',
			dosed: p.first_dose_at !== null,
			allocation,
			given: {
				doses:
					p.min_dose_mg === null || p.max_dose_mg === null
						? null
						: { min: Number(p.min_dose_mg), max: Number(p.max_dose_mg) },
				doseGroups: study.doseGroups
			}
		}),
		COUNTRY: p.country, // the site's setting (ISO 3166-1 alpha-3)
		DMDTC: dmdtc, // when the demographics were recorded
		DMDY: studyDay(dmdtc, rfstdtc)
	};
}

/** Whether each study randomises, and its arms' labels, read once per study. */
function studyArmsOf(protocolOf: ProtocolLookup) {
	const cache = new Map<number, Promise<StudyArms>>();
	const load = async (studyId: number): Promise<StudyArms> => {
		const { protocol } = await protocolOf(studyId);
		const r = protocol.randomisation;
		return {
			randomised: r.enabled,
			labels: new Map(r.arms.map((a) => [a.code, a.label])),
			doseGroups: protocol.doseGroups
		};
	};
	return (studyId: number) => {
		if (!cache.has(studyId)) cache.set(studyId, load(studyId));
		return cache.get(studyId)!;
	};
}

export async function* dmRows(
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
): AsyncGenerator<DmRow> {
	const armsOfStudy = studyArmsOf(protocolOf);
	const pages = keysetPages(
		(after: number | null, limit) => dmPage(db, scope, after, limit),
		(last) => last.id,
		scope.pageSize
	);
	for await (const page of pages) {
		for (const p of page) {
			// A randomisation on record counts even if the protocol was later amended.
			const study = await armsOfStudy(p.study_id);
			const known = p.randomised_at ? { ...study, randomised: true } : study;
			yield toDm(p, allocationOf(p, known, scope.arms), study);
		}
	}
}
