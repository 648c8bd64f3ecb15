import { z } from 'zod';
import { comparisonSchema } from '../protocol/comparison';

// Relapse after remission (DOMAIN-2.md §6): the esketamine maintenance trial SUSTAIN-1 (Daly
// 2019, JAMA Psychiatry 76:893) counted MADRS ≥ 22 at 2 consecutive assessments 5–15 days apart,
// or hospitalisation for worsening depression, or a suicide attempt. Origin = first remission [D].

export const relapseSchema = z.strictObject({
	/** The scale whose totals define relapse (the protocol's primary scale by default). */
	scale: z.literal('MADRS'),
	threshold: comparisonSchema,
	/** How many consecutive assessments must meet the threshold. */
	consecutive: z.number().int().min(1).max(4),
	/** Consecutive qualifying assessments must be this many days apart (both included). */
	minDaysApart: z.number().int().min(0),
	maxDaysApart: z.number().int().min(1),
	/** Adverse-event terms that count as a relapse on their onset day (hospitalisation, attempt). */
	eventTerms: z.array(z.string().trim().min(1).max(200)).max(20)
});

export type RelapseSettings = z.infer<typeof relapseSchema>;

export const DEFAULT_RELAPSE: RelapseSettings = {
	scale: 'MADRS',
	threshold: { op: '>=', value: 22 }, // SUSTAIN-1: MADRS ≥ 22
	consecutive: 2, // at 2 consecutive assessments
	minDaysApart: 5, // 5–15 days apart
	maxDaysApart: 15,
	eventTerms: ['Hospitalisation for worsening depression', 'Suicide attempt'] // SUSTAIN-1
};
