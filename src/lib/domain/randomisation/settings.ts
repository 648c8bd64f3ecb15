import { z } from 'zod';
import { allocationProblem } from './blocks';

// The protocol's randomisation section (DOMAIN-2.md §1). Defaults [D]: 1:1, strata site ×
// baseline MADRS < 35 / ≥ 35, random blocks of 2 and 4. Off unless the protocol turns it on, so an
// open-label protocol keeps working unchanged.

const armSchema = z.strictObject({
	code: z.string().regex(/^[A-Z0-9]{1,8}$/, 'Use 1–8 capital letters or digits (SDTM ARMCD).'),
	label: z.string().trim().min(1).max(60),
	ratio: z.number().int().min(1).max(10)
});

export const randomisationSchema = z
	.strictObject({
		enabled: z.boolean(),
		arms: z.array(armSchema).min(2, 'Give at least two arms.').max(6),
		stratifyBySite: z.boolean(),
		severityBand: z
			.strictObject({
				scale: z.literal('MADRS'),
				cut: z.number().int().min(1).max(60)
			})
			.nullable(),
		blockSizes: z.array(z.number().int().min(2).max(24)).min(1),
		slotsPerStratum: z.number().int().min(2).max(2000),
		/** Told by e-mail of every emergency unblinding (sponsor or medical monitor; E6(R3) §2.11). */
		unblindingContact: z.email('Give an e-mail address.').nullable()
	})
	.superRefine((s, ctx) => {
		const problem = allocationProblem({
			seed: '0'.repeat(32),
			arms: s.arms,
			blockSizes: s.blockSizes,
			slotsPerStratum: s.slotsPerStratum
		});
		if (problem) ctx.addIssue({ code: 'custom', path: ['blockSizes'], message: problem });
	});

export type RandomisationSettings = z.infer<typeof randomisationSchema>;

export const DEFAULT_RANDOMISATION: RandomisationSettings = {
	enabled: false,
	arms: [
		{ code: 'MDMA', label: 'MDMA-assisted therapy', ratio: 1 }, // MAPP2 1:1 (Mitchell 2023)
		{ code: 'PBO', label: 'Placebo with therapy', ratio: 1 }
	],
	stratifyBySite: true, // MAPP2: stratified by site
	severityBand: { scale: 'MADRS', cut: 35 }, // DOMAIN.md §2: 35–60 severe (Snaith 1986)
	blockSizes: [2, 4], // DOMAIN-2.md §1 [D]: two random lengths keep staff blind to block length
	slotsPerStratum: 40,
	unblindingContact: null
};
