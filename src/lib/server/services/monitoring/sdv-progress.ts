// SDV progress per site and participant, counted in fields, read from sdv_record_status (kept by
// each write: ./sdv-summary.ts) with GROUP BY: a view costs the sites in scope and one page of
// participants, not every record's fields. The page shows every site and one site's participants
// a page at a time; the JSON API pages through sites and participants with a cursor.
import { decodeCursor, pageOf, type CursorKey, type Page } from '../../api/cursor';
import type { Executor } from '../../db';
import type { ServiceContext } from '../../runtime/context';
import { readsOf } from '../../reads/executor';
import * as repo from '../../repositories/sdv-summary';
import type { SdvStatusRow } from '../../repositories/sdv-summary';
import { eachRowNotRebuilt } from './sdv-summary';
import { clinicalReadScope } from '../people/clinical-access';

export interface SdvProgress {
	siteCode: string;
	participantId: number | null;
	subjectCode: string | null;
	/** Records the protocol asks to verify, and those with every field verified. */
	records: number;
	recordsVerified: number;
	/** Fields to verify on those records, verified, and verified once but changed since. */
	required: number;
	verified: number;
	changed: number;
}

/** Participants of one site a page of the monitoring page shows. */
export const SDV_PAGE_PARTICIPANTS = 100;

const counts = (r: repo.ProgressSums) => ({
	records: Number(r.records),
	recordsVerified: Number(r.records_verified),
	required: Number(r.required),
	verified: Number(r.verified),
	changed: Number(r.changed)
});

const siteRow = (s: { site_code: string } & repo.ProgressSums): SdvProgress => ({
	siteCode: s.site_code,
	participantId: null,
	subjectCode: null,
	...counts(s)
});

const participantRow = (
	siteCode: string,
	p: { participant_id: number; subject_code: string } & repo.ProgressSums
): SdvProgress => ({
	siteCode,
	participantId: p.participant_id,
	subjectCode: p.subject_code,
	...counts(p)
});

export interface SdvProgressView {
	/** Every site in scope with a record to verify (participantId null). */
	sites: SdvProgress[];
	/** The site whose participants are shown (the one asked for, or the first). */
	site: string | null;
	participants: SdvProgress[];
	/** The cursor of the site's next page of participants, null on the last. */
	next: string | null;
}

type ParticipantKey = [subjectCode: string, id: number];

// While a study's summary is being rebuilt after an activation (./sdv-summary.ts, sdv_rebuild),
// its rows are part new settings (those the rebuild has done), part old: its progress counts the
// rows done and computes the rest from the records (the rebuild's own code, nothing written);
// every other study is read from the summary as always.

/** Adds a row to the sums under this key. */
function addRow(sums: Map<number, repo.ProgressSums>, key: number, r: SdvStatusRow): void {
	const s = sums.get(key) ?? {
		records: 0,
		records_verified: 0,
		required: 0,
		verified: 0,
		changed: 0
	};
	sums.set(key, {
		records: Number(s.records) + 1,
		records_verified: Number(s.records_verified) + (r.status === 'verified' ? 1 : 0),
		required: Number(s.required) + r.field_count,
		verified: Number(s.verified) + r.fields_verified,
		changed: Number(s.changed) + r.fields_changed
	});
}

const addSums = (a: repo.ProgressSums | undefined, b: repo.ProgressSums): repo.ProgressSums => ({
	records: Number(a?.records ?? 0) + Number(b.records),
	records_verified: Number(a?.records_verified ?? 0) + Number(b.records_verified),
	required: Number(a?.required ?? 0) + Number(b.required),
	verified: Number(a?.verified ?? 0) + Number(b.verified),
	changed: Number(a?.changed ?? 0) + Number(b.changed)
});

/** Each site's progress (repo.siteProgress), what the rebuilds under way have not done computed. */
async function siteProgress(
	db: Executor,
	siteIds: number[] | 'all',
	rebuilds: repo.SdvRebuild[]
): Promise<Array<repo.ProgressSums & { site_id: number; site_code: string }>> {
	if (rebuilds.length === 0) return repo.siteProgress(db, siteIds);
	const sums = await repo.siteSumsCounted(db, siteIds, rebuilds);
	const inScope = siteIds === 'all' ? null : new Set(siteIds);
	for (const state of rebuilds) {
		const computed = new Map<number, repo.ProgressSums>();
		await eachRowNotRebuilt(db, state, undefined, (r) => {
			if (!inScope || inScope.has(r.site_id)) addRow(computed, r.site_id, r);
		});
		for (const [site, s] of computed) sums.set(site, addSums(sums.get(site), s));
	}
	return (await repo.sitesInOrder(db, siteIds)).flatMap((s) => {
		const found = sums.get(s.site_id);
		return found && Number(found.records) > 0 ? [{ ...s, ...found }] : [];
	});
}

/**
 * A page of one site's participants (repo.participantProgress), what the rebuilds under way have
 * not done computed.
 */
async function participantProgress(
	db: Executor,
	rebuilds: repo.SdvRebuild[],
	f: { siteId: number; after: ParticipantKey | null; limit: number }
): Promise<Array<repo.ProgressSums & { participant_id: number; subject_code: string }>> {
	if (rebuilds.length === 0) return repo.participantProgress(db, f);
	const listed = await repo.participantSumsCounted(db, { ...f, states: rebuilds });
	const studies = new Set(listed.map((p) => p.study_id));
	const computed = new Map<number, repo.ProgressSums>();
	for (const state of rebuilds.filter((r) => studies.has(r.study_id))) {
		await eachRowNotRebuilt(db, state, f.siteId, (r) => addRow(computed, r.participant_id, r));
	}
	const out: Array<repo.ProgressSums & { participant_id: number; subject_code: string }> = [];
	for (const p of listed) {
		const more = computed.get(p.participant_id);
		const sums = more ? addSums(p, more) : p;
		if (Number(sums.records) === 0) continue;
		out.push({ participant_id: p.participant_id, subject_code: p.subject_code, ...sums });
		if (out.length === f.limit) break;
	}
	return out;
}

/** The monitoring page's progress: the sites, and a page of one site's participants. */
export async function sdvProgressView(
	ctx: ServiceContext,
	q: { site?: string; cursor?: string }
): Promise<SdvProgressView> {
	const siteIds = clinicalReadScope(ctx.actor);
	const after = decodeCursor(q.cursor, ['string', 'number']) as ParticipantKey | null;
	return readsOf(ctx).value('sdvProgress', {
		siteIds,
		site: q.site ?? null,
		after,
		limit: SDV_PAGE_PARTICIPANTS
	});
}

/** The read job behind sdvProgressView: the caller's sites were settled before it started. */
export async function sdvProgressViewReads(
	db: Executor,
	a: { siteIds: number[] | 'all'; site: string | null; after: ParticipantKey | null; limit: number }
): Promise<SdvProgressView> {
	const rebuilds = await repo.rebuilds(db);
	const sites = await siteProgress(db, a.siteIds, rebuilds);
	const chosen = sites.find((s) => s.site_code === a.site) ?? sites[0];
	if (!chosen) return { sites: [], site: null, participants: [], next: null };
	const rows = await participantProgress(db, rebuilds, {
		siteId: chosen.site_id,
		after: chosen.site_code === a.site ? a.after : null,
		limit: a.limit + 1
	});
	const page = pageOf(
		rows,
		a.limit,
		(r) => [r.subject_code, r.participant_id],
		(r) => participantRow(chosen.site_code, r)
	);
	return { sites: sites.map(siteRow), site: chosen.site_code, ...withNext(page) };
}

const withNext = (page: Page<SdvProgress>) => ({ participants: page.items, next: page.next });

/** Where a page of the API list ends: the site, then '' and 0 for its own row. */
type ListKey = [siteCode: string, subjectCode: string, participantId: number];
const keyOf = (r: SdvProgress): CursorKey => [
	r.siteCode,
	r.subjectCode ?? '',
	r.participantId ?? 0
];

/**
 * The JSON API's list: each site's row, then its participants' rows by subject code, site by
 * site in code order (the order the list always had), `limit` rows a page.
 */
export async function sdvProgressPage(
	ctx: ServiceContext,
	q: { limit: number; cursor?: string }
): Promise<Page<SdvProgress>> {
	const siteIds = clinicalReadScope(ctx.actor);
	const after = decodeCursor(q.cursor, ['string', 'string', 'number']) as ListKey | null;
	return readsOf(ctx).value('sdvProgressPage', { siteIds, after, limit: q.limit });
}

/** The read job behind sdvProgressPage. */
export async function sdvProgressPageReads(
	db: Executor,
	a: { siteIds: number[] | 'all'; after: ListKey | null; limit: number }
): Promise<Page<SdvProgress>> {
	const rows: SdvProgress[] = [];
	const after = a.after;
	// Compared as the cursor is (code units), whatever the database's collation.
	const rebuilds = await repo.rebuilds(db);
	const sites = (await siteProgress(db, a.siteIds, rebuilds)).sort((x, y) =>
		x.site_code < y.site_code ? -1 : x.site_code > y.site_code ? 1 : 0
	);
	for (const s of sites) {
		if (rows.length > a.limit) break;
		if (after && s.site_code < after[0]) continue;
		const within = after !== null && s.site_code === after[0];
		if (!within) rows.push(siteRow(s));
		const from: ParticipantKey | null = within && after[1] !== '' ? [after[1], after[2]] : null;
		const page = await participantProgress(db, rebuilds, {
			siteId: s.site_id,
			after: from,
			limit: a.limit + 1 - rows.length
		});
		rows.push(...page.map((p) => participantRow(s.site_code, p)));
	}
	return pageOf(rows, a.limit, keyOf, (r) => r);
}
