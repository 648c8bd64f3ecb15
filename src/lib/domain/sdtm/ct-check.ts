// Is every controlled term Vigil writes in the CT package its files claim? A term a CDISC
// codelist does not publish in that release is either a sponsor extension, declared as one (and
// only where the codelist is extensible; define.xml marks it def:ExtendedValue="Yes"), or a
// defect: a reviewer's validator reports it against the package the define.xml names.
import { CODELISTS, type Codelist } from './codelists';
import { DECLARED_CT, SDTM_CT_2025_03_28, type CtPackage } from './ct-package';

/** Every package Vigil knows, by release date (def:Standard/@Version). */
export const CT_PACKAGES: Readonly<Record<string, CtPackage>> = {
	[SDTM_CT_2025_03_28.version]: SDTM_CT_2025_03_28
};

/** Why a term of codelist `code` may not be written under package `pkg`, or null when it may. */
export function ctTermFinding(
	pkg: CtPackage,
	code: string,
	term: string,
	extended: boolean
): string | null {
	const list = pkg.codelists[code];
	const where = `CT ${pkg.version} codelist ${code}`;
	if (!list) return `codelist ${code} is not in CT ${pkg.version}`;
	const published = list.terms.includes(term);
	if (published && extended) return `"${term}" is published in ${where}, not a sponsor extension`;
	if (published) return null;
	if (!extended) return `"${term}" is not in ${where} (${list.name})`;
	return list.extensible ? null : `"${term}" extends ${where}, which is not extensible`;
}

/** Findings for Vigil's codelists (or the ones given) against a package; empty when they fit. */
export function ctFindings(
	codelists: Readonly<Record<string, Codelist>> = CODELISTS,
	pkg: CtPackage = DECLARED_CT
): string[] {
	const out: string[] = [];
	for (const [id, list] of Object.entries(codelists)) {
		if (!list.nciCode) continue; // sponsor-defined: no package speaks for it
		const published = pkg.codelists[list.nciCode];
		if (!published) {
			out.push(`${id}: codelist ${list.nciCode} is not in CT ${pkg.version}`);
			continue;
		}
		if (published.extensible !== list.extensible) {
			const says = published.extensible ? 'extensible' : 'not extensible';
			out.push(`${id}: CT ${pkg.version} says ${list.nciCode} is ${says}`);
		}
		if (list.terms === 'ISO 3166-1 alpha-3') continue; // an external dictionary
		const extended = new Set(list.extended ?? []);
		for (const term of extended) {
			if (!list.terms.includes(term)) out.push(`${id}: extension "${term}" is never written`);
		}
		for (const term of list.terms) {
			const finding = ctTermFinding(pkg, list.nciCode, term, extended.has(term));
			if (finding) out.push(`${id}: ${finding}`);
		}
	}
	return out;
}
