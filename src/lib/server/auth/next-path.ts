// Where to go after signing in: only a path on this site, never another origin (ASVS 3.7.2; an
// open redirect lets a phishing link land on a look-alike after a real sign-in).

const BASE = 'http://vigil.invalid';

/**
 * `next` when it is a same-origin path, else null. Browsers read `\` as `/` and ignore tabs and
 * line breaks in URLs, so `/\evil`, `//evil`, `/\tevil` and their percent-encoded forms all leave
 * the site; anything with a backslash, a control character or a second leading slash (raw or
 * decoded) is refused, and what remains must resolve to this origin.
 */
export function safeNextPath(next: string | null | undefined): string | null {
	if (!next || next.length > 2048 || !next.startsWith('/')) return null;
	let decoded = next;
	for (let i = 0; i < 3; i++) {
		try {
			const once = decodeURIComponent(decoded);
			if (once === decoded) break;
			decoded = once;
		} catch {
			return null;
		}
	}
	for (const text of [next, decoded]) {
		// eslint-disable-next-line no-control-regex
		if (/[\\\u0000-\u001f\u007f]/.test(text)) return null;
		if (text.startsWith('//')) return null;
	}
	let resolved: URL;
	try {
		resolved = new URL(next, BASE);
	} catch {
		return null;
	}
	if (resolved.origin !== BASE) return null;
	return resolved.pathname + resolved.search + resolved.hash;
}
