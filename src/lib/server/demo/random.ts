// A small seeded PRNG for the demo generator: sfc32 (Chris Doty-Humphrey's Small Fast Counter),
// seeded by hashing a label with cyrb128, so every participant can have a stream of its own that
// does not depend on the order in which other participants are generated.
import { Sfc32 } from '../../domain/random/sfc32';

/** cyrb128: four 32-bit words from a string (public-domain hash by bryc). */
function cyrb128(text: string): [number, number, number, number] {
	let h1 = 1779033703;
	let h2 = 3144134277;
	let h3 = 1013904242;
	let h4 = 2773480762;
	for (let i = 0; i < text.length; i++) {
		const k = text.charCodeAt(i);
		h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
		h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
		h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
		h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
	}
	h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
	h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
	h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
	h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
	h1 ^= h2 ^ h3 ^ h4;
	h2 ^= h1;
	h3 ^= h1;
	h4 ^= h1;
	return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export class Random {
	#core: Sfc32;

	/** A stream named by its parts, e.g. Random.of(seed, 'participant', 17). */
	static of(...parts: Array<string | number>): Random {
		return new Random(cyrb128(parts.join('/')));
	}

	private constructor([a, b, c, d]: [number, number, number, number]) {
		this.#core = new Sfc32(a, b, c, d, 12);
	}

	/** Uniform in [0, 1). */
	next(): number {
		return this.#core.nextUint32() / 4294967296;
	}

	uniform(min: number, max: number): number {
		return min + (max - min) * this.next();
	}

	/** A whole number from min to max, both included. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	/** Normal by Box–Muller, cut at ±3 SD so no draw is absurd. */
	normal(mean: number, sd: number): number {
		const u = 1 - this.next();
		const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
		return mean + sd * Math.max(-3, Math.min(3, z));
	}

	pick<T>(items: readonly T[]): T {
		if (items.length === 0) throw new RangeError('Nothing to pick from.');
		return items[Math.floor(this.next() * items.length)]!;
	}

	/** One of the items, each as likely as its weight. */
	weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
		const total = items.reduce((sum, [, w]) => sum + w, 0);
		let r = this.next() * total;
		for (const [item, w] of items) {
			r -= w;
			if (r < 0) return item;
		}
		return items[items.length - 1]![0];
	}
}

export const clamp = (value: number, min: number, max: number): number =>
	Math.min(max, Math.max(min, value));
