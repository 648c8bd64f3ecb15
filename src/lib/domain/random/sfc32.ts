// sfc32, Chris Doty-Humphrey's Small Fast Counter (PractRand): the one seeded generator core that
// the allocation schedule (domain/randomisation) and the demo generator both draw from. How each
// is seeded and warmed up stays with its owner; this is only the 128-bit state and its step.

export class Sfc32 {
	#a: number;
	#b: number;
	#c: number;
	#d: number;

	constructor(a: number, b: number, c: number, d: number, warmUp: number) {
		this.#a = a;
		this.#b = b;
		this.#c = c;
		this.#d = d;
		for (let i = 0; i < warmUp; i++) this.nextUint32();
	}

	/** Uniform over 0 … 2³² − 1. */
	nextUint32(): number {
		const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
		this.#d = (this.#d + 1) | 0;
		this.#a = this.#b ^ (this.#b >>> 9);
		this.#b = (this.#c + (this.#c << 3)) | 0;
		this.#c = (this.#c << 21) | (this.#c >>> 11);
		this.#c = (this.#c + t) | 0;
		return t >>> 0;
	}
}
