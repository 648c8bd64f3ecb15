import type { Report } from './report';
import type { Visit } from './schema-visits';

// Cross-field checks on the visit schedule: each visit's anchor must be known before it.

/** Visit codes are unique; anchors point to earlier visits; "last-dosing" comes after all dosing. */
export function checkVisitAnchors(visits: Visit[], report: Report): void {
	const firstIndex = new Map<string, number>();
	visits.forEach((visit, i) => {
		const earlier = firstIndex.get(visit.code);
		if (earlier !== undefined) {
			report(
				['visits', i, 'code'],
				`Visit code ${visit.code} is already used by visits[${earlier}].`
			);
		} else {
			firstIndex.set(visit.code, i);
		}
	});
	const lastDosingIndex = visits.findLastIndex((v) => v.kind === 'dosing');
	visits.forEach((visit, i) => {
		const anchor = visit.anchor;
		if (anchor === 'last-dosing') {
			if (lastDosingIndex < 0 || lastDosingIndex >= i) {
				report(
					['visits', i, 'anchor'],
					'A visit anchored to the last dosing session must come after every dosing visit.'
				);
			}
		} else if (anchor !== 'enrolment') {
			const at = firstIndex.get(anchor.visit);
			if (at === undefined) report(['visits', i, 'anchor'], `No visit has code ${anchor.visit}.`);
			else if (at >= i) {
				report(
					['visits', i, 'anchor'],
					`Visit ${anchor.visit} does not come before ${visit.code}; anchor to an earlier visit.`
				);
			}
		}
	});
}

/** Dosing visits carry their planned doses, numbered 1, 2, 3 … in order; other visits carry none. */
export function checkDosingVisits(visits: Visit[], report: Report): void {
	let expected = 1;
	visits.forEach((visit, i) => {
		if (visit.kind !== 'dosing') {
			if (visit.dose) report(['visits', i, 'dose'], 'Only dosing visits have planned doses.');
			return;
		}
		if (!visit.dose) {
			report(['visits', i, 'dose'], 'A dosing visit needs its planned doses.');
		} else if (visit.dose.session !== expected) {
			report(
				['visits', i, 'dose', 'session'],
				`Dosing sessions are numbered 1, 2, 3 … in order; expected ${expected} here.`
			);
		}
		expected += 1;
	});
	if (expected === 1) report(['visits'], 'The schedule needs at least one dosing visit.');
}

/** No scale is listed twice at one visit. */
export function checkVisitScales(visits: Visit[], report: Report): void {
	visits.forEach((visit, i) => {
		visit.scales.forEach((scale, j) => {
			if (visit.scales.indexOf(scale) !== j) {
				report(['visits', i, 'scales', j], `${scale} is listed twice at ${visit.code}.`);
			}
		});
	});
}
