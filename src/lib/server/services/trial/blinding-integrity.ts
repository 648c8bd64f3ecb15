// The blinding-integrity view (DOMAIN-2.md §2): guesses of randomised participants, by respondent
// type and timepoint, with James' index for everyone and Bang's per-arm index only for a viewer who
// may know arms now (an unblinded role, or anyone once the study is locked). Arms are read to
// compute James' index but never leave this service for a blinded viewer. Guesses recorded after a
// participant's emergency unblinding are left out (the guesser may know), and counted.
import {
	integrityRows,
	type GuessRecord,
	type IntegrityRow,
	type Respondent,
	type Guess
} from '../../../domain/blinding';
import type { Study } from '../../db/schema';
import { readableSites, requireRole } from '../../auth/access';
import type { Role } from '../../../roles';
import * as repo from '../../repositories/blinding-guesses';
import * as studiesRepo from '../../repositories/studies';
import type { ServiceContext } from '../../runtime/context';
import { NotFoundError } from '../../runtime/errors';
import { activeProtocol } from '../protocol/studies';
import { concealedArms, mayKnowArmsNow } from './pharmacy';

export interface BlindingIntegrity {
	study: Pick<Study, 'id' | 'code' | 'title'>;
	armsVisible: boolean;
	/** The protocol's arm labels, only with arms visible (a blinded page names no arm at all). */
	arms: { active: string; control: string } | null;
	rows: IntegrityRow[];
	excluded: { notRandomised: number; afterUnblinding: number };
	minimumForBlinded: number;
	method: string;
}

export const BLINDING_METHOD =
	"Bang's index per arm, (correct − wrong) / n with don't-know in n (Bang, Ni & Davis 2004); " +
	"James' index over both arms, weights 0 correct, ½ wrong, 1 don't know (James et al. 1996); " +
	'95 % Wald intervals as in the R package BI 1.2.0.';

/** Who reads the blinding index: the page asks the same roles before it calls the service. */
export const BLINDING_INTEGRITY_READERS: Role[] = [
	'investigator',
	'auditor',
	'admin',
	'monitor',
	'coordinator',
	'pharmacist'
];

/** Investigators, auditors, monitors, coordinators, admins and the unblinded pharmacist. */
export async function blindingIntegrity(
	ctx: ServiceContext,
	studyId?: number
): Promise<BlindingIntegrity | null> {
	requireRole(ctx.actor, ...BLINDING_INTEGRITY_READERS);
	const sites = readableSites(ctx.actor, { adminSeesAll: true });
	const study =
		studyId !== undefined
			? await studiesRepo.findStudyById(ctx.db, studyId)
			: (await studiesRepo.listStudies(ctx.db))[0];
	if (!study) {
		if (studyId !== undefined) throw new NotFoundError('Study');
		return null;
	}
	const { protocol } = await activeProtocol(ctx.db, study.id);
	const armsVisible = await mayKnowArmsNow(ctx, study.id);
	const minimum = protocol.blinding.minimumGuessesForBlindedIndex;
	const codes = protocol.randomisation.arms.map((a) => a.code);
	const twoArms = protocol.randomisation.enabled && codes.length === 2;
	const guesses = await repo.listGuessesOfStudy(ctx.db, study.id, sites);
	const arms = twoArms ? await concealedArms(ctx, study.id) : new Map<number, string>();
	const excluded = { notRandomised: 0, afterUnblinding: 0 };
	const records: GuessRecord[] = [];
	for (const g of guesses) {
		const arm = arms.get(g.participant_id);
		if (!arm || !g.randomised_at) {
			excluded.notRandomised++;
		} else if (g.unblinded_at && g.recorded_at >= g.unblinded_at) {
			excluded.afterUnblinding++;
		} else {
			records.push({
				respondent: g.respondent as Respondent,
				timepoint: g.timepoint,
				guess: g.guess as Guess,
				actual: arm === codes[0] ? 'active' : 'control'
			});
		}
	}
	return {
		study: { id: study.id, code: study.code, title: study.title },
		armsVisible,
		arms:
			twoArms && armsVisible
				? {
						active: protocol.randomisation.arms[0]!.label,
						control: protocol.randomisation.arms[1]!.label
					}
				: null,
		rows: integrityRows(records, { armsVisible, minimumForBlinded: minimum }),
		excluded,
		minimumForBlinded: minimum,
		method: BLINDING_METHOD
	};
}
