// Sites: admins create and change them; every other role reads only its own.
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit, diff } from '../../audit/log';
import { assertSiteAccess, readableSites, requireRole } from '../../auth/access';
import type { ServiceContext } from '../../runtime/context';
import type { Site } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import { ConflictError, NotFoundError } from '../../runtime/errors';
import * as repo from '../../repositories/sites';
import { siteInput, siteUpdate } from '../../../schemas/site';
import { parseInput } from '../../runtime/validate';

export async function listSites(ctx: ServiceContext): Promise<Site[]> {
	return repo.listSites(ctx.db, readableSites(ctx.actor, { adminSeesAll: true }));
}

export async function getSite(ctx: ServiceContext, id: number): Promise<Site> {
	assertSiteAccess(ctx.actor, id, { adminSeesAll: true, what: 'Site' });
	const site = await repo.findSiteById(ctx.db, id);
	if (!site) throw new NotFoundError('Site');
	return site;
}

export async function getSiteByCode(ctx: ServiceContext, code: string): Promise<Site> {
	const site = await repo.findSiteByCode(ctx.db, code.toUpperCase());
	if (!site) throw new NotFoundError('Site');
	assertSiteAccess(ctx.actor, site.id, { adminSeesAll: true, what: 'Site' });
	return site;
}

export async function createSite(ctx: ServiceContext, input: unknown): Promise<Site> {
	requireRole(ctx.actor, 'admin');
	const v = parseInput(siteInput, input);
	return writeTransaction(ctx.db, async (trx) => {
		if (await repo.findSiteByCode(trx, v.code)) {
			throw new ConflictError('A site with this code exists.', {
				code: [`Site ${v.code} exists already.`]
			});
		}
		const site = await repo.insertSite(trx, { ...v, created_at: ctx.now().toISOString() });
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.siteCreated,
			entityType: 'site',
			entityId: site.id,
			siteId: site.id,
			newValues: v
		});
		return site;
	});
}

export async function updateSite(ctx: ServiceContext, id: number, input: unknown): Promise<Site> {
	requireRole(ctx.actor, 'admin');
	const { reason, country, ...rest } = parseInput(siteUpdate, input);
	// An update that does not name the country keeps it (the API and CLI may leave it out).
	const changes = country === undefined ? rest : { ...rest, country };
	return writeTransaction(ctx.db, async (trx) => {
		const before = await repo.findSiteById(trx, id);
		if (!before) throw new NotFoundError('Site');
		const change = diff(before, changes);
		if (!change) return before;
		await repo.updateSite(trx, id, changes);
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.siteUpdated,
			entityType: 'site',
			entityId: id,
			siteId: id,
			...change,
			reason
		});
		return { ...before, ...changes };
	});
}
