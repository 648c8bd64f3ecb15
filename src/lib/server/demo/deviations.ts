// The demo coordinator confirms a visit that departs from the protocol (out of order, because an
// earlier visit is still to be entered, or outside its window) with a reason, as a person would:
// the demo study gets its protocol deviations the way a real one does.
import { DEVIATION_RULES } from '../../domain/deviations';
import { DeviationConfirmationNeeded } from '../services/protocol/deviations';

const REASONS: Record<string, string> = {
	[DEVIATION_RULES.visitOutOfOrder]:
		'The earlier visit took place; its record is still to be entered from the paper source.',
	[DEVIATION_RULES.visitOutsideWindow]:
		'Participant available only on this day; agreed with the investigator.'
};

/** Runs `work`; asked to confirm a deviation, runs it again with the coordinator's reason. */
export async function confirmingDeviations<T>(
	work: (deviationReason?: string) => Promise<T>
): Promise<T> {
	try {
		return await work();
	} catch (e) {
		if (!(e instanceof DeviationConfirmationNeeded)) throw e;
		const reason = e.deviations.map((d) => REASONS[d.ruleId] ?? 'Agreed with the investigator.');
		return work([...new Set(reason)].join(' '));
	}
}
