// The heavy reads, each a function of a read-only database handle and plain (cloneable)
// arguments. The same functions run in a read worker beside SQLite (reads/worker.ts), in-process
// for an in-memory database, or over a PostgreSQL pool: the code that builds the rows is shared,
// only where it runs differs. Access checks and audit entries stay in the services, before a job
// starts; a job only reads what it is told.
import { CHAIN_COLUMNS, ChainVerifier, type ChainPart } from '../audit/chain';
import { dataAgainstTrail } from '../audit/data-vs-trail';
import type { SigningKey } from '../audit/signing-key';
import type { Executor } from '../db';
import { AUDIT_CSV_COLUMNS, auditCsvRows } from '../export/audit-csv';
import { bundleStream, type BundleSource, type Chunks } from '../export/bundle';
import { closingFiles, type Manifest } from '../export/bundle-manifest';
import { csvChunks, csvStream } from '../export/csv';
import type { SdtmDomain } from '../export/filters';
import { countTransactions, odmDocument, type OdmFile } from '../export/odm';
import type { ExportScope } from '../export/pages';
import { columnsOf, SDTM_DATASETS } from '../export/sdtm/datasets';
import { xptChunks } from '../export/xpt/writer';
import type { DefineStudy } from '../export/define/define-xml';
import { defineDocument } from '../export/define/measure';
import * as auditRepo from '../repositories/audit';
import type { AuditFilter } from '../repositories/audit';
import type { AuditTrailQuery } from '../../schemas/audit-trail';
import { auditTrailPageReads } from '../services/audit/audit';
import { jobContext, type ReadFor } from '../runtime/context';
import { dryRunComparison } from '../services/protocol/dry-run-window';
import { boardViewReads, type BoardViewQuery } from '../services/safety/flag-board';
import { flagsPageReads, type FlagsPageRead } from '../services/safety/flags';
import { siteOverviewReads } from '../services/dashboards/site-overview';
import { participantTimelineReads } from '../services/dashboards/participant-timeline';
import { cohortPageReads, safetySignalsPageReads } from '../services/dashboards/dashboard-views';
import type { DashboardFilters } from '../services/dashboards/cohort';
import { sdvProgressPageReads, sdvProgressViewReads } from '../services/monitoring/sdv-progress';
import type { Participant, Site } from '../db/schema';
import {
	reviewQueueReads,
	reviewQueueViewReads,
	type QueueRead
} from '../services/safety/review-queue';
import { protocolLookup } from '../services/protocol/studies';
import {
	clinicalSources,
	odmSource,
	submissionSources,
	trailSources,
	type TrailOptions
} from '../services/audit/bundle-sources';

export interface BundleJob {
	scope: ExportScope;
	/** The study of odm.xml, or absent when the bundle has none. */
	odmStudyId: number | null;
	/** The study define.xml describes, or null when the bundle has none (as odm.xml). */
	defineStudy: DefineStudy | null;
	trail: TrailOptions;
	createdAt: Date;
	key: SigningKey;
	manifest: Omit<Manifest, 'files' | 'publicKeyFingerprint'>;
}

export const STREAM_JOBS = {
	sdtmCsv(db: Executor, a: { domain: SdtmDomain; scope: ExportScope }): Chunks {
		const dataset = SDTM_DATASETS[a.domain];
		const protocolOf = protocolLookup(db);
		if (dataset.csvFile) return dataset.csvFile(db, a.scope, protocolOf);
		return csvChunks(
			columnsOf(dataset),
			dataset.batches?.(db, a.scope, protocolOf) ?? dataset.rows(db, a.scope, protocolOf)
		);
	},
	sdtmXpt(db: Executor, a: { domain: SdtmDomain; scope: ExportScope; createdAt: Date }): Chunks {
		const dataset = SDTM_DATASETS[a.domain];
		return xptChunks(dataset.spec, dataset.rows(db, a.scope, protocolLookup(db)), a.createdAt);
	},
	defineXml(db: Executor, a: { scope: ExportScope; study: DefineStudy; createdAt: Date }): Chunks {
		return defineDocument(db, a.scope, a.study, a.createdAt, protocolLookup(db));
	},
	odm(db: Executor, a: { scope: ExportScope & { studyId: number }; file: OdmFile }): Chunks {
		return odmDocument(db, a.scope, a.file, protocolLookup(db));
	},
	auditCsv(
		db: Executor,
		a: {
			selection: Omit<AuditFilter, 'limit' | 'order' | 'afterSeq'>;
			codes: Map<number, string>;
			pageSize?: number;
		}
	): Chunks {
		const events = auditRepo.filteredEventsInOrder(db, a.selection, a.pageSize);
		return csvStream(AUDIT_CSV_COLUMNS, auditCsvRows(events, a.codes));
	},
	/** Every file of the auditor bundle from one snapshot, archived, gzipped and signed. */
	bundle(db: Executor, a: BundleJob): Chunks {
		const sources: BundleSource[] = [
			...clinicalSources(db, a.scope, a.trail.upToSeq),
			...submissionSources(db, a.scope, a.createdAt, a.defineStudy),
			...(a.odmStudyId !== null
				? [odmSource(db, { ...a.scope, studyId: a.odmStudyId }, a.createdAt)]
				: []),
			...trailSources(db, a.trail)
		];
		return bundleStream(
			sources,
			async (files) => closingFiles(a.key, a.manifest, files),
			a.createdAt
		);
	}
};

export const VALUE_JOBS = {
	/**
	 * What each download would hold now: rows per SDTM domain, transactions for ODM. A SUPP--
	 * count reads its parent's rows (only the text says how many parts it needs), so this runs
	 * as a read job, off the request thread.
	 */
	async exportCounts(
		db: Executor,
		a: { scope: ExportScope }
	): Promise<Record<SdtmDomain | 'ODM', number>> {
		const counts = { ODM: await countTransactions(db, a.scope) } as Record<
			SdtmDomain | 'ODM',
			number
		>;
		for (const [domain, dataset] of Object.entries(SDTM_DATASETS)) {
			counts[domain as SdtmDomain] = await dataset.count(db, a.scope, protocolLookup(db));
		}
		return counts;
	},
	/** What the active protocol and a candidate would raise on the window's records. */
	protocolDryRun: dryRunComparison,
	/**
	 * One run of the audit chain recomputed: the rows after `afterSeq`, up to `upToSeq` (null: to
	 * the end, and then the recorded head is read in the same snapshot). The runs are walked side
	 * by side and joined (services/audit/audit.ts, audit/chain.ts joinChainParts).
	 */
	async auditChainPart(
		db: Executor,
		a: { afterSeq: number; upToSeq: number | null }
	): Promise<{ part: ChainPart; head: { seq: number; hash: string } | null }> {
		const verifier = new ChainVerifier({ part: true });
		const range = { afterSeq: a.afterSeq, upToSeq: a.upToSeq ?? undefined };
		const values = auditRepo.auditEventValues(db, CHAIN_COLUMNS, range);
		if (values) {
			for (const row of values) if (!verifier.pushValues(row)) break;
		} else {
			walk: for await (const page of auditRepo.auditEventPages(db, range)) {
				for (const row of page) if (!verifier.push(row)) break walk;
			}
		}
		const head = a.upToSeq === null ? ((await auditRepo.auditHead(db)) ?? null) : null;
		return { part: verifier.part(), head };
	},
	/**
	 * Every clinical record against the values its trail replays to (audit/data-vs-trail.ts):
	 * reads every clinical table and its trail, so a read job, beside the chain's recomputation.
	 */
	async dataVsTrail(db: Executor, _a: Record<string, never>) {
		return dataAgainstTrail(db);
	},
	// One job per page view: every read of the page in one snapshot, one round trip to the worker.
	// The service checked access (and wrote any audit entry) before starting it; the job's services
	// run under the caller's actor and instant (jobContext) and return plain, cloneable data.
	/** The review board: a page of cards, its counts, closed flags, SAE clocks, reading times. */
	boardView: (db: Executor, a: { for: ReadFor; query: BoardViewQuery }) =>
		boardViewReads(jobContext(db, a.for), a.query),
	/** A page of GET /api/v1/flags. */
	flagsPage: (db: Executor, a: { for: ReadFor; read: FlagsPageRead }) =>
		flagsPageReads(jobContext(db, a.for), a.read),
	/** A site's overview: today's sessions, late readings, flags, overdue visits, SAE clocks, rates. */
	siteOverview: (db: Executor, a: { for: ReadFor; site: Site; overdueAfter: string | null }) =>
		siteOverviewReads(jobContext(db, a.for), a.site, a),
	/** A participant's timeline: each session's chart, AEs, scale charts, open flags, signatures. */
	participantTimeline: (db: Executor, a: { for: ReadFor; participant: Participant }) =>
		participantTimelineReads(jobContext(db, a.for), a.participant),
	/** The cohort page: the study's context and options, its summaries, lines, scatter, relapse. */
	cohortPage: (
		db: Executor,
		a: { for: ReadFor; filters: DashboardFilters & { lines?: boolean } }
	) => cohortPageReads(jobContext(db, a.for), a.filters),
	/** The safety-signals page: AE incidence, breaches and peak distributions of the study. */
	safetySignalsPage: (db: Executor, a: { for: ReadFor; filters: DashboardFilters }) =>
		safetySignalsPageReads(jobContext(db, a.for), a.filters),
	/** A page of the audit trail explorer (and GET /api/v1/audit) with the reader's sites. */
	auditTrailPage: (db: Executor, a: { for: ReadFor; query: AuditTrailQuery }) =>
		auditTrailPageReads(jobContext(db, a.for), a.query),
	/** The monitoring page's SDV progress: the sites, a page of one site's participants. */
	sdvProgress: (db: Executor, a: Parameters<typeof sdvProgressViewReads>[1]) =>
		sdvProgressViewReads(db, a),
	/** A page of SDV progress for the JSON API: sites and their participants. */
	sdvProgressPage: (db: Executor, a: Parameters<typeof sdvProgressPageReads>[1]) =>
		sdvProgressPageReads(db, a),
	/** A page of the review queue with its counts (the JSON API's list). */
	reviewQueue: (db: Executor, a: QueueRead) => reviewQueueReads(db, a),
	/** The review queue page: the queue, and the site, participant and signing choices. */
	reviewQueueView: (db: Executor, a: { for: ReadFor; read: QueueRead }) =>
		reviewQueueViewReads(jobContext(db, a.for), a.read)
};

export type StreamJobs = typeof STREAM_JOBS;
export type StreamJobName = keyof StreamJobs;
export type StreamJobArgs<K extends StreamJobName> = Parameters<StreamJobs[K]>[1];
export type ValueJobs = typeof VALUE_JOBS;
export type ValueJobName = keyof ValueJobs;
export type ValueJobArgs<K extends ValueJobName> = Parameters<ValueJobs[K]>[1];
export type ValueJobResult<K extends ValueJobName> = Awaited<ReturnType<ValueJobs[K]>>;
