import { z } from 'zod';
import { siteDateTime } from './datetime';
import { isoDate } from './participant';

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const optionalText = (max: number) =>
	z.preprocess(blankToUndefined, z.string().trim().max(max).optional());

/** A consent form version approved by the ethics committee (admin). */
export const consentFormVersionInput = z.object({
	label: z
		.string({ error: 'Enter the version label.' })
		.trim()
		.min(1, 'Enter the version label.')
		.max(20),
	language: z.string().trim().min(2, 'Enter the language (e.g. en, no).').max(20).default('en'),
	approvedOn: isoDate,
	activeFrom: isoDate,
	reconsentRequired: z.preprocess((v) => v === true || v === 'on' || v === 'true', z.boolean()),
	summary: optionalText(500)
});

export const CONSENT_SIGNERS = ['participant', 'lar'] as const;
export const COPY_MEDIA = ['paper', 'electronic'] as const;

/** A participant's signed consent, as the coordinator records it (site-local date and time). */
export function consentRecordInput(timeZone: string) {
	return z
		.object({
			formVersionId: z.coerce
				.number({ error: 'Choose the form version.' })
				.int()
				.positive('Choose the form version.'),
			signedAt: siteDateTime(timeZone, 'the date and time of signing'),
			signer: z.enum(CONSENT_SIGNERS, { error: 'Say who signed.' }),
			larName: optionalText(120),
			larRelation: optionalText(60),
			obtainedByName: z
				.string({ error: 'Enter who obtained consent.' })
				.trim()
				.min(2, 'Enter who obtained consent.')
				.max(120),
			witnessName: optionalText(120),
			copyGivenOn: z.preprocess(blankToUndefined, isoDate.optional()),
			copyMedium: z.preprocess(blankToUndefined, z.enum(COPY_MEDIA).optional()),
			reconsentReason: optionalText(300)
		})
		.superRefine((v, ctx) => {
			if (v.signer === 'lar' && !v.larName) {
				ctx.addIssue({
					code: 'custom',
					path: ['larName'],
					message: 'Enter the legally authorised representative’s name.'
				});
			}
			if (v.signer === 'lar' && !v.larRelation) {
				ctx.addIssue({
					code: 'custom',
					path: ['larRelation'],
					message: 'Enter the representative’s relation to the participant.'
				});
			}
			if (v.copyGivenOn && !v.copyMedium) {
				ctx.addIssue({ code: 'custom', path: ['copyMedium'], message: 'Paper or electronic?' });
			}
		});
}
export type ConsentRecordInput = z.infer<ReturnType<typeof consentRecordInput>>;

export function consentWithdrawalInput(timeZone: string) {
	return z.object({
		withdrawnAt: siteDateTime(timeZone, 'the date and time of withdrawal'),
		scope: z
			.string({ error: 'Say what the participant withdrew from.' })
			.trim()
			.min(3, 'Say what the participant withdrew from.')
			.max(300)
	});
}
