// The randomised arms an export may carry: only of the studies whose arms its reader may know now
// (an unblinded role, or the study locked for analysis), read through the unblinded service. The
// export writers never read the allocation themselves: they are given these.
import type { ExportScope } from '../../export/pages';
import type { ServiceContext } from '../../runtime/context';
import * as studiesRepo from '../../repositories/studies';
import { armsForUnblinded, mayKnowArmsNow } from '../trial/pharmacy';

export async function exportableArms(
	ctx: ServiceContext,
	studyId: number | undefined
): Promise<NonNullable<ExportScope['arms']>> {
	const out: NonNullable<ExportScope['arms']> = { studyIds: [], byParticipant: {} };
	for (const s of await studiesRepo.listStudies(ctx.db)) {
		if (studyId !== undefined && s.id !== studyId) continue;
		if (!(await mayKnowArmsNow(ctx, s.id))) continue;
		out.studyIds.push(s.id);
		for (const [participantId, arm] of await armsForUnblinded(ctx, s.id)) {
			out.byParticipant[participantId] = arm;
		}
	}
	return out;
}
