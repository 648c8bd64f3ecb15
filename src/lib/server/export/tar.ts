// POSIX ustar (IEEE Std 1003.1-1988, "ustar Interchange Format"): a 512-byte header per file, the
// contents padded to 512 bytes, two zero blocks at the end. Only regular files with names under
// 100 bytes, which is all a bundle holds. The reader is streaming and strict: a bad checksum, a
// truncated entry or any other entry type is an error, never skipped.

const BLOCK = 512;

export class TarError extends Error {}

function octal(value: number, width: number): string {
	// width - 1 octal digits and a NUL, as ustar writes numeric fields.
	return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** The header block of one regular file. */
export function tarHeader(name: string, size: number, mtime: Date): Buffer {
	const nameBytes = Buffer.from(name, 'utf8');
	if (nameBytes.length === 0 || nameBytes.length > 100) {
		throw new TarError(`tar: a name must be 1 to 100 bytes: ${name}`);
	}
	const h = Buffer.alloc(BLOCK);
	nameBytes.copy(h, 0);
	h.write(octal(0o644, 8), 100, 'ascii');
	h.write(octal(0, 8), 108, 'ascii');
	h.write(octal(0, 8), 116, 'ascii');
	h.write(octal(size, 12), 124, 'ascii');
	h.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
	h.write(' '.repeat(8), 148, 'ascii');
	h.write('0', 156, 'ascii');
	h.write('ustar\0' + '00', 257, 'ascii');
	h.write('vigil', 265, 'ascii');
	h.write('vigil', 297, 'ascii');
	h.write(octal(checksum(h), 7) + ' ', 148, 'ascii');
	return h;
}

/** The sum of the header's bytes with the checksum field read as spaces. */
function checksum(h: Buffer): number {
	let sum = 0;
	for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
	return sum;
}

/** Zero bytes after `size` bytes of contents, up to the next block. */
export function tarPadding(size: number): Buffer {
	return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The end of an archive: two zero blocks. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

const text = (h: Buffer, from: number, length: number) =>
	h
		.subarray(from, from + length)
		.toString('utf8')
		.replace(/\0.*$/s, '');

function parseHeader(h: Buffer): { name: string; size: number } {
	const sumText = text(h, 148, 8).trim();
	if (!/^[0-7]+$/.test(sumText) || parseInt(sumText, 8) !== checksum(h)) {
		throw new TarError('tar: a header checksum does not match (the archive is damaged)');
	}
	if (!text(h, 257, 6).startsWith('ustar')) throw new TarError('tar: not a ustar archive');
	const type = String.fromCharCode(h[156]!);
	if (type !== '0' && type !== '\0') throw new TarError(`tar: unexpected entry type "${type}"`);
	const prefix = text(h, 345, 155);
	const name = (prefix ? `${prefix}/` : '') + text(h, 0, 100);
	const sizeText = text(h, 124, 12).trim();
	if (!/^[0-7]+$/.test(sizeText)) throw new TarError(`tar: ${name}: the size is not a number`);
	return { name, size: parseInt(sizeText, 8) };
}

export interface TarEntrySink {
	data(chunk: Buffer): void;
	end(): void;
}

/**
 * Reads an archive chunk by chunk: `open` is called with each entry's name and size and receives
 * its contents in pieces, so no entry is ever held whole.
 */
export async function readTar(
	source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
	open: (entry: { name: string; size: number }) => TarEntrySink
): Promise<void> {
	let pending = Buffer.alloc(0);
	let body: { sink: TarEntrySink; left: number; pad: number } | null = null;
	let ended = false;
	for await (const chunk of source) {
		pending = pending.length ? Buffer.concat([pending, chunk]) : Buffer.from(chunk);
		for (;;) {
			if (ended) break;
			if (body) {
				const take = Math.min(body.left, pending.length);
				if (take > 0) body.sink.data(pending.subarray(0, take));
				pending = pending.subarray(take);
				body.left -= take;
				if (body.left > 0) break;
				if (pending.length < body.pad) break;
				pending = pending.subarray(body.pad);
				body.sink.end();
				body = null;
			}
			if (pending.length < BLOCK) break;
			const header = pending.subarray(0, BLOCK);
			pending = pending.subarray(BLOCK);
			if (header.every((b) => b === 0)) {
				ended = true;
				break;
			}
			const entry = parseHeader(header);
			body = { sink: open(entry), left: entry.size, pad: tarPadding(entry.size).length };
		}
	}
	if (!ended) throw new TarError('tar: the archive ends before its end marker (it was cut short)');
}
