// The auditor bundle as a streamed .tar.gz. A tar header states the file's size before its bytes,
// and the files are written from the database as they are read, so each file is first spooled to
// a private temporary file (its SHA-256 and size computed on the way), then copied into the archive
// and deleted. At most one file's bytes are on disk and one chunk is in memory at any time. The
// small closing files (the manifest and its signature) are made last, from the hashes gathered.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
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

/** Writes a source to `path`, hashing as it goes. */
async function spool(source: BundleSource, path: string): Promise<BundledFile> {
	const hash = createHash('sha256');
	let size = 0;
	const file = await open(path, 'wx', 0o600);
	try {
		for await (const chunk of chunksOf(source.open())) {
			hash.update(chunk);
			size += chunk.length;
			await file.write(chunk);
		}
	} finally {
		await file.close();
	}
	return { name: source.name, size, sha256: hash.digest('hex') };
}

export function sha256Of(content: Buffer): string {
	return createHash('sha256').update(content).digest('hex');
}

async function* tarChunks(
	sources: BundleSource[],
	close: (files: BundledFile[]) => Promise<ClosingFile[]>,
	mtime: Date
): AsyncGenerator<Buffer> {
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
			yield tarHeader(file.name, file.size, mtime);
			for await (const chunk of createReadStream(path)) yield chunk as Buffer;
			yield tarPadding(file.size);
			await rm(path);
		}
		for (const c of await close(files)) {
			yield Buffer.concat([tarHeader(c.name, c.content.length, mtime), c.content]);
			yield tarPadding(c.content.length);
		}
		yield TAR_END;
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

/**
 * The archive as a gzip byte stream. Nothing is read until the client pulls; a client that goes
 * away stops the reading and removes the temporary files.
 */
export function bundleStream(
	sources: BundleSource[],
	close: (files: BundledFile[]) => Promise<ClosingFile[]>,
	mtime: Date
): ReadableStream<Uint8Array> {
	const gzip = createGzip();
	pipeline(Readable.from(tarChunks(sources, close, mtime)), gzip, (e) => {
		if (e && e.code !== 'ERR_STREAM_PREMATURE_CLOSE') console.error('[vigil] bundle failed:', e);
	});
	return Readable.toWeb(gzip) as ReadableStream<Uint8Array>;
}
