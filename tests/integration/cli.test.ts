import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db';
import { runCli } from '../../src/lib/server/cli/main';
import { signIn } from '../../src/lib/server/services/people/auth';
import { migrations } from '../../migrations/index';
import { totpCodeAt } from '../../src/lib/server/auth/totp';
import { passwordOnly } from '../helpers/db';
import {
	confirmSecondFactorEnrolment,
	secondFactorStatus,
	startSecondFactorEnrolment
} from '../../src/lib/server/services/people/second-factor';

let dir: string;
let opened: ReturnType<typeof openDatabase> | undefined;
let out: string[];
let err: string[];

function io(stdin = '') {
	return {
		out: (l: string) => out.push(l),
		err: (l: string) => err.push(l),
		readStdin: () => Promise.resolve(stdin),
		open: async () => {
			opened ??= openDatabase(join(dir, 'vigil.db'));
			const { migrateToLatest } = await import('../../src/lib/server/db/migrate');
			await migrateToLatest(opened.db);
			return opened;
		}
	};
}
const run = (line: string[], stdin?: string) => runCli(line, io(stdin));

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
	out = [];
	err = [];
});
afterEach(async () => {
	await opened?.db.destroy();
	opened = undefined;
	rmSync(dir, { recursive: true, force: true });
});

describe('vigil CLI', () => {
	it('makes the first admin with their own password from standard input', async () => {
		expect(await run(['migrate'])).toBe(0);
		const code = await run(
			[
				'user',
				'add',
				'--email',
				'Boss@Site.org',
				'--name',
				'The Boss',
				'--role',
				'admin',
				'--password-stdin'
			],
			'a-good-long-password\n'
		);
		expect(code).toBe(0);
		expect(out.join('\n')).toContain('boss@site.org added as admin');
		expect(out.join('\n')).not.toContain('One-time');
		const ctx = {
			db: opened!.db,
			actor: { kind: 'anonymous' as const },
			requestId: null,
			now: () => new Date()
		};
		const session = await signIn(ctx, { email: 'boss@site.org', password: 'a-good-long-password' });
		expect(session).toMatchObject({ kind: 'signed-in', mustChangePassword: false });
	});

	it("resets the last administrator's two-step sign-in from the shell, with a reason", async () => {
		await run(['migrate']);
		await run(
			[
				'user',
				'add',
				'--email',
				'boss@site.org',
				'--name',
				'Boss',
				'--role',
				'admin',
				'--password-stdin'
			],
			'a-good-long-password\n'
		);
		const anon = {
			db: opened!.db,
			actor: { kind: 'anonymous' as const },
			requestId: null,
			now: () => new Date()
		};
		const boss = passwordOnly(
			await signIn(anon, { email: 'boss@site.org', password: 'a-good-long-password' })
		);
		const asBoss = { ...anon, actor: boss.user };
		await startSecondFactorEnrolment(asBoss);
		const secret = (await secondFactorStatus(asBoss)).pending!.secret;
		await confirmSecondFactorEnrolment(asBoss, { code: totpCodeAt(secret, Date.now()) });
		expect(
			(await signIn(anon, { email: 'boss@site.org', password: 'a-good-long-password' })).kind
		).toBe('second-factor');

		expect(
			await run([
				'user',
				'reset-second-factor',
				'--email',
				'boss@site.org',
				'--reason',
				'Lost phone'
			])
		).toBe(0);
		expect(out.join('\n')).toContain('Two-step sign-in for boss@site.org is reset');
		expect(
			(await signIn(anon, { email: 'boss@site.org', password: 'a-good-long-password' })).kind
		).toBe('signed-in');
		const row = await opened!.db
			.selectFrom('audit_event')
			.select(['actor_label', 'reason'])
			.where('action', '=', 'user.second_factor_reset')
			.executeTakeFirstOrThrow();
		expect(row.reason).toBe('Lost phone');
		expect(row.actor_label).toMatch(/^cli:/);
	});

	it('adds sites and users at them; without a password it prints a one-time one', async () => {
		expect(
			await run(['site', 'add', '--code', '07', '--name', 'Seventh', '--timezone', 'Europe/Berlin'])
		).toBe(0);
		expect(
			await run([
				'user',
				'add',
				'--email',
				'c@x.org',
				'--name',
				'C',
				'--role',
				'coordinator',
				'--site',
				'07'
			])
		).toBe(0);
		expect(out.join('\n')).toMatch(/One-time password .*: [a-z2-7]{4}-/);
		expect(await run(['user', 'disable', '--email', 'c@x.org'])).toBe(0);
		const disabled = await opened!.db
			.selectFrom('user')
			.select('disabled_at')
			.where('email', '=', 'c@x.org')
			.executeTakeFirstOrThrow();
		expect(disabled.disabled_at).not.toBeNull();
	});

	it('explains bad input with the field and exits non-zero', async () => {
		expect(
			await run(['site', 'add', '--code', '07', '--name', 'S', '--timezone', 'Mars/Olympus'])
		).toBe(1);
		expect(err.join('\n')).toContain('--timezone: Use an IANA time zone');
		err = [];
		expect(
			await run(['user', 'add', '--email', 'x@x.org', '--name', 'X', '--role', 'wizard'])
		).toBe(1);
		expect(err.join('\n')).toContain('--role');
		err = [];
		expect(
			await run([
				'user',
				'add',
				'--email',
				'x@x.org',
				'--name',
				'X',
				'--role',
				'coordinator',
				'--site',
				'NOPE'
			])
		).toBe(1);
		expect(err.join('\n')).toContain('No site with code NOPE');
	});

	it('a wrong command or option gets usage and exit code 2', async () => {
		expect(await run(['frobnicate'])).toBe(2);
		expect(err.join('\n')).toContain('Unknown command');
		expect(await run(['site', 'add', '--code', '1', '--bogus', 'x'])).toBe(2);
		expect(err.join('\n')).toContain("Unknown option '--bogus'");
		expect(await run(['site', 'add', '--code', '1'])).toBe(2);
		expect(err.join('\n')).toContain('Missing --name');
		expect(await run([])).toBe(2);
	});

	it('has --help everywhere', async () => {
		expect(await run(['--help'])).toBe(0);
		for (const cmd of [
			['migrate'],
			['site', 'add'],
			['user', 'add'],
			['user', 'disable'],
			['audit', 'verify'],
			['backup']
		]) {
			out = [];
			expect(await run([...cmd, '--help'])).toBe(0);
			expect(out.join('\n')).toContain(`Usage: npm run vigil -- ${cmd.join(' ')}`);
		}
	});

	it('verifies the audit trail and makes an online backup that opens', async () => {
		await run(['site', 'add', '--code', '07', '--name', 'Seventh', '--timezone', 'UTC']);
		expect(await run(['audit', 'verify'])).toBe(0);
		expect(out.join('\n')).toContain('Audit trail intact: 1 rows');
		const target = join(dir, 'backups', 'copy.db');
		expect(await run(['backup', target])).toBe(0);
		expect(existsSync(target)).toBe(true);
		const copy = new SQLite(target, { readonly: true });
		expect(copy.prepare('SELECT code FROM site').all()).toEqual([{ code: '07' }]);
		copy.close();
		opened!.sqlite.exec(
			"DROP TRIGGER audit_event_no_update; UPDATE audit_event SET actor_label = 'someone' WHERE seq = 1"
		);
		err = [];
		expect(await run(['audit', 'verify'])).toBe(1);
		expect(err.join('\n')).toContain('row 1');
	});
});

describe('migrations', () => {
	it('every migration file is registered, so the built server carries it', () => {
		const files = readdirSync(join(__dirname, '../../migrations'))
			.filter((f) => /^\d{4}_\d\d_\d\d_\d{4}_.+\.ts$/.test(f))
			.map((f) => f.replace(/\.ts$/, ''));
		expect(Object.keys(migrations).sort()).toEqual(files.sort());
	});
});
