// The demo study's trial design data, added after the generated participants (issue 14): consent
// on two form versions (2.0 requires re-consent; most participants on study have signed it, two
// have not), randomisation of every participant with a baseline MADRS, and a few concomitant
// medications, one of them interacting (bupropion, a strong CYP2D6 inhibitor), and blinding
// guesses (./blinding-guesses). Written through the
// same services a coordinator uses, as the operator, with the clock set to each step's time.
import { systemContext } from '../runtime/context';
import type { Db } from '../db';
import * as participantsRepo from '../repositories/participants';
import * as sitesRepo from '../repositories/sites';
import * as scalesRepo from '../repositories/scales';
import * as studiesRepo from '../repositories/studies';
import { addFormVersion, recordConsent } from '../services/trial/consent';
import { recordConmed } from '../services/trial/conmeds';
import { randomiseParticipant } from '../services/trial/randomisation';
import { toLocalInput } from '../../domain/time';
import { activeProtocol } from '../services/protocol/studies';
import { seedDemoGuesses } from './blinding-guesses';

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export interface TrialDemoSummary {
	consents: number;
	randomised: number;
	conmeds: number;
	guesses?: number;
}

export async function seedTrialDemo(db: Db, now: Date): Promise<TrialDemoSummary> {
	const study = (await studiesRepo.listStudies(db))[0];
	if (!study) return { consents: 0, randomised: 0, conmeds: 0 };
	const studyId = study.id;
	const participants = (await participantsRepo.listParticipants(db, { siteIds: 'all' })).filter(
		(p) => p.study_id === studyId
	);
	if (participants.length === 0) return { consents: 0, randomised: 0, conmeds: 0 };
	const firstEnrolled = participants.map((p) => p.enrolled_on ?? isoDay(now)).sort()[0]!;
	const studyStart = new Date(Date.parse(`${firstEnrolled}T00:00:00Z`) - 30 * DAY);
	const v2From = new Date(now.getTime() - 45 * DAY);
	const at = (d: Date) => systemContext(db, 'demo', () => d);
	const v1 = await addFormVersion(at(studyStart), studyId, {
		label: '1.0',
		approvedOn: isoDay(new Date(studyStart.getTime() - 14 * DAY)),
		activeFrom: isoDay(studyStart),
		reconsentRequired: false,
		summary: 'First approved version'
	});
	const v2 = await addFormVersion(at(v2From), studyId, {
		label: '2.0',
		approvedOn: isoDay(new Date(v2From.getTime() - 10 * DAY)),
		activeFrom: isoDay(v2From),
		reconsentRequired: true,
		summary: 'New information on cardiovascular risk during dosing sessions'
	});
	let consents = 0;
	let randomised = 0;
	let conmeds = 0;
	let left = 2; // two participants on study still to consent on 2.0
	for (const [i, p] of participants.entries()) {
		const site = (await sitesRepo.findSiteById(db, p.site_id))!;
		const enrolled = p.enrolled_on ?? isoDay(now);
		// Consent at 08:30 site time on the enrolment day, before screening.
		const signed = `${enrolled}T08:30`;
		await recordConsent(at(new Date(`${enrolled}T23:00:00Z`)), p.id, {
			formVersionId: v1.id,
			signedAt: signed,
			signer: 'participant',
			obtainedByName: 'Dr Ines Investigator',
			copyGivenOn: enrolled,
			copyMedium: 'paper'
		});
		consents++;
		const onStudy = p.status === 'enrolled' || p.status === 'screening';
		if (onStudy && enrolled < isoDay(v2From)) {
			if (left > 0 && i % 3 === 1) {
				left--;
			} else {
				const when = new Date(v2From.getTime() + (3 + (i % 10)) * DAY);
				if (when < now) {
					await recordConsent(at(new Date(when.getTime() + 3600_000)), p.id, {
						formVersionId: v2.id,
						signedAt: toLocalInput(when, site.timezone),
						signer: 'participant',
						obtainedByName: 'Dr Ines Investigator',
						copyGivenOn: isoDay(when),
						copyMedium: 'electronic',
						reconsentReason: 'Version 2.0: new cardiovascular information'
					});
					consents++;
				}
			}
		}
		const madrs = (
			await scalesRepo.listScaleAdministrationsOfParticipant(db, p.id, { instrument: 'MADRS' })
		).find((s) => s.complete === 1 && s.total !== null);
		if (p.status !== 'screening' && madrs) {
			const when = new Date(Date.parse(madrs.administered_at) + 3600_000);
			// Withdrawn before baseline, or not yet re-consented: left unrandomised, as at a real site.
			const done = await randomiseParticipant(at(when), p.id).then(
				() => true,
				() => false
			);
			if (done) randomised++;
		}
		const meds = demoMeds(i, enrolled);
		for (const m of meds) {
			await recordConmed(at(new Date(`${enrolled}T12:00:00Z`)), p.id, m);
			conmeds++;
		}
	}
	const { protocol } = await activeProtocol(db, studyId);
	const guesses = await seedDemoGuesses(
		db,
		studyId,
		participants,
		protocol.randomisation.arms[0]!.code,
		now
	);
	return { consents, randomised, conmeds, guesses };
}

/** A few medications: past SSRIs tapered before baseline, everyday drugs, and one interaction. */
function demoMeds(i: number, enrolled: string): Array<Record<string, string>> {
	const year = Number(enrolled.slice(0, 4));
	if (i === 0) {
		// Bupropion taken now: a strong CYP2D6 inhibitor, flagged and holding the next dose.
		return [
			{
				name: 'Wellbutrin XL 150 mg',
				ingredient: 'bupropion',
				dose: '150',
				doseUnit: 'mg',
				frequency: 'QD',
				route: 'ORAL',
				indication: 'Smoking cessation',
				start: enrolled
			}
		];
	}
	if (i % 4 === 1) {
		return [
			{
				name: 'Sertraline 100 mg',
				ingredient: 'sertraline',
				dose: '100',
				doseUnit: 'mg',
				frequency: 'QD',
				route: 'ORAL',
				indication: 'Depression',
				start: `${year - 2}-03`,
				stop: `${year - 1}-11`
			}
		];
	}
	if (i % 4 === 2) {
		return [
			{
				name: 'Paracetamol 500 mg',
				ingredient: 'paracetamol',
				dose: '1000',
				doseUnit: 'mg',
				frequency: 'PRN',
				route: 'ORAL',
				indication: 'Headache',
				start: `${year - 1}`
			}
		];
	}
	return [];
}
