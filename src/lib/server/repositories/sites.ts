import type { Executor } from '../db';
import type { NewSite, Site } from '../db/schema';
import { compiledOnce } from '../db/prepared';

export function listSites(db: Executor, ids: number[] | 'all'): Promise<Site[]> {
	let q = db.selectFrom('site').selectAll().orderBy('code');
	if (ids !== 'all') {
		if (ids.length === 0) return Promise.resolve([]);
		q = q.where('id', 'in', ids);
	}
	return q.execute();
}

const siteById = compiledOnce((db, id: number) =>
	db.selectFrom('site').selectAll().where('id', '=', id)
);

export async function findSiteById(db: Executor, id: number): Promise<Site | undefined> {
	return (await siteById(db, id))[0];
}

export function findSiteByCode(db: Executor, code: string): Promise<Site | undefined> {
	return db.selectFrom('site').selectAll().where('code', '=', code).executeTakeFirst();
}

export function findSitesByCodes(db: Executor, codes: string[]): Promise<Site[]> {
	if (codes.length === 0) return Promise.resolve([]);
	return db.selectFrom('site').selectAll().where('code', 'in', codes).execute();
}

export async function insertSite(db: Executor, site: NewSite): Promise<Site> {
	return db.insertInto('site').values(site).returningAll().executeTakeFirstOrThrow();
}

export async function updateSite(
	db: Executor,
	id: number,
	changes: { name: string; timezone: string; country?: string | null }
): Promise<void> {
	await db.updateTable('site').set(changes).where('id', '=', id).execute();
}
