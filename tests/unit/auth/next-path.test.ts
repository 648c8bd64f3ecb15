import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { safeNextPath } from '../../../src/lib/server/auth/next-path';

describe('safeNextPath', () => {
	it.each([
		['/review', '/review'],
		['/participants/12?tab=ae#x', '/participants/12?tab=ae#x'],
		['/sites/01/overview', '/sites/01/overview']
	])('keeps the same-site path %s', (input, expected) => {
		expect(safeNextPath(input)).toBe(expected);
	});

	it.each([
		null,
		'',
		'review',
		'https://evil.example/',
		'//evil.example',
		'/\\evil.example',
		'\\\\evil.example',
		'/\\/evil.example',
		'/%5Cevil.example',
		'/%5cevil.example',
		'/%2F%2Fevil.example',
		'/%2fevil.example',
		'/%252F%252Fevil.example',
		'/\tevil.example',
		'/\t/evil.example',
		'/%09/evil.example',
		'/\n/evil.example',
		'javascript:alert(1)',
		'/%',
		'data:text/html,x'
	])('refuses %j', (input) => {
		expect(safeNextPath(input)).toBeNull();
	});

	it('never yields a URL that leaves the origin, whatever the input', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string(),
					fc.string().map((s) => '/' + s),
					fc
						.constantFrom('/', '//', '/\\', '%2F', '%5C', '\t', 'evil.example', ':')
						.chain((a) =>
							fc
								.array(
									fc.constantFrom('/', '//', '/\\', '%2F', '%5C', '\t', 'evil.example', ':', 'a'),
									{ maxLength: 6 }
								)
								.map((r) => a + r.join(''))
						)
				),
				(input) => {
					const out = safeNextPath(input);
					if (out === null) return;
					// What a browser would do with the redirect's Location.
					expect(new URL(out, 'https://vigil.example').origin).toBe('https://vigil.example');
					expect(out.startsWith('/')).toBe(true);
				}
			),
			{ numRuns: 2000 }
		);
	});
});
