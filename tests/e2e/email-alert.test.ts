// An urgent flag reaches the person on call by e-mail: a Vigil of its own, pointed at a real SMTP
// server in this process (VIGIL_SMTP_URL), an on-call shift entered by the investigator, a breach
// saved from the bedside page by a coordinator, and the message read as it arrived.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase, onPostgres } from '../helpers/database';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { openContext, signIn } from './setup/browser';
import { osloLocal, sessionWithReading } from './setup/clinical';

const PASSWORD = 'email-alert-demo-password';

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const srv = createServer().listen(0, '127.0.0.1', () => {
			const a = srv.address();
			srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
		});
	});
}

/** The built server on a fresh database, sending mail through `smtpUrl`. */
async function startVigil(
	dir: string,
	smtpUrl: string
): Promise<{ base: string; child: ChildProcess }> {
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	let output = '';
	const child = spawn(process.execPath, [inject('serverEntry')], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: base,
			VIGIL_DB: join(dir, 'vigil.db'),
			VIGIL_DATABASE_URL: onPostgres ? await createPostgresDatabase('alerts') : '',
			VIGIL_SIGNING_KEY: join(dir, 'vigil-signing.key'),
			VIGIL_KEY_DIR: join(dir, 'keys'),
			VIGIL_DEMO: '1',
			VIGIL_DEMO_PARTICIPANTS: '0',
			VIGIL_DEMO_PASSWORD: PASSWORD,
			VIGIL_SMTP_URL: smtpUrl
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`Vigil exited:\n${output}`);
		const up = await fetch(`${base}/login`).then(
			(r) => r.ok,
			() => false
		);
		if (up) return { base, child };
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`Vigil did not answer:\n${output}`);
}

describe('an urgent flag e-mails the person on call', () => {
	let dir: string;
	let smtp: TestSmtp;
	let vigil: { base: string; child: ChildProcess };
	let investigator: BrowserContext;
	let coordinator: BrowserContext;
	let auditor: BrowserContext;
	let inv: Page;

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-mail-'));
		smtp = await startSmtp();
		vigil = await startVigil(dir, smtp.url);
		const opts = { baseURL: vigil.base };
		[investigator, coordinator, auditor] = await Promise.all([
			openContext(opts),
			openContext(opts),
			openContext(opts)
		]);
		inv = await investigator.newPage();
		await signIn(inv, 'investigator@demo.vigil.test', PASSWORD);
		await inv.waitForURL('**/review');
	}, 180_000);
	afterAll(async () => {
		await Promise.all([investigator?.close(), coordinator?.close(), auditor?.close()]);
		vigil?.child.kill('SIGTERM');
		await smtp?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('the investigator puts Dr Night on call; a 185/95 saved at the bedside reaches her', async () => {
		// Typed only once the page's scripts have run (hydration would clear earlier typing).
		await inv.goto('/sites/01/on-call', { waitUntil: 'networkidle' });
		await inv.getByLabel('Who').fill('Dr Night');
		await inv.getByLabel('E-mail').fill('night@site.example');
		await inv.getByLabel('From (site time)').fill(osloLocal(60));
		await inv.getByLabel('Until (site time)').fill(osloLocal(-12 * 60));
		await inv.getByRole('button', { name: 'Add shift' }).click();
		await inv.getByRole('button', { name: /^Remove Dr Night/ }).waitFor();
		expect(smtp.received).toEqual([]);

		const entry = await coordinator.newPage();
		await signIn(entry, 'coordinator@demo.vigil.test', PASSWORD);
		await entry.waitForURL('**/sites');
		const code = await sessionWithReading(entry, { systolic: 185, diastolic: 95 });

		await expect.poll(() => smtp.received.length, { timeout: 10_000 }).toBeGreaterThan(0);
		const mail = smtp.received.find((m) => m.raw.includes(`URGENT flag: ${code}`))!;
		expect(mail.to).toEqual(['night@site.example']);
		const raw = mail.raw.replace(/=\r?\n/g, '');
		expect(raw).toContain(`Subject: [Vigil] URGENT flag: ${code}`);
		// The text after the headers (whose dates and ids could hold any digits).
		const body = raw.slice(raw.search(/\r?\n\r?\n/));
		expect(body).toContain(`Subject: ${code}`);
		expect(body).toContain('Level: urgent');
		expect(body).toContain('Rule: vitals.systolic.high.urgent');
		// Nothing else about the participant: not the reading, not the year of birth.
		expect(body).not.toContain('185');
		expect(body).not.toContain('1979');
		// Only the urgent flag is mailed, not the notify flag of the same reading.
		expect(smtp.received.filter((m) => m.raw.includes(code))).toHaveLength(1);

		// The link opens the board at that flag.
		const link = /Link: (\S+)/.exec(body)![1]!;
		expect(link.startsWith(`${vigil.base}/review#flag-`)).toBe(true);
		await inv.goto(link);
		const reason = inv.locator(`#${link.split('#')[1]}`);
		expect(await reason.textContent()).toContain('Systolic 185 mmHg');

		// The alert sent is in the audit trail.
		const audit = await auditor.newPage();
		await signIn(audit, 'auditor@demo.vigil.test', PASSWORD);
		await audit.waitForURL((url) => url.pathname !== '/login');
		await audit.goto('/audit?action=alert.sent');
		expect(await audit.locator('main').textContent()).toContain('night@site.example');
	});
});
