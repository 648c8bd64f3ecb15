// The controlled terms Vigil writes against the CT package its files claim: a term a CDISC
// codelist does not publish in that release fails here unless it is a declared sponsor extension
// of an extensible list.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	CODELISTS,
	CT_PACKAGES,
	ctFindings,
	ctTermFinding,
	DECLARED_CT,
	type Codelist,
	type CtPackage
} from '../../../src/lib/domain/sdtm';

const lists = CODELISTS as Readonly<Record<string, Codelist>>;
const published = (code: string) => DECLARED_CT.codelists[code]!.terms;

describe('controlled terminology version', () => {
	it('declares a package Vigil holds, and every CDISC codelist Vigil writes is in it', () => {
		expect(CT_PACKAGES[DECLARED_CT.version]).toBe(DECLARED_CT);
		expect(DECLARED_CT.version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(ctFindings()).toEqual([]);
		// The check does look at the lists: each CDISC one is in the package with its terms.
		const cdisc = Object.values(lists).filter((l) => l.nciCode);
		expect(cdisc.length).toBeGreaterThan(10);
		for (const l of cdisc) expect(DECLARED_CT.codelists).toHaveProperty(l.nciCode!);
	});

	it('fails a term the declared release does not publish in a non-extensible list', () => {
		const withTerm = (term: string) => ({
			...lists,
			AESEV: { ...lists.AESEV!, terms: [...(lists.AESEV!.terms as string[]), term] }
		});
		expect(ctFindings(withTerm('LIFE THREATENING'))).toEqual([
			'AESEV: "LIFE THREATENING" is not in CT 2025-03-28 codelist C66769 (AESEV)'
		]);
		// Declaring it an extension does not help: sponsors may not extend C66769.
		const declared = {
			...withTerm('LIFE THREATENING'),
			AESEV: { ...withTerm('LIFE THREATENING').AESEV, extended: ['LIFE THREATENING'] }
		};
		expect(ctFindings(declared)).toEqual([
			'AESEV: "LIFE THREATENING" extends CT 2025-03-28 codelist C66769, which is not extensible'
		]);
		fc.assert(
			fc.property(fc.string({ minLength: 1 }), (term) => {
				fc.pre(!published('C66769').includes(term));
				expect(ctFindings(withTerm(term))).toHaveLength(1);
			})
		);
	});

	it('takes an undeclared extra term in an extensible list as a defect, a declared one as an extension', () => {
		const unit = (terms: string[], extended?: string[]) => ({
			...lists,
			UNIT: { ...lists.UNIT!, terms, ...(extended ? { extended } : {}) }
		});
		expect(ctFindings(unit(['mg', 'capsules']))).toEqual([
			'UNIT: "capsules" is not in CT 2025-03-28 codelist C71620 (UNIT)'
		]);
		expect(ctFindings(unit(['mg', 'capsules'], ['capsules']))).toEqual([]);
		expect(ctFindings(unit(['mg'], ['mg', 'capsules']))).toEqual([
			'UNIT: extension "capsules" is never written',
			'UNIT: "mg" is published in CT 2025-03-28 codelist C71620, not a sponsor extension'
		]);
	});

	it('fails when the declared release lacks a term or a codelist, or disagrees on extensibility', () => {
		const older: CtPackage = {
			...DECLARED_CT,
			version: '2016-03-25',
			codelists: {
				...DECLARED_CT.codelists,
				C66741: { ...DECLARED_CT.codelists.C66741!, terms: ['DIABP', 'PULSE', 'SYSBP', 'TEMP'] },
				C142179: { ...DECLARED_CT.codelists.C142179!, extensible: false }
			}
		};
		delete (older.codelists as Record<string, unknown>).C100129;
		expect(ctFindings(CODELISTS, older)).toEqual([
			'ARMNRS: CT 2016-03-25 says C142179 is not extensible',
			'VSTESTCD: "VSALL" is not in CT 2016-03-25 codelist C66741 (VSTESTCD)',
			'QSCAT: codelist C100129 is not in CT 2016-03-25'
		]);
		expect(ctTermFinding(older, 'C99999', 'X', false)).toBe(
			'codelist C99999 is not in CT 2016-03-25'
		);
	});
});
