// The meanings an investigator's electronic signature can carry (DOMAIN.md §5).

/** 21 CFR 11.50(a)(3): the meaning of a signature, such as review, approval or responsibility. */
export const SIGNATURE_MEANINGS = {
	reviewed: { label: 'Reviewed', says: 'I have reviewed this record.' },
	approved: { label: 'Approved', says: 'I approve this record.' },
	responsible: { label: 'Responsible', says: 'I take responsibility for this record.' }
} as const;
export type SignatureMeaning = keyof typeof SIGNATURE_MEANINGS;
