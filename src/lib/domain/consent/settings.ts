import { z } from 'zod';

// What happens when a study procedure is attempted without valid consent (DOMAIN-2.md §3):
// refused [D], or allowed with a recorded protocol deviation (category INFORMED CONSENT, §7).

export const CONSENT_GATES = ['refuse', 'deviation'] as const;
export type ConsentGate = (typeof CONSENT_GATES)[number];

export const consentSettingsSchema = z.strictObject({
	withoutValidConsent: z.enum(CONSENT_GATES, { error: 'Use refuse or deviation.' })
});
export type ConsentSettings = z.infer<typeof consentSettingsSchema>;

export const DEFAULT_CONSENT_SETTINGS: ConsentSettings = { withoutValidConsent: 'refuse' };
