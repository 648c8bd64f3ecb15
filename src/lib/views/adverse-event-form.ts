// The adverse-event form's fields as the service's input: shared by the pages' actions and the
// AdverseEventFields component, so neither copies the other's field names.
import { searchCodedTermMatches, seriousnessCriteria } from '$lib/domain/adverse-events';

/** The form's values as typed (or prefilled): one string per input name. */
export type AdverseEventFormValues = Record<string, string | string[] | undefined>;

const flat = ['verbatimTerm', 'onsetAt', 'endAt', 'awareAt', 'severity', 'notes'] as const;
const choices = ['relatedness', 'expectedness', 'actionTaken', 'outcome'] as const;

/** A typed term name (or code) becomes its code; anything else goes on to be refused. */
function codeOf(typed: string): string {
	const exact = searchCodedTermMatches(typed, 1).find((m) => m.rank === 'exact');
	return exact ? exact.term.code : typed;
}

/** The service's input from this form's fields (criteria come as criteria.<name> radios). */
export function adverseEventFormInput(form: FormData): Record<string, unknown> {
	const text = (name: string) => {
		const value = form.get(name);
		return typeof value === 'string' ? value : undefined;
	};
	const input: Record<string, unknown> = {};
	for (const name of [...flat, ...choices, 'dosingSessionId']) input[name] = text(name);
	input.codedTermCode = codeOf(text('codedTermCode') ?? '');
	input.criteria = Object.fromEntries(seriousnessCriteria.map((c) => [c, text(`criteria.${c}`)]));
	return input;
}
