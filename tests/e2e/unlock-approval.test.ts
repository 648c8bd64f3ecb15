// Unlocking the study on /admin takes two administrators: one locks and asks to unlock with a
// reason, and cannot approve it; a second approves, and the study is open again. On a server of
// its own, since a lock (and the unlock's voiding of signatures) would disturb the other files.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useHeadSigner } from '../../src/lib/server/audit/head-signature';
import { loadOrCreateSigningKey } from '../../src/lib/server/audit/signing-key';
import { openDatabase, openPostgres, type OpenedDatabase } from '../../src/lib/server/db';
import { systemContext } from '../../src/lib/server/runtime/context';
import { createUser } from '../../src/lib/server/services/people/users';
import { expectAccessible, openContext, signIn } from './setup/browser';
import { startOwnServer, type OwnServer } from './setup/own-server';

let server: OwnServer;
let opened: OpenedDatabase;
const secondPassword = `Second-${randomBytes(12).toString('hex')}`;

beforeAll(async () => {
	server = await startOwnServer('unlock-approval', {
		VIGIL_DEMO_PARTICIPANTS: '2',
		VIGIL_SECOND_FACTOR_ROLES: 'none'
	});
	useHeadSigner(loadOrCreateSigningKey(join(server.keyDir, 'vigil-signing.key')));
	opened = server.databaseUrl ? openPostgres(server.databaseUrl, 1) : openDatabase(server.dbFile);
	await createUser(
		systemContext(opened.db, 'unlock-approval test'),
		{ email: 'admin2@probe.vigil.test', name: 'Bea Second', role: 'admin', sites: [] },
		secondPassword
	);
}, 180_000);
afterAll(async () => {
	await opened?.db.destroy();
	server?.stop();
});

describe('unlocking with a second administrator', () => {
	it('one asks with a reason and cannot approve; the other approves and the study is open', async () => {
		const first = await openContext({ baseURL: server.base });
		const second = await openContext({ baseURL: server.base });
		try {
			const a = await first.newPage();
			await signIn(a, 'admin@demo.vigil.test', server.password);
			await a.waitForURL('**/admin**');
			await a.goto('/admin');
			const state = a.locator('[id^="lock-state-"]').first();
			await a.getByRole('button', { name: 'Lock study' }).first().click();
			await expect.poll(() => state.textContent()).toContain('locked since');

			await a.getByLabel('Reason to unlock').first().fill('Query found after lock');
			await a.getByRole('button', { name: 'Ask to unlock' }).first().click();
			await expect
				.poll(() => a.locator('.unlock-request').first().textContent())
				.toContain('Another administrator must approve it');
			expect(await a.getByRole('button', { name: 'Approve unlock' }).count()).toBe(0);
			expect(await state.textContent()).toContain('locked since');
			await expectAccessible(a);

			const b = await second.newPage();
			await signIn(b, 'admin2@probe.vigil.test', secondPassword);
			await b.waitForURL('**/admin**');
			await b.goto('/admin');
			expect(await b.locator('.unlock-request').first().textContent()).toContain(
				'Query found after lock'
			);
			await expectAccessible(b);
			await b.getByRole('button', { name: 'Approve unlock' }).first().click();
			await expect
				.poll(() => b.locator('[id^="lock-state-"]').first().textContent())
				.toContain(': open');

			const steps = await opened.db
				.selectFrom('audit_event')
				.select(['action', 'actor_label'])
				.where('action', 'in', ['study.unlock_request', 'study.unlock_approve'])
				.orderBy('seq')
				.execute();
			expect(steps.map((s) => s.action)).toEqual(['study.unlock_request', 'study.unlock_approve']);
			expect(steps[0]!.actor_label).not.toBe(steps[1]!.actor_label);
		} finally {
			await first.close();
			await second.close();
		}
	});
});
