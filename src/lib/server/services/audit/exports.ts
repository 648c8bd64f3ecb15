// Exports for auditors and admins: SDTM domains as CSV and the audited history as CDISC ODM,
// streamed. Access and the audit entry come first; the rows are read only as the client takes them.
import { appendAudit } from '../../audit/log';
import { requireRole } from '../../auth/access';
import type { ServiceContext } from '../../runtime/context';
import type { Executor } from '../../db';
import { writeTransaction } from '../../db/transaction';
import { NotFoundError, ValidationError } from '../../runtime/errors';
import { csvStream, type CsvRow } from '../../export/csv';
import { exportFiltersInput, type ExportFilters, type SdtmDomain } from '../../export/filters';
import { countTransactions, odmDocument } from '../../export/odm';
import type { ExportScope } from '../../export/pages';
import { AE_COLUMNS, aeRows, countAe } from '../../export/sdtm/ae';
import { countDm, DM_COLUMNS, dmRows } from '../../export/sdtm/dm';
import { countQs, QS_COLUMNS, qsRows } from '../../export/sdtm/qs';
import { countVs, VS_COLUMNS, vsRows } from '../../export/sdtm/vs';
import { textStream, type ExportFile } from '../../export/stream';
import * as sitesRepo from '../../repositories/sites';
import * as studiesRepo from '../../repositories/studies';
import { parseInput } from '../../runtime/validate';
import { clinicalReadScope } from '../people/clinical-access';
import { protocolLookup } from '../protocol/studies';

export type { ExportFile };

interface Writer {
	columns: readonly string[];
	rows: (db: Executor, scope: ExportScope) => AsyncIterable<CsvRow<string>>;
	count: (db: Executor, scope: ExportScope) => Promise<number>;
}

const WRITERS: Record<SdtmDomain, Writer> = {
	DM: { columns: DM_COLUMNS, rows: dmRows, count: countDm },
	VS: {
		columns: VS_COLUMNS,
		rows: (db, scope) => vsRows(db, scope, protocolLookup(db)),
		count: countVs
	},
	AE: { columns: AE_COLUMNS, rows: aeRows, count: countAe },
	QS: { columns: QS_COLUMNS, rows: qsRows, count: countQs }
};

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
	const scope = { siteIds: siteId !== undefined ? [siteId] : sites, studyId, from, to };
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

export async function exportDomainCsv(
	ctx: ServiceContext,
	domain: SdtmDomain,
	input: unknown
): Promise<ExportFile> {
	const { filters, scope, siteCode } = await scopeOf(ctx, input);
	const writer = WRITERS[domain];
	const rowCount = await writer.count(ctx.db, scope);
	await auditExport(ctx, { kind: 'sdtm-csv', domain, filters, rowCount });
	return {
		filename: fileName(domain.toLowerCase(), siteCode, ctx.now(), 'csv'),
		contentType: 'text/csv; charset=utf-8; header=present',
		stream: csvStream(writer.columns, writer.rows(ctx.db, scope)),
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
	const rowCount = await countTransactions(ctx.db, scope);
	const now = ctx.now();
	await auditExport(ctx, {
		kind: 'odm-xml',
		domain: 'ODM',
		filters: { ...filters, studyId },
		rowCount
	});
	const fileOid = `VIGIL.ODM.${now.getTime()}`;
	const doc = odmDocument(
		ctx.db,
		{ ...scope, studyId },
		{
			fileOid,
			createdAt: now,
			sourceSystemVersion: '0.1.0'
		},
		protocolLookup(ctx.db)
	);
	return {
		filename: fileName('odm', siteCode, now, 'xml'),
		contentType: 'application/xml; charset=utf-8',
		stream: textStream(doc),
		rowCountHint: rowCount
	};
}

export interface ExportOverview {
	filters: ExportFilters;
	/** What each download would hold now: rows per SDTM domain, transactions for ODM. */
	counts: Record<SdtmDomain | 'ODM', number>;
}

/** The cheap COUNT queries behind the exports page; nothing leaves, so nothing is audited. */
export async function exportOverview(ctx: ServiceContext, input: unknown): Promise<ExportOverview> {
	const { filters, scope } = await scopeOf(ctx, input);
	const counts = { ODM: await countTransactions(ctx.db, scope) } as ExportOverview['counts'];
	for (const [domain, writer] of Object.entries(WRITERS)) {
		counts[domain as SdtmDomain] = await writer.count(ctx.db, scope);
	}
	return { filters, counts };
}
