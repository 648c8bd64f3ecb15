import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { match } from '../../src/params/id';

describe('the id route matcher', () => {
	it('takes positive whole numbers written plainly', () => {
		for (const ok of ['1', '7', '42', '100000', '999999999999999']) {
			expect(match(ok), ok).toBe(true);
		}
	});
	it('refuses anything else, so the route is a 404 before any code runs', () => {
		for (const bad of [
			'',
			'0',
			'-1',
			'01',
			'1e3',
			'1.0',
			' 1',
			'1 ',
			'abc',
			'0x10',
			'9999999999999999'
		]) {
			expect(match(bad), JSON.stringify(bad)).toBe(false);
		}
	});
});

function routeDirs(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true })
		.filter((e) => e.isDirectory())
		.flatMap((e) => [join(dir, e.name), ...routeDirs(join(dir, e.name))]);
}

describe('routes', () => {
	it('every [id] segment goes through the id matcher', () => {
		const bare = routeDirs('src/routes').filter((d) => /\[id\]$/.test(d));
		expect(bare).toEqual([]);
	});
});
