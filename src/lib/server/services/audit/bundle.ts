// The auditor bundle: one signed .tar.gz with the SDTM domains, the ODM file, the audit trail in a
// form that can be re-verified without the server, flags, signatures and a signed manifest.
// Auditors and admins; audited ('export.create') before anything is read, and the chain head
// right after that entry is the head the manifest signs, so the bundle records its own making.
import { appendAudit, chainHeadNow } from '../../audit/log';
import { latestWitnessed, witnessPath } from '../../audit/witness';
import { FULL_TRAIL_FILE, SCOPED_CHAIN_FILE } from '../../audit/trail-file';
import { loadOrCreateSigningKey, type SigningKey } from '../../audit/signing-key';
import { requireRole } from '../../auth/access';
import type { ServiceContext } from '../../runtime/context';
import type { Executor } from '../../db';
import { writeTransaction } from '../../db/transaction';
import { NotFoundError } from '../../runtime/errors';
import { BUNDLE_FORMAT, type Manifest } from '../../export/bundle-manifest';
import { exportFiltersInput, type ExportFilters } from '../../export/filters';
import type { ExportScope } from '../../export/pages';
import * as sitesRepo from '../../repositories/sites';
import * as studiesRepo from '../../repositories/studies';
import { parseInput } from '../../runtime/validate';
import { auditScope } from './audit';
import { siteCodeMap, stampOf, type AuditDownload } from './audit-export';
import { readsOf } from '../../reads/executor';
import { defineStudyOf } from './exports';
import { exportableArms } from './arms-scope';
import { clinicalReadScope } from '../people/clinical-access';

export interface BundleOptions {
	/** The signing key (default: the server's key file). */
	key?: SigningKey;
	/** Rows per query (tests use small pages to show that nothing is read whole). */
	pageSize?: number;
	/** The witness log whose last line the manifest carries (default: the server's; null: none). */
	witnessFile?: string | null;
}

/** The actor's sites, narrowed to the one the filters name ("not found" if not theirs). */
async function clinicalScope(
	ctx: ServiceContext,
	filters: ExportFilters,
	pageSize: number | undefined
): Promise<ExportScope> {
	const sites = clinicalReadScope(ctx.actor);
	const { siteId, studyId, from, to } = filters;
	if (siteId !== undefined) {
		const site = await sitesRepo.findSiteById(ctx.db, siteId);
		if (!site || (sites !== 'all' && !sites.includes(siteId))) throw new NotFoundError('Site');
	}
	const arms = await exportableArms(ctx, studyId);
	return {
		siteIds: siteId !== undefined ? [siteId] : sites,
		studyId,
		from,
		to,
		pageSize,
		arms
	};
}

/** The study the ODM file describes: the one named, or the only one with an active protocol. */
async function odmStudy(db: Executor, studyId: number | undefined): Promise<number | string> {
	const studies = await studiesRepo.listStudies(db);
	const chosen = studyId ?? (studies.length === 1 ? studies[0]!.id : undefined);
	if (chosen === undefined) {
		return studies.length === 0 ? 'no study' : 'several studies: name one (studyId)';
	}
	const active = await studiesRepo.findActiveProtocol(db, chosen);
	return active ? chosen : 'the study has no active protocol';
}

async function recordBundle(ctx: ServiceContext, filters: ExportFilters) {
	return writeTransaction(ctx.db, async (trx) => {
		const seq = await appendAudit(trx, ctx, {
			action: 'export.create',
			entityType: 'export',
			entityId: null,
			siteId: filters.siteId ?? null,
			newValues: { kind: 'auditor-bundle', filters }
		});
		// The head this append leaves (audit_head is stored at the end of the transaction).
		const head = await chainHeadNow(trx);
		return { seq, head: head! };
	});
}

export async function createAuditorBundle(
	ctx: ServiceContext,
	input: unknown,
	opts: BundleOptions = {}
): Promise<AuditDownload> {
	requireRole(ctx.actor, 'auditor', 'admin');
	const filters = parseInput(exportFiltersInput, input);
	const scope = await clinicalScope(ctx, filters, opts.pageSize);
	const trail = auditScope(ctx);
	const key = opts.key ?? loadOrCreateSigningKey();
	const study = await odmStudy(ctx.db, filters.studyId);
	const { seq, head } = await recordBundle(ctx, filters);
	const createdAt = ctx.now();
	const codes = await siteCodeMap(ctx);
	const manifest = manifestOf(ctx, {
		createdAt,
		filters,
		sites: trail.siteIds === 'all' ? 'all' : trail.siteIds.map((id) => codes.get(id) ?? `#${id}`),
		head,
		exportEventSeq: seq,
		witnessedHead: latestWitnessed(
			opts.witnessFile === undefined ? witnessPath() : opts.witnessFile
		),
		omitted:
			typeof study === 'number'
				? []
				: [
						{ name: 'odm.xml', reason: study },
						{ name: 'define.xml', reason: study }
					]
	});
	const defineStudy = typeof study === 'number' ? await defineStudyOf(ctx.db, study) : null;
	return {
		filename: `vigil-auditor-bundle-${stampOf(createdAt)}.tar.gz`,
		contentType: 'application/gzip',
		// Every file from one snapshot, read, archived and signed off the request thread.
		stream: readsOf(ctx).stream('bundle', {
			scope,
			odmStudyId: typeof study === 'number' ? study : null,
			defineStudy,
			trail: { ...trail, pageSize: opts.pageSize, upToSeq: head.seq, codes },
			createdAt,
			key,
			manifest
		})
	};
}

type ManifestBody = Omit<Manifest, 'files' | 'publicKeyFingerprint'>;

/** Everything the manifest says but the files' hashes, which come as the files are written. */
function manifestOf(
	ctx: ServiceContext,
	m: Pick<ManifestBody, 'filters' | 'omitted'> & {
		createdAt: Date;
		sites: ManifestBody['scope']['sites'];
		head: ManifestBody['auditTrail']['head'];
		exportEventSeq: number;
		witnessedHead: ManifestBody['auditTrail']['witnessedHead'];
	}
): ManifestBody {
	const form = m.sites === 'all' ? 'full' : 'scoped';
	return {
		format: BUNDLE_FORMAT,
		createdAt: m.createdAt.toISOString(),
		createdBy: manifestActor(ctx),
		scope: { sites: m.sites },
		filters: m.filters,
		auditTrail: {
			file: form === 'full' ? FULL_TRAIL_FILE : SCOPED_CHAIN_FILE,
			form,
			head: m.head,
			exportEventSeq: m.exportEventSeq,
			witnessedHead: m.witnessedHead
		},
		omitted: m.omitted
	};
}

function manifestActor(ctx: ServiceContext): Manifest['createdBy'] {
	const a = ctx.actor;
	if (a.kind === 'user') return { id: a.id, label: `${a.name} <${a.email}>`, role: a.role };
	return { id: null, label: a.kind === 'system' ? a.label : 'anonymous', role: a.kind };
}
