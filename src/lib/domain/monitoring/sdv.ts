// Which records need source data verification (SDV), and a record's SDV status. ICH E6(R3)
// §3.11.4.5.4(b): source checks may sample and focus on critical data. [D] DOMAIN-2 §8: 100 %
// SDV for dosing (EX), serious adverse events, MADRS and C-SSRS; other records sampled.
import { z } from 'zod';
import { DEFAULT_SDV_FIELDS, sdvFieldsSchema } from './sdv-fields';

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
	/** 'all': every record; 'risk-based': the classes listed, and a sample of the rest. */
	mode: z.enum(['all', 'risk-based']),
	required: z.array(recordClass),
	/**
	 * Risk-based only: this percentage (0–100) of the records no class requires is drawn for
	 * verification too, the same records on every reading (E6(R3) §3.11.4.5.4(b): checks may sample).
	 */
	samplePercent: z
		.number({ error: 'Give a percentage from 0 to 100.' })
		.min(0, 'Give a percentage from 0 to 100.')
		.max(100, 'Give a percentage from 0 to 100.'),
	/**
	 * The fields verified on each record type (see ./sdv-fields); a type left out keeps its default.
	 * Optional so protocol versions stored before field-by-field SDV still read.
	 */
	fields: sdvFieldsSchema.optional()
});
export type SdvSettings = z.infer<typeof sdvSettingsSchema>;

/**
 * [D] DOMAIN-2 §8: EX, SAEs, MADRS and C-SSRS in full. "Sampling elsewhere" names no figure, so
 * the default samples none; a sponsor states its percentage in the protocol.
 */
export const DEFAULT_SDV_SETTINGS: SdvSettings = {
	mode: 'risk-based',
	required: [
		'dosing_session',
		'adverse_event:serious',
		'scale_administration:MADRS',
		'scale_administration:C-SSRS'
	],
	samplePercent: 0,
	fields: structuredClone(DEFAULT_SDV_FIELDS)
};

export interface SdvRecord {
	type: 'dosing_session' | 'vital_reading' | 'adverse_event' | 'scale_administration';
	/** The record's id: what draws it into the sample, or not. */
	id: number;
	serious?: boolean;
	instrument?: string;
}

/**
 * The record's place in the sample, 0–99: FNV-1a of 'type:id', so the same record is drawn on
 * every reading and in every process, and the draw does not follow the order of entry.
 */
export function sampleBucket(type: string, id: number): number {
	// FNV-1a over `${type}:` (kept per type), then over the id's characters (ASCII).
	let h = prefixState(type);
	const digits = String(id);
	for (let i = 0; i < digits.length; i++) {
		h = Math.imul((h ^ digits.charCodeAt(i)) >>> 0, 0x01000193) >>> 0;
	}
	// Mix the high bits in: consecutive ids differ only in the last characters.
	h = (h ^ (h >>> 16)) >>> 0;
	h = Math.imul(h, 0x45d9f3b) >>> 0;
	h = (h ^ (h >>> 16)) >>> 0;
	return h % 100;
}

/** FNV-1a's state after `${type}:`, by type: a rebuild hashes a million ids of four types. */
const prefixStates = new Map<string, number>();
function prefixState(type: string): number {
	let h = prefixStates.get(type);
	if (h === undefined) {
		h = 0x811c9dc5;
		for (const ch of `${type}:`) {
			h = Math.imul((h ^ ch.charCodeAt(0)) >>> 0, 0x01000193) >>> 0;
		}
		if (prefixStates.size < 64) prefixStates.set(type, h);
	}
	return h;
}

/** True when the protocol asks for this record to be verified against source. */
export function sdvRequired(settings: SdvSettings, record: SdvRecord): boolean {
	return sdvRequirement(settings)(record);
}

/**
 * sdvRequired under these settings, with their classes read once: for a rebuild that asks of
 * every record of a study (a million at the trial tier).
 */
export function sdvRequirement(settings: SdvSettings): (record: SdvRecord) => boolean {
	if (settings.mode === 'all') return () => true;
	// Per type: listed whole, or the narrower classes (serious adverse events; scales by name).
	const listed = new Map<string, { whole: boolean; narrow: Set<string> }>();
	for (const c of settings.required) {
		const [type = '', narrow] = c.split(':');
		const of = listed.get(type) ?? { whole: false, narrow: new Set<string>() };
		if (narrow === undefined) of.whole = true;
		else of.narrow.add(narrow);
		listed.set(type, of);
	}
	const percent = settings.samplePercent;
	return (record) => {
		const of = listed.get(record.type);
		if (of?.whole) return true;
		if (of && of.narrow.size > 0) {
			const narrowed =
				record.type === 'adverse_event'
					? record.serious === true
					: record.instrument !== undefined && of.narrow.has(record.instrument);
			if (narrowed) return true;
		}
		// A bucket is 0–99: a percentage of 0 draws none.
		return percent > 0 && sampleBucket(record.type, record.id) < percent;
	};
}

/**
 * Whether any record of this type can be required under these settings: false means no record of
 * the type needs verifying (sdvRequired is false for each), so a write of one leaves SDV progress.
 */
export function sdvTypeRequirable(settings: SdvSettings, type: SdvRecord['type']): boolean {
	return (
		settings.mode === 'all' ||
		settings.samplePercent > 0 ||
		settings.required.some((c) => c.split(':')[0] === type)
	);
}
