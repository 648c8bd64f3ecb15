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

/** An idempotency key as a device makes it (a UUID, or random bytes in base64url). */
const CLIENT_KEY = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * One reading as typed: the timepoint (minutes from T0, 'end', or 'unscheduled'), the clock time
 * it was taken, the values, and whether the user confirmed the soft-check warnings.
 */
const TEMPERATURE_WITH_UNIT = /^\s*(-?\d+(?:[.,]\d+)?)\s*°?\s*([cCfF])\s*$/;

/**
 * A temperature typed with its unit ('98.6F', '98.6 F', '37C', '37,2 °C') sets the unit too: the
 * typed unit wins over the unit select, since it is what the person saw on the thermometer.
 */
function splitTemperatureUnit(input: unknown): unknown {
	if (typeof input !== 'object' || input === null) return input;
	const o = input as Record<string, unknown>;
	if (typeof o.temperature !== 'string') return input;
	const m = TEMPERATURE_WITH_UNIT.exec(o.temperature);
	if (!m) return input;
	return { ...o, temperature: m[1], temperatureUnit: m[2]!.toUpperCase() };
}

/** The fields of one reading (the API documents this shape). */
export const vitalsEntryObject = z.object({
	timepoint: z.union(
		[z.preprocess(plainNumber, z.number().int()), z.enum(['end', 'unscheduled'])],
		{
			error: 'Choose the timepoint.'
		}
	),
	/**
	 * When it was measured: 'HH:mm' at the site, or a full ISO date-time with offset (API). Left
	 * empty or out, the moment it is saved (never the planned time).
	 */
	takenAt: z.preprocess(
		(v) => (v === null || v === undefined ? '' : v),
		z.string({ error: 'Enter the time as HH:MM, or leave it empty for now.' }).trim()
	),
	systolic: optionalNumber('systolic pressure'),
	diastolic: optionalNumber('diastolic pressure'),
	heartRate: optionalNumber('heart rate'),
	temperature: optionalNumber('temperature'),
	temperatureUnit: z.enum(['C', 'F']).default('C'),
	position: z.enum(POSITIONS).nullable().optional(),
	confirmed: z
		.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean())
		.default(false),
	/**
	 * The sending device's idempotency key for this reading: sent again (a retry after a dropped
	 * connection), the reading already stored under it is returned and nothing new is stored.
	 */
	clientKey: z.preprocess(
		(v) => (v === '' || v === null ? undefined : v),
		z
			.string({ error: 'The client key must be text.' })
			.regex(CLIENT_KEY, 'The client key is 8–64 letters, digits, "-" or "_".')
			.optional()
	)
});
export const vitalsEntryInput = z.preprocess(splitTemperatureUnit, vitalsEntryObject);
export type VitalsEntryInput = z.infer<typeof vitalsEntryObject>;

export const vitalsBatchInput = z.object({
	readings: z
		.array(z.unknown())
		.min(1, 'Send at least one reading.')
		.max(500, 'Send at most 500 readings at a time.')
});
