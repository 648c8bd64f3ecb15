// The allocation schedule's PRNG. E9 §2.3.2 wants the schedule reproducible; DOMAIN-2.md §1 a
// seeded, named generator (never Math.random) with a CSPRNG seed. Named and versioned so the audit
// trail can say exactly which algorithm made a list: sfc32 (Chris Doty-Humphrey's Small Fast
// Counter, PractRand) keyed by the first 16 bytes of SHA-256(seed "/" stream name).
import { sha256 } from '@oslojs/crypto/sha2';
import { Sfc32 } from '../random/sfc32';

export const PRNG_NAME = 'sfc32-sha256' as const;

export class NamedPrng {
	#core: Sfc32;

	/** An independent stream per name: the same seed and name always give the same numbers. */
	constructor(seed: string, stream: string) {
		const key = sha256(new TextEncoder().encode(`${seed}/${stream}`));
		const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
		this.#core = new Sfc32(
			view.getUint32(0),
			view.getUint32(4),
			view.getUint32(8),
			view.getUint32(12),
			15
		);
	}

	/** Uniform over 0 … 2³² − 1. */
	nextUint32(): number {
		return this.#core.nextUint32();
	}

	/** Uniform over 0 … n − 1 without modulo bias (rejection sampling). */
	below(n: number): number {
		if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError('n must be 1 … 2³².');
		const limit = 2 ** 32 - (2 ** 32 % n);
		for (;;) {
			const x = this.nextUint32();
			if (x < limit) return x % n;
		}
	}

	/** Fisher–Yates shuffle of a copy. */
	shuffle<T>(items: readonly T[]): T[] {
		const out = [...items];
		for (let i = out.length - 1; i > 0; i--) {
			const j = this.below(i + 1);
			[out[i], out[j]] = [out[j]!, out[i]!];
		}
		return out;
	}
}
