import { z } from 'zod';
import { SEXES } from '../codes/sexes';
import { calendarDate, optionalReasonText, plainNumber, reasonText } from './input';

/** Participant status; SDTM DS-style milestones in plain words. */
export const PARTICIPANT_STATUSES = ['screening', 'enrolled', 'withdrawn', 'completed'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

export { SEXES, SEX_LABELS } from '../codes/sexes';

/** A real calendar day inside the plausible range (see input.ts). */
const isoDate = calendarDate;

export function participantInput(now: Date) {
	const thisYear = now.getUTCFullYear();
	return z.object({
		subjectCode: z
			.string({ error: 'Enter the subject code.' })
			.trim()
			.toUpperCase()
			.regex(/^[A-Z0-9]{1,16}-\d{3,4}$/, 'Use the site code, a dash and a number, such as 01-004.'),
		sex: z.enum(SEXES, { error: 'Choose the sex recorded at screening.' }),
		birthYear: z.preprocess(
			plainNumber,
			z
				.number({ error: 'Enter the year of birth.' })
				.int('Enter a whole year.')
				.min(1900, 'Enter a year from 1900.')
				// Trials enrol adults only.
				.max(thisYear - 18, `Participants are adults: born ${thisYear - 18} or earlier.`)
		),
		doseGroup: z
			.string({ error: 'Enter the dose group.' })
			.trim()
			.min(1, 'Enter the dose group.')
			.max(40),
		status: z.enum(['screening', 'enrolled'], { error: 'Choose screening or enrolled.' }),
		enrolledOn: isoDate.optional()
	});
}
export type ParticipantInput = z.infer<ReturnType<typeof participantInput>>;

export const participantStatusChange = z.object({
	status: z.enum(PARTICIPANT_STATUSES, { error: 'Choose a status.' }),
	enrolledOn: isoDate.optional(),
	reason: optionalReasonText
});

export const visitRecordInput = z.discriminatedUnion(
	'status',
	[
		z.object({
			status: z.literal('completed'),
			actualOn: isoDate,
			reason: optionalReasonText,
			/** Why the visit took place outside its window or out of order (a deviation is recorded). */
			deviationReason: z.string().optional()
		}),
		z.object({
			status: z.literal('missed'),
			missedReason: reasonText('Say why the visit was missed.'),
			reason: optionalReasonText
		})
	],
	{ error: 'Choose whether the visit took place or was missed.' }
);

export { isoDate };
