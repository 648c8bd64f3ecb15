// The Ed25519 key that signs the audit chain head, checkpoints and auditor bundles. It lives in a
// key directory apart from the database (VIGIL_SIGNING_KEY, else `<VIGIL_KEY_DIR>/vigil-signing.key`
// with VIGIL_KEY_DIR defaulting to ~/.config/vigil), mode 0600, never in the database or its folder:
// whoever can copy or rewrite the database folder must not also hold the means to re-sign it.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { readAuditSettings, readConfig } from '../runtime/config';

export interface SigningKey {
	privateKey: KeyObject;
	publicKey: KeyObject;
	/** SubjectPublicKeyInfo PEM, as bundled and shown on the admin page. */
	publicKeyPem: string;
	/** SHA-256 of the DER public key, hex: what an auditor compares. */
	fingerprint: string;
}

/** The key directory: VIGIL_KEY_DIR, else ~/.config/vigil (never the database's folder). */
export function keyDirectory(): string {
	return resolve(readAuditSettings().keyDir ?? join(homedir(), '.config', 'vigil'));
}

/** Where earlier versions kept the key by default: beside the database. */
export function legacySigningKeyPath(): string {
	return resolve(join(dirname(readConfig().dbFile), 'vigil-signing.key'));
}

/**
 * Where the key is kept: VIGIL_SIGNING_KEY, else in the key directory. An install whose key still
 * sits beside the database keeps using it (its checkpoints were signed with it) until it is moved.
 */
export function signingKeyPath(): string {
	const named = readAuditSettings().signingKeyFile;
	if (named) return resolve(named);
	const preferred = join(keyDirectory(), 'vigil-signing.key');
	const legacy = legacySigningKeyPath();
	if (!existsSync(preferred) && existsSync(legacy)) return legacy;
	return preferred;
}

export class KeyFileError extends Error {}

/** Refuses a key file that anyone but its owner may read or write (it must be 0600 or 0400). */
export function assertKeyFilePrivate(file: string): void {
	if (!existsSync(file)) return;
	const mode = statSync(file).mode & 0o777;
	if ((mode & 0o077) !== 0) {
		throw new KeyFileError(
			`The signing key ${file} is readable or writable by others (mode ${mode.toString(8)}); ` +
				`Vigil will not use it. Run: chmod 600 ${file}`
		);
	}
}

export function publicKeyFingerprint(publicKey: KeyObject): string {
	const der = publicKey.export({ type: 'spki', format: 'der' });
	return createHash('sha256').update(der).digest('hex');
}

/** A public key from PEM text; throws on anything that is not an Ed25519 public key. */
export function parsePublicKey(pem: string): KeyObject {
	const key = createPublicKey(pem);
	if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 public key');
	return key;
}

function fromPrivateKey(privateKey: KeyObject): SigningKey {
	if (privateKey.asymmetricKeyType !== 'ed25519') {
		throw new Error('The signing key file does not hold an Ed25519 private key.');
	}
	const publicKey = createPublicKey(privateKey);
	return {
		privateKey,
		publicKey,
		publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
		fingerprint: publicKeyFingerprint(publicKey)
	};
}

const loaded = new Map<string, SigningKey>();

/** The key at `file`, made on first use (mode 0600; never overwriting a key made meanwhile). */
export function loadOrCreateSigningKey(file = signingKeyPath()): SigningKey {
	const cached = loaded.get(file);
	if (cached) return cached;
	if (!existsSync(file)) {
		mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
		const { privateKey } = generateKeyPairSync('ed25519');
		const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
		try {
			writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		}
	}
	assertKeyFilePrivate(file);
	const key = fromPrivateKey(createPrivateKey(readFileSync(file, 'utf8')));
	loaded.set(file, key);
	return key;
}

/** The key at `file` if it exists; verification never creates one. */
export function existingSigningKey(file = signingKeyPath()): SigningKey | null {
	return loaded.get(file) ?? (existsSync(file) ? loadOrCreateSigningKey(file) : null);
}

/** A fresh key that is never written anywhere (tests, and checking "another key" fails). */
export function ephemeralSigningKey(): SigningKey {
	return fromPrivateKey(generateKeyPairSync('ed25519').privateKey);
}

/** Ed25519 signature of `data` (64 bytes). */
export function signBytes(key: SigningKey, data: Uint8Array | string): Buffer {
	return edSign(null, Buffer.from(data), key.privateKey);
}

export function verifyBytes(
	publicKey: KeyObject,
	data: Uint8Array | string,
	signature: Uint8Array
): boolean {
	try {
		return edVerify(null, Buffer.from(data), publicKey, signature);
	} catch {
		return false;
	}
}
