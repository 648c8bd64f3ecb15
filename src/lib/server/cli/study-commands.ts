// `study lock | unlock`: the operator's door to the study lock (the same service as /admin).
import { cliOperator } from '../runtime/config';
import { systemContext } from '../runtime/context';
import { NotFoundError } from '../runtime/errors';
import * as studies from '../repositories/studies';
import { lockStudy, unlockStudy } from '../services/monitoring/freeze-lock';
import type { Command } from './commands';

const operator = cliOperator;

async function studyId(db: Parameters<typeof studies.findStudyByCode>[0], code: unknown) {
	const study = await studies.findStudyByCode(db, String(code));
	if (!study) throw new NotFoundError('Study');
	return study.id;
}

export const STUDY_COMMANDS: Command[] = [
	{
		name: 'study lock',
		usage: 'study lock --study CODE [--reason TEXT]',
		summary: 'Lock the study for analysis: read-only for everyone, through every door.',
		options: {
			study: { type: 'string', description: 'The study code', required: true },
			reason: { type: 'string', description: 'Why (kept in the audit trail)' }
		},
		async run(io, v) {
			const { db } = await io.open();
			const state = await lockStudy(systemContext(db, operator()), await studyId(db, v.study), {
				reason: v.reason
			});
			io.out(`Study ${String(v.study)} is locked since ${state.lockedAt}.`);
			return 0;
		}
	},
	{
		name: 'study unlock',
		usage: 'study unlock --study CODE --reason TEXT',
		summary: 'Unlock the study; the reason is kept in the audit trail.',
		options: {
			study: { type: 'string', description: 'The study code', required: true },
			reason: { type: 'string', description: 'Why it is unlocked', required: true }
		},
		async run(io, v) {
			const { db } = await io.open();
			await unlockStudy(systemContext(db, operator()), await studyId(db, v.study), {
				reason: v.reason
			});
			io.out(`Study ${String(v.study)} is unlocked.`);
			return 0;
		}
	}
];
