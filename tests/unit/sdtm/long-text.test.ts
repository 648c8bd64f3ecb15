// Text over 200 bytes (SDTMIG v3.4 §4.5.3.2): cut into parts a SAS XPORT v5 file can hold, the
// rest in SUPP--, and nothing lost.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	AE,
	CM,
	DM,
	DS,
	DV,
	EX,
	hasSupp,
	isNumeric,
	qlabelOf,
	qnamOf,
	QnamTable,
	qnamTableOf,
	overBytes,
	utf8Length,
	QS,
	specFindings,
	splitLongText,
	splitText,
	suppSpec,
	SV,
	TV,
	VS,
	type DatasetSpec
} from '../../../src/lib/domain/sdtm';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
/** No lone surrogate: each part is whole code points. */
const wellFormed = (s: string) => !/\p{Cs}/u.test(s);

// Text as people type it: words of Latin, Norwegian, Greek, CJK and emoji, with the odd long word.
const word = fc.oneof(
	fc.stringMatching(/^[a-zæøå]{1,12}$/),
	fc.constantFrom('Ø', 'ç', 'δοκιμή', '発作', '😀', '👩‍⚕️', 'e\u0301'),
	fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
	fc.stringMatching(/^[a-z]{150,320}$/)
);
const text = fc
	.array(fc.tuple(word, fc.constantFrom(' ', '  ', '\n', ', ')), { maxLength: 120 })
	.map((ws) => ws.map(([w, sep]) => w + sep).join(''));
const anyText = fc.oneof(text, fc.string({ unit: 'binary', maxLength: 900 }));

describe('splitText', () => {
	it('gives back the text exactly, in parts of at most 200 bytes of whole code points', () => {
		fc.assert(
			fc.property(anyText, (t) => {
				const parts = splitText(t);
				expect(parts.join('')).toBe(t);
				for (const p of parts) {
					expect(bytes(p)).toBeLessThanOrEqual(200);
					if (parts.length > 1) expect(p.length).toBeGreaterThan(0);
				}
				if (wellFormed(t)) for (const p of parts) expect(wellFormed(p)).toBe(true);
			}),
			{ numRuns: 400 }
		);
	});

	it('leaves text within 200 bytes untouched, as one part', () => {
		fc.assert(
			fc.property(anyText, (t) => {
				fc.pre(bytes(t) <= 200);
				expect(splitText(t)).toEqual([t]);
			})
		);
		expect(splitText('')).toEqual(['']);
		expect(splitText('x'.repeat(200))).toEqual(['x'.repeat(200)]);
		expect(splitText('ø'.repeat(100))).toEqual(['ø'.repeat(100)]); // 200 bytes
	});

	it('cuts between words: a part ends on a word and the next starts with the space', () => {
		fc.assert(
			fc.property(fc.array(fc.stringMatching(/^[a-z]{1,20}$/), { minLength: 30 }), (ws) => {
				const t = ws.join(' ');
				const parts = splitText(t);
				parts.slice(0, -1).forEach((p, i) => {
					expect(p).not.toMatch(/\s$/); // SAS drops trailing blanks: none to drop
					expect(parts[i + 1]).toMatch(/^ /);
				});
				// Every word is whole in one part.
				expect(parts.flatMap((p) => p.split(' ')).filter(Boolean)).toEqual(ws);
			})
		);
	});

	it('splits the 201st byte off, and never inside a two-, three- or four-byte character', () => {
		expect(splitText('x'.repeat(201))).toEqual(['x'.repeat(200), 'x']);
		// 'ø' is 2 bytes: 100 fit, the 101st starts the next part.
		expect(splitText('ø'.repeat(101))).toEqual(['ø'.repeat(100), 'ø']);
		// '発' is 3 bytes: 66 make 198 bytes; a 67th would be 201.
		expect(splitText('発'.repeat(70))).toEqual(['発'.repeat(66), '発'.repeat(4)]);
		// '😀' is 4 bytes and two UTF-16 units: 50 make 200 bytes.
		expect(splitText('😀'.repeat(51))).toEqual(['😀'.repeat(50), '😀']);
		expect(splitText('a' + '😀'.repeat(50))).toEqual(['a' + '😀'.repeat(49), '😀']);
	});

	it('cuts a 450-character description into three parts at spaces', () => {
		const t = Array.from({ length: 90 }, (_, i) => `w${String(i).padStart(3, '0')}`).join(' ');
		expect(t).toHaveLength(449);
		const parts = splitText(t);
		expect(parts.map(bytes)).toEqual([199, 200, 50]);
		expect(parts[0]).toMatch(/w039$/);
		expect(parts[1]).toMatch(/^ w040/);
	});
});

describe('QNAM and QLABEL', () => {
	it('are the name and label with the number, within 8 and 40 characters', () => {
		expect(qnamOf('AETERM', 1)).toBe('AETERM1');
		expect(qnamOf('DVTERM', 2)).toBe('DVTERM2');
		expect(qnamOf('CMDOSFRQ', 1)).toBe('CMDOSFR1');
		expect(qnamOf('AETERM', 10)).toBe('AETERM10');
		expect(qnamOf('CMDOSFRQ', 10)).toBe('CMDOSF10');
		expect(qlabelOf('Reported Term for the Adverse Event', 1)).toBe(
			'Reported Term for the Adverse Event 1'
		);
		expect(qlabelOf('Reported Name of Drug, Med, or Therapy', 1)).toHaveLength(40);
		expect(qlabelOf('Reported Name of Drug, Med, or Therapy', 12)).toBe(
			'Reported Name of Drug, Med, or Therap 12'
		);
	});

	const PARENTS: DatasetSpec[] = [DM, SV, DS, EX, CM, AE, DV, VS, QS];
	it.each(PARENTS.map((d) => [d.name, d] as const))(
		'are SAS names, distinct for every text variable and part of %s',
		(_, spec) => {
			const table = qnamTableOf(spec);
			const names = new Set<string>();
			const text = spec.variables.filter((v) => !isNumeric(v));
			for (let n = 1; n <= 120; n++) {
				for (const v of text) {
					const q = table.qnam(v.name, n);
					expect(q).toMatch(/^[A-Z][A-Z0-9]{0,7}$/);
					expect(names.has(q), q).toBe(false);
					names.add(q);
					expect(qlabelOf(v.label, n).length).toBeLessThanOrEqual(40);
				}
			}
		}
	);

	it('keep the plain name where it is free, and never depend on the data', () => {
		expect(qnamTableOf(AE).qnam('AETERM', 1)).toBe('AETERM1');
		expect(qnamTableOf(DV).qnam('DVTERM', 12)).toBe('DVTERM12');
		expect(qnamTableOf(CM).qnam('CMTRT', 3)).toBe('CMTRT3');
		expect(qnamTableOf(VS).qnam('VSSTRESC', 1)).toBe('VSSTRES1');
		expect(qnamTableOf(VS).qnam('VSSTRESU', 1)).toBe('VSSTREU1');
		// QSTESTCD comes first in the file: it keeps QSTEST10, whatever was asked first.
		const table = new QnamTable(['QSTESTCD', 'QSTEST']);
		expect(table.qnam('QSTEST', 10)).toBe('QSTESA10');
		const other = new QnamTable(['QSTESTCD', 'QSTEST']);
		expect(other.qnam('QSTESTCD', 10)).toBe('QSTEST10');
		expect(table.qnam('QSTESTCD', 10)).toBe('QSTEST10');
		expect(table.qnam('QSTEST', 10)).toBe(other.qnam('QSTEST', 10));
	});
});

describe('SUPP-- datasets', () => {
	it('exist for every subject domain, not for trial design', () => {
		expect([DM, SV, DS, EX, CM, AE, DV, VS, QS].every(hasSupp)).toBe(true);
		expect(hasSupp(TV)).toBe(false);
		expect(hasSupp(suppSpec(AE))).toBe(false);
	});

	it('are defined as SDTMIG §8.4 has them, and fit SAS XPORT v5', () => {
		const s = suppSpec(AE);
		expect(s).toMatchObject({ name: 'SUPPAE', domain: 'AE', class: 'RELATIONSHIP' });
		expect(s.variables.map((v) => v.name)).toEqual([
			'STUDYID',
			'RDOMAIN',
			'USUBJID',
			'IDVAR',
			'IDVARVAL',
			'QNAM',
			'QLABEL',
			'QVAL',
			'QORIG',
			'QEVAL'
		]);
		expect(specFindings(s)).toEqual([]);
	});

	const ae = {
		STUDYID: 'MDMA-TRD-01',
		DOMAIN: 'AE',
		USUBJID: 'MDMA-TRD-01-A1-0001',
		AESEQ: 3,
		AETERM: 'x',
		AEDECOD: 'Nausea'
	};

	it('leave a record without long text as it is, with no SUPP rows', () => {
		const split = splitLongText(AE, ae);
		expect(split.row).toBe(ae);
		expect(split.supp).toEqual([]);
	});

	it('cut a 300-character AE term: AETERM the first part, SUPPAE row AETERM1 the rest', () => {
		const term = `${'tight chest and '.repeat(18)}pain`.slice(0, 300);
		const { row, supp } = splitLongText(AE, { ...ae, AETERM: term });
		expect(bytes(String(row.AETERM))).toBeLessThanOrEqual(200);
		expect(supp).toEqual([
			{
				STUDYID: 'MDMA-TRD-01',
				RDOMAIN: 'AE',
				USUBJID: 'MDMA-TRD-01-A1-0001',
				IDVAR: 'AESEQ',
				IDVARVAL: '3',
				QNAM: 'AETERM1',
				QLABEL: 'Reported Term for the Adverse Event 1',
				QVAL: term.slice(String(row.AETERM).length),
				QORIG: 'Collected',
				QEVAL: null
			}
		]);
		expect(String(row.AETERM) + supp[0]!.QVAL).toBe(term);
		expect(row.AEDECOD).toBe('Nausea');
		expect(ae.AETERM).toBe('x'); // the record read is not changed
	});

	it('have no IDVAR in SUPPDM (one DM record per subject)', () => {
		const { supp } = splitLongText(DM, {
			STUDYID: 'S',
			DOMAIN: 'DM',
			USUBJID: 'S-1',
			ARM: 'ø'.repeat(150)
		});
		expect(supp).toMatchObject([{ RDOMAIN: 'DM', IDVAR: null, IDVARVAL: null, QNAM: 'ARM1' }]);
	});

	it('put every long variable of a record back together, whatever the text', () => {
		fc.assert(
			fc.property(anyText, anyText, fc.integer({ min: 1, max: 999 }), (term, action, seq) => {
				const record = { ...ae, AESEQ: seq, AETERM: term, AEACNOTH: action };
				const { row, supp } = splitLongText(AE, record);
				for (const name of ['AETERM', 'AEACNOTH'] as const) {
					const rest: unknown[] = [];
					for (let n = 1; ; n++) {
						const part = supp.find((s) => s.QNAM === qnamOf(name, n));
						if (!part) break;
						rest.push(part.QVAL);
					}
					expect([row[name], ...rest].join('')).toBe(record[name]);
				}
				for (const s of supp) {
					expect(bytes(String(s.QVAL))).toBeLessThanOrEqual(200);
					expect(s.IDVARVAL).toBe(String(seq));
				}
				for (const v of AE.variables) {
					const value = row[v.name];
					if (typeof value === 'string') expect(bytes(value)).toBeLessThanOrEqual(200);
				}
			}),
			{ numRuns: 200 }
		);
	});
});

describe('counting UTF-8 bytes without encoding', () => {
	// Any UTF-16 text, lone surrogates included (an encoder writes U+FFFD, three bytes, for one).
	const anyText = fc.oneof(
		fc.string({ unit: 'binary', maxLength: 300 }),
		fc.string({ unit: 'grapheme', maxLength: 120 }),
		fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)) })
	);
	it('counts what an encoder writes', () => {
		fc.assert(
			fc.property(anyText, (s) => {
				expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
			}),
			{ numRuns: 1000 }
		);
	});
	it('says a text is over the limit exactly when its bytes are', () => {
		fc.assert(
			fc.property(anyText, fc.integer({ min: 1, max: 400 }), (s, max) => {
				expect(overBytes(s, max)).toBe(new TextEncoder().encode(s).length > max);
			}),
			{ numRuns: 1000 }
		);
		expect(overBytes('a'.repeat(200))).toBe(false);
		expect(overBytes('a'.repeat(201))).toBe(true);
		expect(overBytes('ø'.repeat(100))).toBe(false);
		expect(overBytes('ø'.repeat(100) + 'a')).toBe(true);
	});
});
