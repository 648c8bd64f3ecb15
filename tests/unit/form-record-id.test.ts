// A record id posted in a form (runtime/http.ts recordId): a whole number from 1 up, else NaN,
// which finds no record on SQLite and PostgreSQL alike (the PostgreSQL driver binds NaN as NULL).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { recordId } from '../../src/lib/server/runtime/http';
import { dashboardFilters, studyParam } from '../../src/lib/server/runtime/params';

describe('recordId', () => {
	it('reads whole numbers from 1 up, written as the id route matcher takes them', () => {
		expect(recordId('1')).toBe(1);
		expect(recordId('42')).toBe(42);
		expect(recordId('999999999999999')).toBe(999999999999999);
		expect(recordId(7)).toBe(7);
	});

	it('refuses what an integer column cannot hold, as NaN', () => {
		for (const raw of [
			'0',
			'-1',
			'1.5',
			'5e-324',
			'-5e-324',
			'1e3',
			'Infinity',
			'NaN',
			'0x10',
			'010',
			'',
			' 42 ',
			'\u0000',
			'1000000000000000',
			null,
			undefined,
			{},
			Number.NaN
		]) {
			expect(recordId(raw), String(raw)).toBeNaN();
		}
	});

	it('is the number itself for every positive safe id, and NaN or a whole number otherwise', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 999_999_999_999_999 }), (n) => {
				expect(recordId(String(n))).toBe(n);
			})
		);
		fc.assert(
			fc.property(fc.string(), (s) => {
				const id = recordId(s);
				expect(Number.isNaN(id) || (Number.isSafeInteger(id) && id >= 1)).toBe(true);
			})
		);
	});
});

describe("a page's ?study= and dashboard filters", () => {
	const at = (query: string) => new URL(`http://vigil.test/cohort${query}`);

	it('names a study by its record id, and the default study for anything else', () => {
		expect(studyParam(at('?study=2'))).toBe(2);
		for (const q of [
			'',
			'?study=',
			'?study=0',
			'?study=-1',
			'?study=1.5',
			'?study=1e3',
			'?study=x'
		]) {
			expect(studyParam(at(q)), q).toBeUndefined();
		}
	});

	it('trims the site and dose group, and leaves out what is empty', () => {
		expect(dashboardFilters(at('?study=3&site=%2001%20&dose=%20120%20mg'))).toEqual({
			studyId: 3,
			siteCode: '01',
			doseGroup: '120 mg'
		});
		expect(dashboardFilters(at('?site=%20&dose='))).toEqual({
			studyId: undefined,
			siteCode: undefined,
			doseGroup: undefined
		});
		expect(dashboardFilters(at(`?dose=${'x'.repeat(100)}`)).doseGroup).toHaveLength(60);
	});
});
