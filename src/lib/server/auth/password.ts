import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id minimum (m=19 MiB, t=2, p=1); @node-rs/argon2 defaults to argon2id.
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2_OPTIONS);
}

/** A running average of how long a password check takes here, to pad refusals that skip one. */
let typicalMs = 0;

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	const started = performance.now();
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	} finally {
		const took = performance.now() - started;
		typicalMs = typicalMs === 0 ? took : typicalMs * 0.8 + took * 0.2;
	}
}

/**
 * Waits until `started` is as long ago as a typical password check, so an answer given without
 * hashing (a throttled attempt) takes as long as one given after it and timing tells nothing.
 */
export async function padToPasswordCheck(started: number): Promise<void> {
	const left = typicalMs - (performance.now() - started);
	if (left > 0) await new Promise((r) => setTimeout(r, left));
}

let dummyHash: Promise<string> | undefined;
/** Spend the same time on an unknown email as on a wrong password. */
export async function burnPasswordCheck(password: string): Promise<void> {
	dummyHash ??= hashPassword('vigil-timing-equaliser');
	await verifyPassword(await dummyHash, password);
}
