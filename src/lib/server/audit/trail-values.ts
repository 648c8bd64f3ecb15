// Values the trail states about a column without stating the value itself: a digest of a secret
// (a password hash, a token hash: the trail never holds either) and "set, when not recorded" (an
// entry written before its time was added to the payload). The data check compares both with
// the stored value and shows neither secret in its report.
import { sha256Hex } from './chain';

/** The trail holds the SHA-256 of the column's value, never the value. */
export class Digest {
	constructor(readonly sha256: string) {}
	matches(stored: unknown): boolean {
		return stored !== null && stored !== undefined && sha256Hex(String(stored)) === this.sha256;
	}
	toJSON(): string {
		return `sha256:${this.sha256}`;
	}
}

/** The trail says the column was set (an older entry that did not record when). */
export class Present {
	matches(stored: unknown): boolean {
		return stored !== null && stored !== undefined;
	}
	toJSON(): string {
		return '(set)';
	}
}
export const PRESENT = new Present();

/** What a report shows of a stored value held against `audited` (a digest shows a digest). */
export function shownStored(audited: unknown, stored: unknown): unknown {
	if (audited instanceof Digest) {
		return stored === null || stored === undefined ? null : `sha256:${sha256Hex(String(stored))}`;
	}
	return stored;
}
