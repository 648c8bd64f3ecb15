// Participant self-report (ePRO) settings (DOMAIN-2.md §5). Vigil ships PHQ-9's wording (free to
// use); QIDS-SR16 and BDI-II are offered only when the site's protocol file supplies the item text
// it is licensed to use (QIDS-SR16 electronic terms unconfirmed [U]; BDI-II is sold by Pearson).
import { z } from 'zod';

const option = z.strictObject({
	value: z.string().trim().min(1).max(4),
	label: z.string().trim().min(1).max(300)
});

const itemText = z.strictObject({
	text: z.string().trim().min(1).max(1000),
	options: z.array(option).min(2).max(10),
	/** An item the participant may leave out (PHQ-9 item 10). */
	optional: z.boolean().optional()
});

export const eproTextSchema = z.strictObject({
	instructions: z.string().trim().min(1).max(1000),
	/** The recall window the wording asks about, in days (PHQ-9 14, QIDS-SR16 7). */
	recallDays: z.number().int().min(1).max(90),
	items: z.record(z.string().regex(/^\d{1,2}$/), itemText)
});
export type EproText = z.infer<typeof eproTextSchema>;

export const eproSettingsSchema = z.strictObject({
	/** A one-time link sent to the participant stays usable this long [D: a site choice]. */
	linkValidHours: z
		.number()
		.min(1)
		.max(24 * 14),
	/** A kiosk link opened on a site tablet stays usable this long [D: a site choice]. */
	kioskValidMinutes: z
		.number()
		.int()
		.min(5)
		.max(24 * 60),
	/** Licensed item wording the site supplies, by instrument (QIDSSR16, BDI2). */
	itemText: z.strictObject({
		QIDSSR16: eproTextSchema.optional(),
		BDI2: eproTextSchema.optional()
	})
});
export type EproSettings = z.infer<typeof eproSettingsSchema>;

// No source sets these: a link lives for a day and a kiosk entry for an hour, as a site choice
// (short enough that a forwarded or forgotten link soon stops working).
export const DEFAULT_EPRO_SETTINGS: EproSettings = {
	linkValidHours: 24,
	kioskValidMinutes: 60,
	itemText: {}
};
