// Whether a participant holds valid consent for a study procedure at a moment (DOMAIN-2.md §3):
// signed (date and time, not only a date) on a form version approved and active by then, not
// withdrawn, and on the latest version flagged "re-consent required" that was active by then.
// 21 CFR 50.27(a); E6(R3) §2.8.2, §2.8.7.

export interface ConsentFormVersion {
	id: number;
	label: string;
	/** Ethics approval, ISO date. */
	approvedOn: string;
	/** In use from this instant (ISO 8601, UTC). */
	activeFrom: string;
	/** Participants on an older version must consent again before their next procedure. */
	reconsentRequired: boolean;
}

export interface ConsentRecord {
	id: number;
	formVersionId: number;
	/** When the participant (or LAR) signed, ISO 8601 UTC. */
	signedAt: string;
	/** When consent was withdrawn, if it was. */
	withdrawnAt: string | null;
	enteredInError: boolean;
}

export type ConsentValidity =
	| { valid: true; record: ConsentRecord; version: ConsentFormVersion }
	| {
			valid: false;
			reason: 'no-consent' | 'withdrawn' | 'reconsent-required' | 'signed-later';
			message: string;
			required: ConsentFormVersion | null;
	  };

const ms = (iso: string) => Date.parse(iso);

/** The version every participant must be on at `at`: the newest active re-consent version. */
export function requiredVersion(
	versions: readonly ConsentFormVersion[],
	at: string
): ConsentFormVersion | null {
	const active = versions.filter((v) => ms(v.activeFrom) <= ms(at) && v.reconsentRequired);
	return active.sort((a, b) => ms(b.activeFrom) - ms(a.activeFrom))[0] ?? null;
}

export function consentValidity(
	versions: readonly ConsentFormVersion[],
	records: readonly ConsentRecord[],
	at: string
): ConsentValidity {
	const byId = new Map(versions.map((v) => [v.id, v]));
	const required = requiredVersion(versions, at);
	const live = records.filter((r) => !r.enteredInError);
	const withdrawn = live.find((r) => r.withdrawnAt !== null && ms(r.withdrawnAt) <= ms(at));
	if (withdrawn) {
		return {
			valid: false,
			reason: 'withdrawn',
			message: `Consent was withdrawn on ${withdrawn.withdrawnAt!.slice(0, 10)}.`,
			required
		};
	}
	const signed = live
		.filter((r) => ms(r.signedAt) <= ms(at))
		.sort((a, b) => ms(b.signedAt) - ms(a.signedAt));
	if (signed.length === 0) {
		const later = live.length > 0;
		return {
			valid: false,
			reason: later ? 'signed-later' : 'no-consent',
			message: later
				? 'Consent was signed after this time: no study procedure may come before consent.'
				: 'No informed consent is recorded.',
			required
		};
	}
	const onRequired = required
		? signed.find((r) => {
				const v = byId.get(r.formVersionId);
				return v !== undefined && ms(v.activeFrom) >= ms(required.activeFrom);
			})
		: signed[0];
	if (!onRequired) {
		return {
			valid: false,
			reason: 'reconsent-required',
			message: `Re-consent on form version ${required!.label} is required before this procedure.`,
			required
		};
	}
	return { valid: true, record: onRequired, version: byId.get(onRequired.formVersionId)! };
}

/** Participants still on study whose latest consent is older than the required version. */
export function needsReconsent(
	versions: readonly ConsentFormVersion[],
	records: readonly ConsentRecord[],
	at: string
): boolean {
	const v = consentValidity(versions, records, at);
	return !v.valid && v.reason === 'reconsent-required';
}
