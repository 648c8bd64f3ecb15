/** The client's address (behind a proxy, as ADDRESS_HEADER names it); throttling keys on it. */
export function clientAddress(event: { getClientAddress: () => string }): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}
