// Bytes written straight into one working buffer and handed on as chunks of their own memory: for
// a writer whose records are mostly pieces it has written before (VS), so that a file costs its
// bytes, not a string per piece, an array of pieces and a joined string per chunk.

/**
 * Bytes in a chunk handed on: as many as the read workers' chunk (READ_CHUNK_BYTES in
 * reads/executor.ts), so each goes on as it is, its memory moved to the request thread.
 */
export const CHUNK_BYTES = 256 * 1024;

/** Room past a chunk for the record that fills it, so the working buffer seldom grows. */
const MARGIN = 64 * 1024;

/** Text this long or shorter is written by a loop here; longer text by Buffer#write. */
const SHORT = 64;

export class ChunkWriter {
	#buf = Buffer.allocUnsafeSlow(CHUNK_BYTES + MARGIN);
	/** Bytes written and not yet handed on. */
	at = 0;

	/** Room for `n` more bytes: a larger buffer when short, with what is written where it was. */
	#room(n: number): Buffer {
		if (this.at + n > this.#buf.length) {
			const grown = Buffer.allocUnsafeSlow(Math.max(this.#buf.length * 2, this.at + n));
			this.#buf.copy(grown, 0, 0, this.at);
			this.#buf = grown;
		}
		return this.#buf;
	}

	/** Whether a chunk's worth is written. */
	get full(): boolean {
		return this.at >= CHUNK_BYTES;
	}

	byte(c: number): void {
		this.#room(1)[this.at++] = c;
	}

	bytes(b: Uint8Array): void {
		this.#room(b.length).set(b, this.at);
		this.at += b.length;
	}

	/**
	 * Text as UTF-8: the same bytes as Buffer.from(text). Each piece on its own, so a surrogate pair
	 * split between two pieces would be two replacement characters: a caller's pieces meet at
	 * whole characters (VS's at commas and line ends).
	 */
	text(s: string): void {
		const n = s.length;
		const buf = this.#room(n * 3);
		if (n > SHORT) {
			this.at += buf.write(s, this.at);
			return;
		}
		let at = this.at;
		for (let i = 0; i < n; i++) {
			const c = s.charCodeAt(i);
			if (c >= 0x80) {
				// From the first character outside ASCII on (a pair stays whole), as Buffer#write does.
				this.at = at + buf.write(s.slice(i), at);
				return;
			}
			buf[at++] = c;
		}
		this.at = at;
	}

	/** A whole number ≥ 0 in decimal, as String(n) writes it. */
	digits(n: number): void {
		if (!Number.isSafeInteger(n) || n < 0) return this.text(String(n));
		let len = 1;
		for (let m = n; m >= 10; m = Math.floor(m / 10)) len++;
		const buf = this.#room(len);
		for (let i = this.at + len - 1; i >= this.at; i--) {
			buf[i] = 48 + (n % 10);
			n = Math.floor(n / 10);
		}
		this.at += len;
	}

	/** The bytes from `start` to `end` (written earlier, not yet handed on) again. */
	again(start: number, end: number): void {
		this.#room(end - start).copyWithin(this.at, start, end);
		this.at += end - start;
	}

	/** What is written, as one buffer of its own (its whole memory), and the writer emptied. */
	take(): Buffer {
		const out = Buffer.allocUnsafeSlow(this.at);
		this.#buf.copy(out, 0, 0, this.at);
		this.at = 0;
		return out;
	}
}
