// `study lock | unlock | unlock-approve | unlock-decline`: the operator's door to the study lock
// (the same services as /admin: an unlock asked for by one person is approved by another);
// `study allocation`: the allocation list, which the operator may read only after lock.
import { cliOperator } from '../runtime/config';
import { systemContext } from '../runtime/context';
import { NotFoundError } from '../runtime/errors';
import * as studies from '../repositories/studies';
import { lockStudy } from '../services/monitoring/freeze-lock';
import {
	approveUnlock,
	declineUnlock,
	requestUnlock
} from '../services/monitoring/unlock-approval';
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
		summary: 'Ask to unlock the study; another administrator (or operator) approves.',
		options: {
			study: { type: 'string', description: 'The study code', required: true },
			reason: { type: 'string', description: 'Why it should be unlocked', required: true }
		},
		async run(io, v) {
			const { db } = await io.open();
			await requestUnlock(systemContext(db, operator()), await studyId(db, v.study), {
				reason: v.reason
			});
			io.out(`Unlock of study ${String(v.study)} asked for: it waits for another's approval.`);
			return 0;
		}
	},
	{
		name: 'study unlock-approve',
		usage: 'study unlock-approve --study CODE [--note TEXT]',
		summary: "Approve someone else's unlock request: the lock is lifted, signatures voided.",
		options: {
			study: { type: 'string', description: 'The study code', required: true },
			note: { type: 'string', description: 'A note kept in the audit trail' }
		},
		async run(io, v) {
			const { db } = await io.open();
			await approveUnlock(systemContext(db, operator()), await studyId(db, v.study), {
				note: v.note
			});
			io.out(`Study ${String(v.study)} is unlocked.`);
			return 0;
		}
	},
	{
		name: 'study unlock-decline',
		usage: 'study unlock-decline --study CODE --reason TEXT',
		summary: 'Decline (or withdraw) the unlock request; the lock stands.',
		options: {
			study: { type: 'string', description: 'The study code', required: true },
			reason: { type: 'string', description: 'Why', required: true }
		},
		async run(io, v) {
			const { db } = await io.open();
			await declineUnlock(systemContext(db, operator()), await studyId(db, v.study), {
				reason: v.reason
			});
			io.out(`Unlock of study ${String(v.study)} declined; it stays locked.`);
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
