// AdminData: a User for every person or operator in the file's audit records and signatures, a
// Location for every site, and a SignatureDef for each meaning a signature can carry.
import type { Executor } from '../../db';
import { SIGNATURE_MEANINGS } from '../../../domain/signatures';
import { siteIn, type ExportScope } from '../pages';
import { el, textEl, type Markup } from '../xml';
import { auditActors } from './audit-query';

/** OIDs are plain text in ODM; keep them to letters, digits, dot, dash and underscore. */
export const oidPart = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_');

export function userOid(actorId: number | null, label: string): string {
	return actorId === null ? `U.SYSTEM.${oidPart(label)}` : `U.${actorId}`;
}

export const signatureDefOid = (meaning: string) => `SD.${oidPart(meaning.toUpperCase())}`;

export interface AdminRefs {
	/** site id → Location OID */
	locations: Map<number, string>;
}

const USER_TYPES: Record<string, string> = { investigator: 'Investigator' };

async function usersXml(db: Executor, scope: ExportScope): Promise<Markup[]> {
	const seen = new Set<string>();
	const users: Markup[] = [];
	for (const a of await auditActors(db, scope)) {
		const oid = userOid(a.actor_id, a.actor_label);
		if (seen.has(oid)) continue;
		seen.add(oid);
		users.push(
			el(
				'User',
				{ OID: oid, UserType: USER_TYPES[a.role ?? ''] ?? 'Other' },
				textEl('LoginName', a.actor_label),
				textEl('FullName', a.name ?? a.actor_label)
			)
		);
	}
	return users;
}

function signatureDefs(): Markup[] {
	// 21 CFR 11.50(a)(3): the meaning (review, approval, responsibility) shown with a signature
	return Object.entries(SIGNATURE_MEANINGS).map(([meaning, m]) =>
		el(
			'SignatureDef',
			{ OID: signatureDefOid(meaning), Methodology: 'Electronic' },
			textEl('Meaning', m.label),
			textEl('LegalReason', `${m.says} (21 CFR Part 11 electronic signature)`)
		)
	);
}

/** AdminData for the study, and the Location OIDs transactions refer to. */
export async function adminData(
	db: Executor,
	scope: ExportScope,
	study: { oid: string; mdvOid: string }
): Promise<{ xml: Markup; refs: AdminRefs }> {
	const sites = await db
		.selectFrom('site')
		.select(['id', 'code', 'name', 'created_at'])
		.where(siteIn('id', scope.siteIds))
		.orderBy('id')
		.execute();
	const locations = new Map(sites.map((s) => [s.id, `LOC.${oidPart(s.code)}`]));
	const locationXml = sites.map((s) =>
		el(
			'Location',
			{ OID: locations.get(s.id), Name: `${s.code} ${s.name}`, LocationType: 'Site' },
			el('MetaDataVersionRef', {
				StudyOID: study.oid,
				MetaDataVersionOID: study.mdvOid,
				EffectiveDate: s.created_at.slice(0, 10)
			})
		)
	);
	const xml = el(
		'AdminData',
		{ StudyOID: study.oid },
		...(await usersXml(db, scope)),
		...locationXml,
		...signatureDefs()
	);
	return { xml, refs: { locations } };
}
