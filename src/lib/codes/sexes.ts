// The sex recorded at screening, as a code list; no Zod, so pages may import it.

/** SDTM DM.SEX codelist (C66731): F, M, U, UNDIFFERENTIATED. */
export const SEXES = ['F', 'M', 'U', 'UNDIFFERENTIATED'] as const;
export const SEX_LABELS: Record<(typeof SEXES)[number], string> = {
	F: 'Female',
	M: 'Male',
	U: 'Unknown',
	UNDIFFERENTIATED: 'Undifferentiated'
};
