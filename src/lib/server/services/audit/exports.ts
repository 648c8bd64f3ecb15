// Exports for auditors and admins: SDTM domains as CSV and the audited history as CDISC ODM,
// streamed. Access and the audit entry come first; the rows are read only as the client takes them.
import { appendAudit } from '../../audit/log';
import { requireRole } from '../../auth/access';
import type { ServiceContext } from '../../runtime/context';
import type { Executor } from '../../db';
import { writeTransaction } from '../../db/transaction';
import { NotFoundError, ValidationError } from '../../runtime/errors';
import { exportFiltersInput, type ExportFilters, type SdtmDomain } from '../../export/filters';
import { countTransactions } from '../../export/odm';
import type { ExportScope } from '../../export/pages';
import type { DefineStudy } from '../../export/define/define-xml';
import { SDTM_DATASETS } from '../../export/sdtm/datasets';
import type { ExportFile } from '../../export/stream';
import { readsOf } from '../../reads/executor';
import * as sitesRepo from '../../repositories/sites';
import * as studiesRepo from '../../repositories/studies';
import { parseInput } from '../../runtime/validate';
import { clinicalReadScope } from '../people/clinical-access';
import { exportableArms } from './arms-scope';
import { protocolLookup } from '../protocol/studies';

export type { ExportFile };

/** Auditors and admins; the filters read; the sites narrowed to those the reader holds. */
async function scopeOf(
	ctx: ServiceContext,
	input: unknown
): Promise<{ filters: ExportFilters; scope: ExportScope; siteCode: string | null }> {
	requireRole(ctx.actor, 'auditor', 'admin');
	const sites = clinicalReadScope(ctx.actor);
	const filters = parseInput(exportFiltersInput, input);
	const { siteId, studyId, from, to } = filters;
	let siteCode: string | null = null;
	if (siteId !== undefined) {
		const site = await sitesRepo.findSiteById(ctx.db, siteId);
		if (!site || (sites !== 'all' && !sites.includes(siteId))) throw new NotFoundError('Site');
		siteCode = site.code;
	}
	const scope = {
		siteIds: siteId !== undefined ? [siteId] : sites,
		studyId,
		from,
		to,
		arms: await exportableArms(ctx, studyId)
	};
	return { filters, scope, siteCode };
}

/** 'export.create', with what and for whom, before the first row leaves. */
async function auditExport(
	ctx: ServiceContext,
	what: { kind: string; domain: string; filters: ExportFilters; rowCount: number }
): Promise<void> {
	await writeTransaction(ctx.db, (trx) =>
		appendAudit(trx, ctx, {
			action: 'export.create',
			entityType: 'export',
			entityId: null,
			siteId: what.filters.siteId ?? null,
			newValues: what
		})
	);
}

function fileName(kind: string, siteCode: string | null, now: Date, ext: string): string {
	const stamp = now
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
	return `vigil-${kind}${siteCode ? `-${siteCode}` : ''}-${stamp}.${ext}`.replace(/[^\w.-]/g, '_');
}

/** An SDTM dataset's scope and row count; the export is audited before a row leaves. */
async function auditedDataset(
	ctx: ServiceContext,
	domain: SdtmDomain,
	input: unknown,
	kind: 'sdtm-csv' | 'sdtm-xpt'
) {
	const { filters, scope, siteCode } = await scopeOf(ctx, input);
	const reads = readsOf(ctx);
	const rowCount = await SDTM_DATASETS[domain].count(reads.db, scope, protocolLookup(reads.db));
	await auditExport(ctx, { kind, domain, filters, rowCount });
	return { scope, siteCode, reads, rowCount };
}

export async function exportDomainCsv(
	ctx: ServiceContext,
	domain: SdtmDomain,
	input: unknown
): Promise<ExportFile> {
	const { scope, siteCode, reads, rowCount } = await auditedDataset(ctx, domain, input, 'sdtm-csv');
	return {
		filename: fileName(domain.toLowerCase(), siteCode, ctx.now(), 'csv'),
		contentType: 'text/csv; charset=utf-8; header=present',
		stream: reads.stream('sdtmCsv', { domain, scope }),
		rowCountHint: rowCount
	};
}

/** One SDTM dataset as a SAS XPORT v5 transport file (FDA TCG), streamed after one read. */
export async function exportDomainXpt(
	ctx: ServiceContext,
	domain: SdtmDomain,
	input: unknown
): Promise<ExportFile> {
	const { scope, siteCode, reads, rowCount } = await auditedDataset(ctx, domain, input, 'sdtm-xpt');
	const now = ctx.now();
	return {
		filename: fileName(domain.toLowerCase(), siteCode, now, 'xpt'),
		contentType: 'application/x-sas-xport',
		stream: reads.stream('sdtmXpt', { domain, scope, createdAt: now }),
		rowCountHint: rowCount
	};
}

/** The study an ODM file is about: the one named, or the only one there is. */
async function odmStudy(db: Executor, studyId: number | undefined): Promise<number> {
	const studies = await studiesRepo.listStudies(db);
	if (studyId !== undefined) {
		if (!studies.some((s) => s.id === studyId)) throw new NotFoundError('Study');
		return studyId;
	}
	if (studies.length === 1) return studies[0]!.id;
	if (studies.length === 0) throw new NotFoundError('Study');
	throw new ValidationError({ studyId: ['Choose the study: an ODM file describes one.'] });
}

export async function exportOdm(ctx: ServiceContext, input: unknown): Promise<ExportFile> {
	const { filters, scope, siteCode } = await scopeOf(ctx, input);
	const studyId = await odmStudy(ctx.db, filters.studyId);
	const reads = readsOf(ctx);
	const rowCount = await countTransactions(reads.db, scope);
	const now = ctx.now();
	await auditExport(ctx, {
		kind: 'odm-xml',
		domain: 'ODM',
		filters: { ...filters, studyId },
		rowCount
	});
	const fileOid = `VIGIL.ODM.${now.getTime()}`;
	const file = { fileOid, createdAt: now, sourceSystemVersion: '0.1.0' };
	return {
		filename: fileName('odm', siteCode, now, 'xml'),
		contentType: 'application/xml; charset=utf-8',
		stream: reads.stream('odm', { scope: { ...scope, studyId }, file }),
		rowCountHint: rowCount
	};
}

/** The study define.xml describes: its code and title, and the active protocol's version. */
export async function defineStudyOf(db: Executor, studyId: number): Promise<DefineStudy> {
	const study = (await studiesRepo.listStudies(db)).find((s) => s.id === studyId);
	if (!study) throw new NotFoundError('Study');
	const active = await studiesRepo.findActiveProtocol(db, studyId);
	return { code: study.code, title: study.title, protocolVersion: active?.version ?? 'none' };
}

/** define.xml (Define-XML 2.1) for the SDTM datasets these filters give. */
export async function exportDefineXml(ctx: ServiceContext, input: unknown): Promise<ExportFile> {
	const { filters, scope, siteCode } = await scopeOf(ctx, input);
	const studyId = await odmStudy(ctx.db, filters.studyId);
	const reads = readsOf(ctx);
	const now = ctx.now();
	const study = await defineStudyOf(reads.db, studyId);
	await auditExport(ctx, {
		kind: 'define-xml',
		domain: 'DEFINE',
		filters: { ...filters, studyId },
		rowCount: Object.keys(SDTM_DATASETS).length
	});
	return {
		filename: fileName('define', siteCode, now, 'xml'),
		contentType: 'application/xml; charset=utf-8',
		stream: reads.stream('defineXml', { scope: { ...scope, studyId }, study, createdAt: now })
	};
}

export interface ExportOverview {
	filters: ExportFilters;
	/** What each download would hold now: rows per SDTM domain, transactions for ODM. */
	counts: Record<SdtmDomain | 'ODM', number>;
}

/** The counts behind the exports page, read off the request thread; nothing leaves, so nothing is audited. */
export async function exportOverview(ctx: ServiceContext, input: unknown): Promise<ExportOverview> {
	const { filters, scope } = await scopeOf(ctx, input);
	const counts = await readsOf(ctx).value('exportCounts', { scope });
	return { filters, counts };
}
