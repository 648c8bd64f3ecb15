// scripts/serve.js puts nosniff on every response and HSTS on every response of an https site,
// before any handler (static files included) writes. A stand-in handler takes the build's place.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const STAND_IN = `export function handler(req, res) {
	res.writeHead(200, { 'content-type': 'text/css' });
	res.end('body{}');
}`;

async function serveWith(origin: string, port: number): Promise<() => void> {
	const dir = mkdtempSync(join(tmpdir(), 'vigil-serve-'));
	writeFileSync(join(dir, 'handler.js'), STAND_IN);
	const child = spawn(process.execPath, ['scripts/serve.js', dir], {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin },
		stdio: 'ignore'
	});
	for (let i = 0; i < 100; i++) {
		try {
			await fetch(`http://127.0.0.1:${port}/`);
			break;
		} catch {
			await new Promise((r) => setTimeout(r, 50));
		}
	}
	return () => child.kill('SIGTERM');
}

describe('scripts/serve.js', () => {
	it('sends HSTS for an https origin and nosniff always', async () => {
		const port = 20_000 + Math.floor(Math.random() * 20_000);
		const stop = await serveWith('https://vigil.example.org', port);
		try {
			const res = await fetch(`http://127.0.0.1:${port}/vigil.css`);
			expect(res.headers.get('strict-transport-security')).toBe(
				'max-age=31536000; includeSubDomains'
			);
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		} finally {
			stop();
		}
	});

	it('sends no HSTS over plain http', async () => {
		const port = 20_000 + Math.floor(Math.random() * 20_000);
		const stop = await serveWith(`http://127.0.0.1:${port}`, port);
		try {
			const res = await fetch(`http://127.0.0.1:${port}/vigil.css`);
			expect(res.headers.get('strict-transport-security')).toBeNull();
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		} finally {
			stop();
		}
	});
});
