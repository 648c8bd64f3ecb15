import { describe, expect, it } from 'vitest';
import {
	codedTerms,
	findCodedTerm,
	searchCodedTermMatches,
	searchCodedTerms
} from '../../../src/lib/domain/adverse-events';

const names = (query: string) => searchCodedTerms(query).map((term) => term.preferredTerm);

describe('coded terms', () => {
	it('has unique, well-formed codes and unique preferred terms', () => {
		const codes = codedTerms.map((term) => term.code);
		expect(new Set(codes).size).toBe(codes.length);
		for (const code of codes) expect(code).toMatch(/^VIG-\d{4}$/);
		const terms = codedTerms.map((term) => term.preferredTerm.toLowerCase());
		expect(new Set(terms).size).toBe(terms.length);
	});

	it('sets a category exactly on the adverse events of special interest', () => {
		for (const term of codedTerms) expect(term.aesiCategory !== null).toBe(term.specialInterest);
	});

	it.each([
		'Suicidal ideation',
		'Suicidal behaviour',
		'Hypertension',
		'Tachycardia',
		'Arrhythmia',
		'QT prolongation',
		'Euphoric mood',
		'Misuse',
		'Diversion',
		'Hyponatraemia',
		'Hyperthermia',
		'Serotonin syndrome'
	])('marks %s as of special interest', (name) => {
		const term = searchCodedTerms(name)[0];
		expect(term?.preferredTerm).toBe(name);
		expect(term?.specialInterest).toBe(true);
	});

	it('keeps the common MDMA events without special interest', () => {
		for (const name of ['Nausea', 'Bruxism', 'Mydriasis', 'Non-cardiac chest pain', 'Chills']) {
			expect(searchCodedTerms(name)[0]).toMatchObject({
				preferredTerm: name,
				specialInterest: false
			});
		}
	});

	it('finds a term by code, in any case', () => {
		expect(findCodedTerm('VIG-0003')?.preferredTerm).toBe('Nausea');
		expect(findCodedTerm(' vig-0003 ')?.preferredTerm).toBe('Nausea');
		expect(findCodedTerm('VIG-9999')).toBeUndefined();
	});
});

describe('searchCodedTerms', () => {
	it('ranks an exact match before prefix and word matches', () => {
		// 'Headache' exact; nothing else starts with it.
		expect(names('headache')[0]).toBe('Headache');
		// 'Hyperthermia' is exact; 'Hypertension' only shares the start.
		expect(names('HYPERTHERMIA')).toEqual(['Hyperthermia']);
	});

	it('ranks prefix matches of the whole name before word matches', () => {
		const matches = searchCodedTermMatches('pain');
		expect(matches[0]).toMatchObject({ rank: 'prefix', term: { preferredTerm: 'Pain in jaw' } });
		expect(matches.slice(1).every((match) => match.rank === 'words')).toBe(true);
		expect(names('pain')).toContain('Non-cardiac chest pain');
	});

	it('matches every query word as the start of some word, in any order', () => {
		expect(names('chest card')).toEqual(['Non-cardiac chest pain']);
		expect(names('pressure blood')).toEqual(['Blood pressure increased', 'Hypertension']);
		expect(names('jaw')).toEqual(['Bruxism', 'Pain in jaw']);
	});

	it('finds terms by synonym and by code', () => {
		expect(names('jaw clenching')[0]).toBe('Bruxism');
		expect(names('euphoria')[0]).toBe('Euphoric mood');
		expect(names('hyponatremia')[0]).toBe('Hyponatraemia');
		expect(names('VIG-0101')[0]).toBe('Suicidal ideation');
	});

	it('sorts ties alphabetically', () => {
		const suicidal = names('suicidal');
		expect(suicidal).toEqual(['Suicidal behaviour', 'Suicidal ideation']);
	});

	it('ignores case, accents, punctuation and surrounding spaces', () => {
		expect(names('  NAUSÉA ')).toEqual(['Nausea']);
		expect(names('non cardiac')).toEqual(['Non-cardiac chest pain']);
	});

	it('matches nothing for an empty query or a mid-word fragment', () => {
		expect(names('')).toEqual([]);
		expect(names('   ')).toEqual([]);
		expect(names('hidrosis')).toEqual([]);
	});

	it('honours the limit', () => {
		expect(searchCodedTerms('a', 3)).toHaveLength(3);
	});
});
