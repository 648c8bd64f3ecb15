// How an export's bytes leave the job: gathered into chunks (coalesce), yet handed on at once
// where a source is about to go quiet (FLUSH) or has kept them waiting; and the auditor bundle
// sends each file as soon as it is written, before the next is made.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { bundleStream, type BundleSource } from '../../../src/lib/server/export/bundle';
import { FLUSH } from '../../../src/lib/server/export/stream';
import { readTar } from '../../../src/lib/server/export/tar';
import { coalesce } from '../../../src/lib/server/reads/executor';

const bytes = (s: string) => Buffer.from(s);

/** A gate a source waits at, and how to open it. */
function gate() {
	let open: () => void = () => {};
	const passed = new Promise<void>((r) => (open = r));
	return { passed, open };
}

async function* from(...pieces: (Uint8Array | Promise<void>)[]): AsyncGenerator<Uint8Array> {
	for (const p of pieces) {
		if (p instanceof Promise) await p;
		else yield p;
	}
}

describe('coalesce', () => {
	it('gathers small pieces into chunks of about the size asked', async () => {
		const out: Uint8Array[] = [];
		for await (const c of coalesce(from(...Array.from({ length: 10 }, () => bytes('abcd'))), 12)) {
			out.push(c);
		}
		expect(out.map((c) => c.length)).toEqual([12, 12, 12, 4]);
		expect(Buffer.concat(out).toString()).toBe('abcd'.repeat(10));
	});

	it('hands on what it holds at a FLUSH, without waiting for the rest', async () => {
		const later = gate();
		const chunks = coalesce(from(bytes('<opening>'), FLUSH, later.passed, bytes('<rest/>')), 1024);
		// The source now waits (a define.xml measuring its rows): the opening still comes.
		const first = await chunks.next();
		expect(Buffer.from(first.value!).toString()).toBe('<opening>');
		later.open();
		const rest: string[] = [];
		for await (const c of chunks) rest.push(Buffer.from(c).toString());
		expect(rest).toEqual(['<rest/>']);
	});

	it('hands on held bytes with the next piece once they have waited long enough', async () => {
		const pause = new Promise<void>((r) => setTimeout(r, 40));
		const out: string[] = [];
		for await (const c of coalesce(from(bytes('a'), pause, bytes('b'), bytes('c')), 1024, 20)) {
			out.push(Buffer.from(c).toString());
		}
		expect(out).toEqual(['ab', 'c']);
	});

	it('passes a piece as large as a chunk on as it is', async () => {
		const big = new Uint8Array(64);
		const out: Uint8Array[] = [];
		for await (const c of coalesce(from(big), 32)) out.push(c);
		expect(out).toEqual([big]);
		expect(out[0]).toBe(big);
	});
});

describe('the auditor bundle stream', () => {
	const mtime = new Date('2026-11-25T15:00:00Z');
	const spools = (dir: string) =>
		readdirSync(dir).filter((n) => n.startsWith('vigil-bundle-')).length;

	it('sends each file as soon as it is written, before the next is made', async () => {
		const slow = gate();
		let lastOpened = false;
		const sources: BundleSource[] = [
			{ name: 'first.csv', open: () => from(bytes('a,b\r\n'), bytes('1,2\r\n')) },
			{ name: 'empty.csv', open: () => from(), keep: () => false },
			{
				name: 'last.csv',
				open: () => {
					lastOpened = true;
					return from(slow.passed, bytes('x'.repeat(3000)));
				}
			}
		];
		const closing = [{ name: 'manifest.json', content: bytes('{}') }];
		const chunks = coalesce(
			bundleStream(sources, async () => closing, mtime),
			64 * 1024
		)[Symbol.asyncIterator]();

		// The first file arrives whole as soon as it is written…
		const first = await chunks.next();
		const tar = gunzipSync(first.value!);
		expect(tar.subarray(0, 9).toString()).toBe('first.csv');
		expect(tar.subarray(512, 522).toString()).toBe('a,b\r\n1,2\r\n');
		expect(tar.length).toBe(1024);

		// …while the last is still being made (its source waits), and nothing more comes meanwhile.
		let settled = false;
		const pending = chunks.next().finally(() => (settled = true));
		await vi.waitFor(() => expect(lastOpened).toBe(true));
		await new Promise((r) => setTimeout(r, 20));
		expect(settled).toBe(false);

		slow.open();
		const all: Uint8Array[] = [first.value!];
		for (let next = await pending; !next.done; next = await chunks.next()) {
			all.push(next.value);
		}
		// One archive however many gzip members it is sent as; the empty file is left out.
		const entries: { name: string; size: number; content: string }[] = [];
		await readTar([gunzipSync(Buffer.concat(all))], (e) => {
			const parts: Buffer[] = [];
			return {
				data: (c) => parts.push(Buffer.from(c)),
				end: () => entries.push({ ...e, content: Buffer.concat(parts).toString() })
			};
		});
		expect(entries.map((e) => [e.name, e.size])).toEqual([
			['first.csv', 10],
			['last.csv', 3000],
			['manifest.json', 2]
		]);
		expect(entries[1]!.content).toBe('x'.repeat(3000));
	});

	it('removes its spooled files when the reader goes away', async () => {
		// A temporary directory of its own: other processes spool bundles into the shared one.
		const own = mkdtempSync(join(tmpdir(), 'vigil-spool-test-'));
		const shared = process.env.TMPDIR;
		process.env.TMPDIR = own;
		onTestFinished(() => {
			process.env.TMPDIR = shared;
			if (shared === undefined) delete process.env.TMPDIR;
			rmSync(own, { recursive: true, force: true });
		});
		const sources: BundleSource[] = Array.from({ length: 3 }, (_, i) => ({
			name: `f${i}.csv`,
			open: () => from(bytes('y'.repeat(1000)))
		}));
		const chunks = bundleStream(sources, async () => [], mtime);
		await chunks.next();
		expect(spools(own)).toBe(1);
		await chunks.return(undefined);
		expect(spools(own)).toBe(0);
	});
});
