// Reading and rewriting bundles in tests: what an attacker with the file could do to it.
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { gunzipSync, gzipSync } from 'node:zlib';
import { signBytes, type SigningKey } from '../../src/lib/server/audit/signing-key';
import { readTar, tarHeader, tarPadding, TAR_END } from '../../src/lib/server/export/tar';
import { sha256Of } from '../../src/lib/server/export/bundle';

export type Entries = Array<{ name: string; content: Buffer }>;

export async function saveStream(stream: ReadableStream<Uint8Array>, file: string): Promise<void> {
	await pipeline(Readable.fromWeb(stream as NodeReadableStream), createWriteStream(file));
}

export async function readEntries(file: string): Promise<Entries> {
	const entries: Entries = [];
	const tar = gunzipSync(readFileSync(file));
	await readTar([tar], ({ name }) => {
		const parts: Buffer[] = [];
		return {
			data: (c) => parts.push(Buffer.from(c)),
			end: () => entries.push({ name, content: Buffer.concat(parts) })
		};
	});
	return entries;
}

export function writeEntries(file: string, entries: Entries): void {
	const mtime = new Date('2026-11-21T00:00:00Z');
	const parts = entries.flatMap((e) => [
		tarHeader(e.name, e.content.length, mtime),
		e.content,
		tarPadding(e.content.length)
	]);
	writeFileSync(file, gzipSync(Buffer.concat([...parts, TAR_END])));
}

export const entry = (entries: Entries, name: string) => entries.find((e) => e.name === name)!;

/** Replaces a file and, like an insider with a key, brings the manifest and signature along. */
export function resign(entries: Entries, key: SigningKey, opts: { replacePem?: boolean } = {}) {
	const manifestEntry = entry(entries, 'manifest.json');
	const manifest = JSON.parse(manifestEntry.content.toString()) as {
		files: Array<{ name: string; size: number; sha256: string }>;
		publicKeyFingerprint: string;
	};
	for (const f of manifest.files) {
		const e = entry(entries, f.name);
		f.size = e.content.length;
		f.sha256 = sha256Of(e.content);
	}
	if (opts.replacePem) {
		manifest.publicKeyFingerprint = key.fingerprint;
		entry(entries, 'public-key.pem').content = Buffer.from(key.publicKeyPem);
	}
	manifestEntry.content = Buffer.from(JSON.stringify(manifest, null, '\t') + '\n');
	entry(entries, 'manifest.sig').content = signBytes(key, manifestEntry.content);
}

/** The lines of a JSONL file, edited, written back. */
export function editLines(entries: Entries, name: string, edit: (lines: string[]) => string[]) {
	const e = entry(entries, name);
	const lines = e.content.toString().split('\n').filter(Boolean);
	e.content = Buffer.from(edit(lines).join('\n') + '\n');
}
