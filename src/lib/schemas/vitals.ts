import { z } from 'zod';
import { plainNumber } from './input';

/** Body position, SDTM VSPOS (C71148). */
export const POSITIONS = ['SITTING', 'SUPINE', 'STANDING'] as const;
export type Position = (typeof POSITIONS)[number];

const optionalNumber = (label: string) =>
	z.preprocess(
		(v) => (v === '' || v === null || v === undefined ? null : plainNumber(v)),
		z.number({ error: `Enter ${label} as a number.` }).nullable()
	);

/**
 * One reading as typed: the timepoint (minutes from T0, 'end', or 'unscheduled'), the clock time
 * it was taken, the values, and whether the user confirmed the soft-check warnings.
 */
export const vitalsEntryInput = z.object({
	timepoint: z.union(
		[z.preprocess(plainNumber, z.number().int()), z.enum(['end', 'unscheduled'])],
		{
			error: 'Choose the timepoint.'
		}
	),
	/** 'HH:mm' at the site, or a full ISO date-time with offset (API). */
	takenAt: z
		.string({ error: 'Enter the time of the reading.' })
		.trim()
		.min(1, 'Enter the time of the reading.'),
	systolic: optionalNumber('systolic pressure'),
	diastolic: optionalNumber('diastolic pressure'),
	heartRate: optionalNumber('heart rate'),
	temperature: optionalNumber('temperature'),
	temperatureUnit: z.enum(['C', 'F']).default('C'),
	position: z.enum(POSITIONS).nullable().optional(),
	confirmed: z
		.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean())
		.default(false)
});
export type VitalsEntryInput = z.infer<typeof vitalsEntryInput>;

export const vitalsBatchInput = z.object({
	readings: z
		.array(z.unknown())
		.min(1, 'Send at least one reading.')
		.max(500, 'Send at most 500 readings at a time.')
});
