import { describe, expect, it } from 'vitest';
import { adverseEventInput } from '../../../src/lib/schemas/adverse-event';
import { fieldErrorsOf } from '../../../src/lib/schemas/parse';

const now = new Date('2025-06-01T12:00:00Z');
const ctcae = adverseEventInput({ severityScale: 'ctcae', now, timeZone: 'Europe/Oslo' });
const mms = adverseEventInput({ severityScale: 'mild-moderate-severe', now });

const noCriteria = {
	death: false,
	lifeThreatening: false,
	hospitalisation: false,
	disability: false,
	congenitalAnomaly: false,
	importantMedicalEvent: false
};

const valid = {
	verbatimTerm: '  Jaw clenching during session ',
	codedTermCode: 'vig-0008',
	onsetAt: '2025-05-20T10:30',
	endAt: '2025-05-20T14:00',
	awareAt: '2025-05-20T10:45',
	severity: '1',
	criteria: noCriteria,
	relatedness: 'probable',
	expectedness: 'expected',
	actionTaken: 'dose-not-changed',
	outcome: 'recovered',
	dosingSessionId: '12',
	notes: ''
};

/** The same event with offsets, for a schema that has no site time zone. */
const validUtc = {
	...valid,
	onsetAt: '2025-05-20T08:30Z',
	endAt: '2025-05-20T12:00Z',
	awareAt: '2025-05-20T08:45Z',
	severity: 'mild'
};

function errorsOf(schema: typeof ctcae, input: Record<string, unknown>) {
	const result = schema.safeParse(input);
	if (result.success) throw new Error('expected the input to be rejected');
	return fieldErrorsOf(result.error);
}

describe('adverseEventInput: a valid form', () => {
	it('parses form strings into typed values', () => {
		const ae = ctcae.parse(valid);
		expect(ae).toMatchObject({
			verbatimTerm: 'Jaw clenching during session',
			codedTermCode: 'VIG-0008',
			severity: { scale: 'ctcae', grade: 1 },
			dosingSessionId: 12,
			notes: undefined
		});
		// Oslo is UTC+2 in May.
		expect(ae.onsetAt.toISOString()).toBe('2025-05-20T08:30:00.000Z');
		expect(ae.endAt?.toISOString()).toBe('2025-05-20T12:00:00.000Z');
	});

	it('takes free text without a coded term, an ongoing event without an end', () => {
		const ae = ctcae.parse({ ...valid, codedTermCode: '', endAt: '', outcome: 'recovering' });
		expect(ae.codedTermCode).toBeUndefined();
		expect(ae.endAt).toBeUndefined();
	});

	it('takes JSON values: numbers, booleans, ISO strings with offsets', () => {
		const ae = mms.parse({
			...valid,
			onsetAt: '2025-05-20T08:30:00Z',
			endAt: '2025-05-20T12:00:00+02:00',
			awareAt: '2025-05-20T08:45:00.000Z',
			severity: 'moderate',
			dosingSessionId: 3,
			criteria: { ...noCriteria, hospitalisation: 'yes' }
		});
		expect(ae.severity).toEqual({ scale: 'mild-moderate-severe', intensity: 'moderate' });
		expect(ae.criteria.hospitalisation).toBe(true);
	});
});

describe('adverseEventInput: field messages', () => {
	it('names each missing or invalid field', () => {
		const errors = errorsOf(ctcae, {
			...valid,
			verbatimTerm: ' ',
			codedTermCode: 'VIG-9999',
			onsetAt: 'yesterday',
			severity: '6',
			criteria: { ...noCriteria, death: 'maybe' },
			relatedness: 'likely',
			dosingSessionId: 'abc'
		});
		expect(Object.keys(errors).sort()).toEqual(
			[
				'verbatimTerm',
				'codedTermCode',
				'onsetAt',
				'severity',
				'criteria.death',
				'relatedness',
				'dosingSessionId'
			].sort()
		);
		expect(errors['severity']).toEqual(['Choose a CTCAE grade from 1 (mild) to 5 (death).']);
	});

	it('grades on the protocol’s scale only', () => {
		expect(errorsOf(ctcae, { ...valid, severity: 'mild' })).toHaveProperty('severity');
		expect(errorsOf(mms, { ...validUtc, severity: '1' })).toHaveProperty('severity');
		expect(mms.safeParse(validUtc).success).toBe(true);
	});

	it('requires every seriousness criterion to be answered', () => {
		const { death: _death, ...rest } = noCriteria;
		expect(errorsOf(ctcae, { ...valid, criteria: rest })['criteria.death']).toEqual([
			'Answer yes or no.'
		]);
	});

	it('needs an offset when the factory has no site time zone', () => {
		expect(errorsOf(mms, { ...validUtc, onsetAt: valid.onsetAt })['onsetAt']?.[0]).toContain(
			'offset'
		);
	});

	it('refuses to build a schema for an unknown time zone', () => {
		const options = { severityScale: 'ctcae', now, timeZone: 'Europe/Atlantis' } as const;
		expect(() => adverseEventInput(options)).toThrow(RangeError);
	});

	it('rejects a local time skipped by the spring-forward change', () => {
		const input = {
			...valid,
			onsetAt: '2025-03-30T02:30',
			awareAt: '2025-03-30T04:00',
			endAt: '2025-03-30T05:00'
		};
		expect(errorsOf(ctcae, input)['onsetAt']?.[0]).toContain('clocks went forward in Europe/Oslo');
	});
});

describe('adverseEventInput: cross-field rules', () => {
	const rule = (change: Record<string, unknown>) => errorsOf(ctcae, { ...valid, ...change });

	it('puts the end at or after the onset', () => {
		expect(rule({ endAt: '2025-05-20T10:29' })).toEqual({
			endAt: ['The end must be at or after the onset.']
		});
		expect(ctcae.safeParse({ ...valid, endAt: valid.onsetAt }).success).toBe(true);
	});

	it('puts awareness at or after the onset', () => {
		expect(Object.keys(rule({ awareAt: '2025-05-20T10:29' }))).toEqual(['awareAt']);
		expect(ctcae.safeParse({ ...valid, awareAt: valid.onsetAt }).success).toBe(true);
	});

	const late = '2025-06-01T12:00:00.001Z';
	const atNow = '2025-06-01T12:00:00.000Z';
	const futureCases = [
		['onsetAt', (t: string) => ({ onsetAt: t, awareAt: t, endAt: t })],
		['awareAt', (t: string) => ({ awareAt: t })],
		['endAt', (t: string) => ({ endAt: t })]
	] as const;

	it.each(futureCases)('rejects %s 1 ms in the future and accepts it at now', (field, times) => {
		expect(rule(times(late))[field]?.[0]).toMatch(/cannot be in the future/);
		expect(ctcae.safeParse({ ...valid, ...times(atNow) }).success).toBe(true);
	});

	it.each(['recovered', 'recovered-with-sequelae'])(
		'needs an end when the outcome is %s',
		(outcome) => {
			expect(Object.keys(rule({ outcome, endAt: '' }))).toEqual(['endAt']);
		}
	);

	it.each(['recovering', 'not-recovered'])('has no end when the outcome is %s', (outcome) => {
		expect(Object.keys(rule({ outcome })).sort()).toEqual(['endAt', 'outcome']);
	});

	it('links a fatal outcome to the death criterion, with messages on both', () => {
		const death = { ...noCriteria, death: true };
		expect(Object.keys(rule({ outcome: 'fatal', severity: '5' })).sort()).toEqual([
			'criteria.death',
			'outcome'
		]);
		expect(Object.keys(rule({ criteria: death })).sort()).toEqual(['criteria.death', 'outcome']);
		expect(
			ctcae.safeParse({ ...valid, criteria: death, outcome: 'fatal', severity: '5' }).success
		).toBe(true);
	});

	it('links CTCAE grade 5 to a fatal outcome, with messages on both', () => {
		expect(Object.keys(rule({ severity: 5 })).sort()).toEqual(['outcome', 'severity']);
		const fatal = { criteria: { ...noCriteria, death: true }, outcome: 'fatal' };
		expect(Object.keys(rule({ ...fatal, severity: 4 })).sort()).toEqual(['outcome', 'severity']);
	});

	it('does not tie the three-word scale to the outcome', () => {
		const fatal = { criteria: { ...noCriteria, death: true }, outcome: 'fatal' };
		const input = { ...validUtc, ...fatal };
		expect(mms.safeParse(input).success).toBe(true);
	});
});
