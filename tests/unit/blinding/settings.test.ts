// The blinding section of the protocol: when a blinded reader sees James' index. The default is
// stated once (DEFAULT_BLINDING_SETTINGS, DOMAIN-2.md §2 [D]); the schema refuses what cannot be
// a count of guesses, naming the field.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BLINDING_SETTINGS } from '../../../src/lib/domain/blinding';
import { parseProtocol } from '../../../src/lib/domain/protocol';
import { demoWith, loose } from '../protocol/helpers';

const withMinimum = (value: unknown) =>
	demoWith((p) => {
		loose(p).blinding = { minimumGuessesForBlindedIndex: value };
	});
const withoutSection = demoWith((p) => {
	delete loose(p).blinding;
});

describe('protocol setting blinding.minimumGuessesForBlindedIndex', () => {
	it('defaults to 10 when the protocol leaves it out', () => {
		const parsed = parseProtocol(withoutSection);
		expect(parsed.ok && parsed.protocol.blinding).toEqual(DEFAULT_BLINDING_SETTINGS);
		expect(DEFAULT_BLINDING_SETTINGS.minimumGuessesForBlindedIndex).toBe(10);
	});

	it('takes a whole number from 1 to 1000, both ends included', () => {
		for (const value of [1, 25, 1000]) {
			const parsed = parseProtocol(withMinimum(value));
			expect(parsed.ok && parsed.protocol.blinding.minimumGuessesForBlindedIndex).toBe(value);
		}
	});

	it('refuses 0, 1001, a fraction, text and an unknown key, naming the field', () => {
		for (const value of [0, 1001, 2.5, '10', null]) {
			const parsed = parseProtocol(withMinimum(value));
			expect(parsed.ok).toBe(false);
			if (!parsed.ok) {
				expect(parsed.errors.map((e) => e.path)).toContain(
					'blinding.minimumGuessesForBlindedIndex'
				);
			}
		}
		const extra = parseProtocol(
			demoWith((p) => {
				loose(p).blinding = { minimumGuessesForBlindedIndex: 10, minimum: 3 };
			})
		);
		expect(!extra.ok && extra.errors).toEqual([
			{ path: 'blinding.minimum', message: 'Unknown field.' }
		]);
	});
});
