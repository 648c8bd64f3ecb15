// `study lock | unlock`: the operator's door to the study lock (the same service as /admin);
// `study allocation`: the allocation list, which the operator may read only after lock.
import { cliOperator } from '../runtime/config';
import { systemContext } from '../runtime/context';
import { NotFoundError } from '../runtime/errors';
import * as studies from '../repositories/studies';
import { lockStudy, unlockStudy } from '../services/monitoring/freeze-lock';
import { pharmacyList } from '../services/trial/pharmacy';
import { csvLine, type CsvValue } from '../export/csv';
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
	},
	{
		name: 'study allocation',
		usage: 'study allocation --study CODE',
		summary:
			'After database lock: each randomised participant with kit and arm (CSV); refused before.',
		options: {
			study: { type: 'string', description: 'The study code', required: true }
		},
		async run(io, v) {
			const { db } = await io.open();
			const rows = await pharmacyList(systemContext(db, operator()), await studyId(db, v.study));
			const line = (values: CsvValue[]) => csvLine(values).trimEnd();
			io.out(line(['subject', 'kit', 'arm_code', 'arm', 'randomised_at', 'unblinded_at']));
			for (const r of rows) {
				io.out(line([r.subjectCode, r.kit, r.armCode, r.armLabel, r.randomisedAt, r.unblindedAt]));
			}
			return 0;
		}
	}
];
