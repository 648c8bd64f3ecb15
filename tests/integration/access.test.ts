// Every role against its own site, another site, and no site: only own-site access succeeds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/lib/roles';
import { ForbiddenError, NotFoundError } from '../../src/lib/server/runtime/errors';
import { listAuditTrail } from '../../src/lib/server/services/audit/audit';
import {
	createSite,
	getSite,
	getSiteByCode,
	listSites,
	updateSite
} from '../../src/lib/server/services/people/sites';
import {
	createUser,
	disableUser,
	listUsers,
	updateUser
} from '../../src/lib/server/services/people/users';
import type { ServiceContext } from '../../src/lib/server/runtime/context';
import { actorFor, freshDb, type TestDb } from '../helpers/db';

let t: TestDb;
beforeAll(async () => {
	t = await freshDb();
});
afterAll(async () => {
	await t.db.destroy();
});

const CLINICAL: Role[] = ['coordinator', 'investigator', 'auditor'];

describe.each(CLINICAL)('%s', (role) => {
	let own: ServiceContext;
	let none: ServiceContext;
	beforeAll(async () => {
		own = await actorFor(t, role, ['A1']);
		none = await actorFor(t, role, []);
	});

	it('reads its own site', async () => {
		expect((await getSite(own, t.siteA)).code).toBe('A1');
		expect((await getSiteByCode(own, 'a1')).id).toBe(t.siteA);
		expect((await listSites(own)).map((s) => s.code)).toEqual(['A1']);
	});

	it('gets "not found" for another site, by id and by code', async () => {
		await expect(getSite(own, t.siteB)).rejects.toBeInstanceOf(NotFoundError);
		await expect(getSiteByCode(own, 'B1')).rejects.toBeInstanceOf(NotFoundError);
	});

	it('with no site sees nothing', async () => {
		expect(await listSites(none)).toEqual([]);
		await expect(getSite(none, t.siteA)).rejects.toBeInstanceOf(NotFoundError);
		await expect(getSite(none, t.siteB)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('cannot manage sites or users, even at its own site', async () => {
		await expect(
			createSite(own, { code: 'X9', name: 'X', timezone: 'UTC' })
		).rejects.toBeInstanceOf(ForbiddenError);
		await expect(
			updateSite(own, t.siteA, { name: 'Y', timezone: 'UTC', reason: 'test' })
		).rejects.toBeInstanceOf(ForbiddenError);
		await expect(listUsers(own)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(
			createUser(own, { email: 'new@x.org', name: 'N', role: 'coordinator', sites: ['A1'] })
		).rejects.toBeInstanceOf(ForbiddenError);
		await expect(
			disableUser(own, own.actor.kind === 'user' ? own.actor.id : 0, { reason: 'x' + 'yz' })
		).rejects.toBeInstanceOf(ForbiddenError);
	});
});

describe('the audit trail', () => {
	it('is read by admins in full and by auditors for their granted sites only', async () => {
		const admin = await actorFor(t, 'admin', []);
		const auditorA = await actorFor(t, 'auditor', ['A1']);
		const auditorNone = await actorFor(t, 'auditor', []);
		await updateSite(t.system, t.siteB, {
			name: 'Site B renamed',
			timezone: 'America/New_York',
			reason: 'rename'
		});
		const all = await listAuditTrail(admin);
		expect(all.some((e) => e.site_id === t.siteB)).toBe(true);
		expect(all.some((e) => e.site_id === null)).toBe(true);
		const mine = await listAuditTrail(auditorA);
		expect(mine.length).toBeGreaterThan(0);
		expect(mine.every((e) => e.site_id === t.siteA)).toBe(true);
		expect(await listAuditTrail(auditorNone)).toEqual([]);
		// Newest first.
		expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => b - a));
	});

	it('is closed to coordinators and investigators', async () => {
		for (const role of ['coordinator', 'investigator'] as const) {
			const u = await actorFor(t, role, ['A1']);
			await expect(listAuditTrail(u)).rejects.toBeInstanceOf(ForbiddenError);
		}
	});
});

describe('admin', () => {
	it('manages sites and users across all sites; roles are checked on every role', async () => {
		const admin = await actorFor(t, 'admin', []);
		const site = await createSite(admin, { code: 'c3', name: 'Site C', timezone: 'Asia/Tokyo' });
		expect(site.code).toBe('C3');
		expect((await listSites(admin)).length).toBeGreaterThanOrEqual(3);
		const { user, oneTimePassword } = await createUser(admin, {
			email: 'Multi@Test.Example',
			name: 'Multi Site',
			role: 'investigator',
			sites: ['A1', 'C3']
		});
		expect(user.email).toBe('multi@test.example');
		expect(user.mustChangePassword).toBe(true);
		expect(oneTimePassword).toBeTruthy();
		const updated = await updateUser(admin, user.id, {
			name: 'Multi Site',
			role: 'investigator',
			sites: ['B1'],
			reason: 'moved'
		});
		expect(updated.sites).toEqual(['B1']);
		expect(ROLES).toContain(updated.role);
	});

	it('an admin holds no site and cannot change their own role or disable themselves', async () => {
		const admin = await actorFor(t, 'admin', []);
		await expect(
			createUser(admin, { email: 'adm2@x.org', name: 'A', role: 'admin', sites: ['A1'] })
		).rejects.toMatchObject({ fieldErrors: { sites: ['An administrator holds no site.'] } });
		const self = admin.actor.id;
		await expect(
			updateUser(admin, self, { name: 'A', role: 'auditor', sites: ['A1'], reason: 'oops' })
		).rejects.toMatchObject({
			fieldErrors: { role: ['You cannot change your own role.'] }
		});
		await expect(disableUser(admin, self, { reason: 'oops' })).rejects.toMatchObject({
			status: 422
		});
	});
});
