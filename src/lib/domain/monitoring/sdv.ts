// Which records need source data verification (SDV), and a record's SDV status. ICH E6(R3)
// §3.11.4.5.4(b): source checks may sample and focus on critical data. [D] DOMAIN-2 §8: 100 %
// SDV for dosing (EX), serious adverse events, MADRS and C-SSRS; other records sampled.
import { z } from 'zod';

/**
 * A record class: a record type ('vital_reading', 'dosing_session', 'adverse_event',
 * 'scale_administration'), serious adverse events only ('adverse_event:serious'), or one scale
 * ('scale_administration:MADRS').
 */
const recordClass = z
	.string()
	.regex(
		/^(dosing_session|vital_reading|adverse_event(:serious)?|scale_administration(:[A-Za-z0-9-]+)?)$/,
		'A record class is dosing_session, vital_reading, adverse_event, adverse_event:serious, scale_administration or scale_administration:<scale>.'
	);

export const sdvSettingsSchema = z.strictObject({
	/** 'all': every record; 'risk-based': only the classes listed. */
	mode: z.enum(['all', 'risk-based']),
	required: z.array(recordClass)
});
export type SdvSettings = z.infer<typeof sdvSettingsSchema>;

/** [D] DOMAIN-2 §8: EX, SAEs, MADRS and C-SSRS in full. */
export const DEFAULT_SDV_SETTINGS: SdvSettings = {
	mode: 'risk-based',
	required: [
		'dosing_session',
		'adverse_event:serious',
		'scale_administration:MADRS',
		'scale_administration:C-SSRS'
	]
};

export interface SdvRecord {
	type: 'dosing_session' | 'vital_reading' | 'adverse_event' | 'scale_administration';
	serious?: boolean;
	instrument?: string;
}

/** True when the protocol asks for this record to be verified against source. */
export function sdvRequired(settings: SdvSettings, record: SdvRecord): boolean {
	if (settings.mode === 'all') return true;
	return settings.required.some((c) => {
		const [type, narrow] = c.split(':');
		if (type !== record.type) return false;
		if (narrow === undefined) return true;
		if (type === 'adverse_event') return record.serious === true;
		return record.instrument === narrow;
	});
}

export type SdvStatus = 'not-required' | 'pending' | 'verified' | 'changed';

/**
 * The status from the latest verification: verified while the record stands as verified;
 * 'changed' (back to pending, visibly) once it changed after; pending when never verified.
 */
export function sdvStatus(
	required: boolean,
	currentVersion: number,
	latestVerifiedVersion: number | null
): SdvStatus {
	if (latestVerifiedVersion !== null) {
		return latestVerifiedVersion === currentVersion ? 'verified' : 'changed';
	}
	return required ? 'pending' : 'not-required';
}
