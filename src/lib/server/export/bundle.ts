// The auditor bundle as a streamed .tar.gz. A tar header states the file's size before its bytes,
// and the files are written from the database as they are read, so each file is first spooled,
// compressed, to a private temporary file (its SHA-256 and size computed on the way), then copied
// into the archive and deleted. At most one file's compressed bytes are on disk and one chunk is
// in memory at any time. The small closing files (the manifest and its signature) are made last,
// from the hashes gathered.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { FLUSH } from './stream';
import { tarHeader, tarPadding, TAR_END } from './tar';

export type Chunks = AsyncIterable<string | Uint8Array> | ReadableStream<Uint8Array>;

/** A file of the bundle, produced only when its turn comes. */
export interface BundleSource {
	name: string;
	open: () => Chunks;
	/** Asked once the file is written: false leaves it out (an empty SUPP-- dataset). */
	keep?: () => boolean;
}

export interface BundledFile {
	name: string;
	size: number;
	sha256: string;
}

export interface ClosingFile {
	name: string;
	content: Buffer;
}

/** The bytes of a source, whether it yields text, bytes or is a web stream. */
export async function* chunksOf(source: Chunks): AsyncGenerator<Uint8Array> {
	if (source instanceof ReadableStream) {
		const reader = source.getReader();
		try {
			for (let next = await reader.read(); !next.done; next = await reader.read()) {
				yield next.value;
			}
		} finally {
			reader.releaseLock();
		}
		return;
	}
	for await (const piece of source) yield typeof piece === 'string' ? Buffer.from(piece) : piece;
}

/**
 * Writes a source to `path` compressed (a gzip member of its own), hashing and counting its bytes
 * on the way: the compression runs on libuv's threads while the source is read, and the spool
 * takes a tenth of the disk the file would.
 */
async function spool(source: BundleSource, path: string): Promise<BundledFile> {
	const hash = createHash('sha256');
	let size = 0;
	async function* hashed(): AsyncGenerator<Uint8Array> {
		for await (const chunk of chunksOf(source.open())) {
			if (chunk.length === 0) continue;
			hash.update(chunk);
			size += chunk.length;
			yield chunk;
		}
	}
	await pipeline(
		Readable.from(hashed()),
		createGzip(),
		createWriteStream(path, { flags: 'wx', mode: 0o600 })
	);
	return { name: source.name, size, sha256: hash.digest('hex') };
}

export function sha256Of(content: Buffer): string {
	return createHash('sha256').update(content).digest('hex');
}

/**
 * The archive as gzip members, one after another (RFC 1952 §2.2: a gzip file is a series of
 * members, and gunzip, tar and every zlib read them as one stream): each file's tar header, its
 * contents (compressed while it was spooled), its padding. After each file comes a FLUSH, so a
 * client receives every file as soon as it is written rather than a chunk's worth later.
 */
async function* tarGzChunks(
	sources: BundleSource[],
	close: (files: BundledFile[]) => Promise<ClosingFile[]>,
	mtime: Date
): AsyncGenerator<Uint8Array> {
	const dir = await mkdtemp(join(tmpdir(), 'vigil-bundle-'));
	try {
		const files: BundledFile[] = [];
		for (const [i, source] of sources.entries()) {
			const path = join(dir, String(i));
			const file = await spool(source, path);
			if (source.keep && !source.keep()) {
				await rm(path);
				continue;
			}
			files.push(file);
			yield gzipSync(tarHeader(file.name, file.size, mtime));
			for await (const chunk of createReadStream(path)) yield chunk as Buffer;
			await rm(path);
			yield gzipSync(tarPadding(file.size));
			yield FLUSH;
		}
		for (const c of await close(files)) {
			yield gzipSync(
				Buffer.concat([
					tarHeader(c.name, c.content.length, mtime),
					c.content,
					tarPadding(c.content.length)
				])
			);
		}
		yield gzipSync(TAR_END);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

/**
 * The archive as a gzip byte stream. Nothing is read until the reader pulls; a reader that goes
 * away stops the reading and removes the temporary files.
 */
export function bundleStream(
	sources: BundleSource[],
	close: (files: BundledFile[]) => Promise<ClosingFile[]>,
	mtime: Date
): AsyncGenerator<Uint8Array> {
	return tarGzChunks(sources, close, mtime);
}
