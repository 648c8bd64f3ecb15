// The idempotency key a new reading is sent with (vital_reading.client_key): a resend whose answer
// was lost returns the stored reading and stores nothing. Apart from the queue, which the page
// loads later, because every save needs one.

/** A fresh idempotency key: 128 random bits in base64url (no secure context needed). */
export function newClientKey(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return btoa(String.fromCharCode(...bytes))
		.replace(/\+/g, '-')
		.replace(/\//g, '_')
		.replace(/=+$/, '');
}
