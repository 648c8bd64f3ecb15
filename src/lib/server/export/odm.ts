// One CDISC ODM 1.3.2 Transactional document, streamed: the study's metadata, AdminData, then
// ClinicalData in which every audited change of a clinical record is a transaction, in the order
// of the audit trail, read a keyset page at a time (DOMAIN.md §4).
import type { Executor } from '../db';
import { adminData, oidPart, userOid } from './odm/admin';
import { auditPage, type AuditSource } from './odm/audit-query';
import {
	contextKey,
	contextsFor,
	targetOf,
	VISIT_PLAN_ACTIONS,
	visitKindsFor
} from './odm/context';
import { studyXml, type StudyInfo } from './odm/metadata';
import { transactionXml, valuesOf, visitPlanXml, type Flat, type Refs } from './odm/transactions';
import { keysetPages, PAGE_SIZE, type ExportScope } from './pages';
import type { ProtocolLookup } from './protocols';
import { closeTag, concat, NEWLINE, openTag, XML_DECLARATION, type Markup } from './xml';

export { countTransactions } from './odm/audit-query';

const ODM_NS = 'http://www.cdisc.org/ns/odm/v1.3';

export interface OdmFile {
	fileOid: string;
	createdAt: Date;
	sourceSystemVersion: string;
}

async function studyInfo(protocolOf: ProtocolLookup, studyId: number): Promise<StudyInfo> {
	const { study, protocol, protocolVersionId } = await protocolOf(studyId);
	return {
		oid: `ST.${oidPart(study.code)}`,
		code: study.code,
		title: study.title,
		mdvOid: `MDV.${protocolVersionId}`,
		protocolVersion: protocol.version,
		visits: protocol.visits.map((v) => ({ code: v.code, label: v.label, kind: v.kind }))
	};
}

/** A correction that moves a scale to another visit names the visit by id; the file by code. */
function visitCodes(db: Executor) {
	const cache = new Map<number, string | null>();
	return async (values: Flat): Promise<Flat> => {
		const id = values.visitId;
		if (id === undefined) return values;
		const { visitId: _, ...rest } = values;
		if (typeof id !== 'number') return { ...rest, visit: null };
		if (!cache.has(id)) {
			const v = await db
				.selectFrom('visit')
				.select('visit_code')
				.where('id', '=', id)
				.limit(1)
				.executeTakeFirst();
			cache.set(id, v?.visit_code ?? null);
		}
		return { ...rest, visit: cache.get(id) ?? null };
	};
}

async function* clinicalData(
	db: Executor,
	scope: ExportScope & { studyId: number },
	locations: Map<number, string>
): AsyncGenerator<Markup> {
	const withVisitCode = visitCodes(db);
	const pages = keysetPages(
		(after: number | null, limit) => auditPage(db, scope, after, limit),
		(last: AuditSource) => last.seq,
		scope.pageSize
	);
	for await (const page of pages) {
		const contexts = await contextsFor(db, page);
		const kinds = await visitKindsFor(db, page, scope.pageSize ?? PAGE_SIZE);
		for (const e of page) {
			const target = targetOf(e);
			const c = target && contexts.get(contextKey(target));
			if (!target || !c || c.studyId !== scope.studyId) continue;
			const refs: Refs = {
				user: userOid(e.actor_id, e.actor_label),
				location: locations.get(e.site_id ?? -1) ?? 'LOC.UNKNOWN'
			};
			// Each transaction is yielded as it is written: a page's whole text (a megabyte or more)
			// held as one string lived long enough to fill the old generation with dead pages.
			if (VISIT_PLAN_ACTIONS.includes(e.action)) {
				yield visitPlanXml(e, c, (code) => kinds.get(`${target.id}:${code}`), refs);
				continue;
			}
			const values = await withVisitCode(valuesOf(e));
			yield transactionXml(e, target, c, values, refs);
		}
	}
}

/** The whole document as text pieces, written as the pages are read. */
export async function* odmDocument(
	db: Executor,
	scope: ExportScope & { studyId: number },
	file: OdmFile,
	protocolOf: ProtocolLookup
): AsyncGenerator<Markup> {
	const study = await studyInfo(protocolOf, scope.studyId);
	yield XML_DECLARATION;
	yield concat(
		openTag('ODM', {
			xmlns: ODM_NS,
			ODMVersion: '1.3.2',
			FileType: 'Transactional',
			FileOID: file.fileOid,
			CreationDateTime: file.createdAt.toISOString(),
			Originator: 'Vigil',
			SourceSystem: 'Vigil',
			SourceSystemVersion: file.sourceSystemVersion
		}),
		NEWLINE
	);
	yield concat(studyXml(study), NEWLINE);
	const admin = await adminData(db, scope, study);
	yield concat(admin.xml, NEWLINE);
	const clinical = { StudyOID: study.oid, MetaDataVersionOID: study.mdvOid };
	yield concat(openTag('ClinicalData', clinical), NEWLINE);
	yield* clinicalData(db, scope, admin.refs.locations);
	yield concat(closeTag('ClinicalData'), NEWLINE, closeTag('ODM'), NEWLINE);
}
