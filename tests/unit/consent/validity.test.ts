import { describe, expect, it } from 'vitest';
import { consentValidity, needsReconsent, requiredVersion } from '../../../src/lib/domain/consent';
import type { ConsentFormVersion, ConsentRecord } from '../../../src/lib/domain/consent';

const v1: ConsentFormVersion = {
	id: 1,
	label: '1.0',
	approvedOn: '2026-01-01',
	activeFrom: '2026-01-05T00:00:00Z',
	reconsentRequired: false
};
const v2: ConsentFormVersion = {
	id: 2,
	label: '2.0',
	approvedOn: '2026-04-01',
	activeFrom: '2026-04-10T00:00:00Z',
	reconsentRequired: true
};
const v3: ConsentFormVersion = {
	id: 3,
	label: '2.1',
	approvedOn: '2026-05-01',
	activeFrom: '2026-05-10T00:00:00Z',
	reconsentRequired: false
};

const rec = (o: Partial<ConsentRecord>): ConsentRecord => ({
	id: 1,
	formVersionId: 1,
	signedAt: '2026-02-01T09:30:00Z',
	withdrawnAt: null,
	enteredInError: false,
	...o
});

describe('consent validity (21 CFR 50.27; E6(R3) §2.8)', () => {
	it('no consent: refused with words', () => {
		expect(consentValidity([v1], [], '2026-02-01T10:00:00Z')).toMatchObject({
			valid: false,
			reason: 'no-consent'
		});
	});

	it('same-day screening: a procedure a minute before the signature is not covered, one after is', () => {
		expect(consentValidity([v1], [rec({})], '2026-02-01T09:29:00Z')).toMatchObject({
			valid: false,
			reason: 'signed-later'
		});
		expect(consentValidity([v1], [rec({})], '2026-02-01T09:30:00Z')).toMatchObject({ valid: true });
	});

	it('a re-consent version blocks the old signature from its active time on', () => {
		const records = [rec({})];
		expect(consentValidity([v1, v2], records, '2026-04-09T23:59:00Z').valid).toBe(true);
		const after = consentValidity([v1, v2], records, '2026-04-10T00:00:00Z');
		expect(after).toMatchObject({
			valid: false,
			reason: 'reconsent-required',
			message: expect.stringMatching(/2\.0/)
		});
		expect(needsReconsent([v1, v2], records, '2026-04-11T00:00:00Z')).toBe(true);
	});

	it('re-consent on the new version makes it valid again; a later minor version keeps it valid', () => {
		const records = [rec({}), rec({ id: 2, formVersionId: 2, signedAt: '2026-04-12T10:00:00Z' })];
		expect(consentValidity([v1, v2, v3], records, '2026-06-01T00:00:00Z')).toMatchObject({
			valid: true,
			version: { label: '2.0' }
		});
		expect(requiredVersion([v1, v2, v3], '2026-06-01T00:00:00Z')!.label).toBe('2.0');
	});

	it('withdrawal ends validity; entered-in-error records do not count', () => {
		expect(
			consentValidity([v1], [rec({ withdrawnAt: '2026-03-01T00:00:00Z' })], '2026-03-02T00:00:00Z')
		).toMatchObject({ reason: 'withdrawn' });
		expect(
			consentValidity([v1], [rec({ enteredInError: true })], '2026-03-02T00:00:00Z')
		).toMatchObject({ reason: 'no-consent' });
	});
});
