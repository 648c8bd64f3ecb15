// The access matrix names every door the code has, and docs/access-matrix.md is what it renders.
// (tests/e2e/access-matrix.test.ts calls each HTTP door as each role.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accessMatrixMarkdown } from '../../src/lib/access/markdown';
import { ACCESS_MATRIX, ACCESS_SECTIONS } from '../../src/lib/access/matrix';
import { cliDoors, httpDoors } from '../helpers/doors';

const doors = [...httpDoors(), ...cliDoors()];

describe('the access matrix', () => {
	it('names every page, endpoint, API operation and CLI command, in the section of its kind', () => {
		const missing = doors
			.filter((d) => !ACCESS_SECTIONS.some((s) => s.kind.includes(d.kind) && d.key in s.doors))
			.map((d) => `${d.kind}: ${d.key}`);
		expect(missing).toEqual([]);
	});

	it('names no door the code does not have', () => {
		const known = new Set(doors.map((d) => d.key));
		expect(Object.keys(ACCESS_MATRIX).filter((k) => !known.has(k))).toEqual([]);
	});

	it('gives each door one rule: public, the operator only, or some roles', () => {
		for (const [key, rule] of Object.entries(ACCESS_MATRIX)) {
			const kinds = [rule.public, rule.operator, Object.keys(rule.allow).length > 0];
			expect(kinds.filter(Boolean), key).toHaveLength(1);
		}
	});

	it('keeps the operator-only rule for the command line alone', () => {
		for (const d of doors) {
			expect(ACCESS_MATRIX[d.key]?.operator === true, d.key).toBe(d.kind === 'cli');
		}
	});

	it('is what docs/access-matrix.md says (run `npm run docs:access` after changing it)', () => {
		expect(readFileSync('docs/access-matrix.md', 'utf8')).toBe(accessMatrixMarkdown());
	});
});
