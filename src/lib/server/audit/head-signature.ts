// The signed chain head. Every append signs { seq, hash } of the new head in its own transaction,
// so the head a verifier reads was signed by the key at the time of the last write: rows added,
// removed or rewritten at the end of the trail leave a head whose signature no longer matches,
// unless whoever did it also holds the key (kept outside the database; see signing-key.ts).
import type { KeyObject } from 'node:crypto';
import { canonicalJson } from './chain';
import { signBytes, verifyBytes, type SigningKey } from './signing-key';

let signer: SigningKey | null = null;

/** The key that signs the head from now on in this process (start-up; tests); null: none. */
export function useHeadSigner(key: SigningKey | null): void {
	signer = key;
}

export function headSigner(): SigningKey | null {
	return signer;
}

/** Domain-separated from checkpoints, so a checkpoint's signature can never pass as a head's. */
export function headPayload(head: { seq: number; hash: string }): string {
	return canonicalJson({ kind: 'vigil-audit-head', seq: head.seq, hash: head.hash });
}

export function signHead(head: { seq: number; hash: string }): {
	signature: string | null;
	key_fingerprint: string | null;
} {
	if (!signer) return { signature: null, key_fingerprint: null };
	return {
		signature: signBytes(signer, headPayload(head)).toString('base64'),
		key_fingerprint: signer.fingerprint
	};
}

/** Why the recorded head's signature does not hold, or null when it does. */
export function headSignatureProblem(
	head: { seq: number; hash: string; signature: string | null; key_fingerprint: string | null },
	key: { publicKey: KeyObject; fingerprint: string }
): string | null {
	if (!head.signature) {
		return `the chain head (row ${head.seq}) is not signed (it was written without the key, or its signature removed)`;
	}
	if (head.key_fingerprint !== key.fingerprint) {
		return `the chain head (row ${head.seq}) was signed by another key (${head.key_fingerprint}), not this server's`;
	}
	if (!verifyBytes(key.publicKey, headPayload(head), Buffer.from(head.signature, 'base64'))) {
		return `the chain head (row ${head.seq}) does not match its signature (rows were added, removed or rewritten at the end of the trail)`;
	}
	return null;
}
