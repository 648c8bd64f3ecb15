// What the generator needs from the demo seed (seed.ts): the demo study with its active protocol,
// both demo sites, and each site's coordinator, as whom every record is entered.
import { demoProtocol, type Protocol } from '../../domain/protocol';
import type { UserActor } from '../runtime/context';
import type { Db } from '../db';
import { ServiceError } from '../runtime/errors';
import { findSiteByCode } from '../repositories/sites';
import { findStudyByCode } from '../repositories/studies';
import { findUserByEmail, siteIdsOfUser } from '../repositories/users';
import { activeProtocol } from '../services/protocol/studies';
import type { DemoSite } from './env';
import { localDay } from './site-clock';
import { DEMO_SITES, DEMO_USERS } from './seed';

/** The database has no demo study to fill (e.g. made with VIGIL_DEMO=0), or it is filled already. */
export class DemoUnavailableError extends ServiceError {
	constructor(message: string) {
		super(409, message);
	}
}

export interface DemoStudy {
	studyId: number;
	protocol: Protocol;
	sites: Map<string, DemoSite>;
}

async function coordinatorAt(db: Db, siteCode: string, siteId: number): Promise<UserActor> {
	const spec = DEMO_USERS.find((u) => u.role === 'coordinator' && u.sites.includes(siteCode));
	const user = spec ? await findUserByEmail(db, spec.email) : undefined;
	const siteIds = user ? await siteIdsOfUser(db, user.id) : [];
	if (
		!spec ||
		!user ||
		user.role !== 'coordinator' ||
		user.disabled_at ||
		!siteIds.includes(siteId)
	) {
		throw new DemoUnavailableError(
			`The demo coordinator for site ${siteCode}${spec ? ` (${spec.email})` : ''} is missing, ` +
				'disabled or not at that site: demo data is entered as them.'
		);
	}
	return {
		kind: 'user',
		id: user.id,
		email: user.email,
		name: user.name,
		role: 'coordinator',
		siteIds
	};
}

/** Finds the demo study, sites and coordinators, or says what is missing. */
export async function loadDemoStudy(db: Db, now: number): Promise<DemoStudy> {
	const code = demoProtocol().studyCode;
	const study = await findStudyByCode(db, code);
	if (!study) {
		throw new DemoUnavailableError(
			`This database has no demo study (${code}); it was probably made with VIGIL_DEMO=0. ` +
				'Demo data goes only into a database that started with the demo.'
		);
	}
	const { protocol } = await activeProtocol(db, study.id);
	const sites = new Map<string, DemoSite>();
	for (const spec of DEMO_SITES) {
		const site = await findSiteByCode(db, spec.code);
		if (!site) throw new DemoUnavailableError(`The demo site ${spec.code} is missing.`);
		const coordinator = await coordinatorAt(db, site.code, site.id);
		const today = localDay(now, site.timezone);
		sites.set(site.code, {
			id: site.id,
			code: site.code,
			timezone: site.timezone,
			today,
			coordinator
		});
	}
	const existing = await db
		.selectFrom('participant')
		.select('id')
		.where('study_id', '=', study.id)
		.limit(1)
		.executeTakeFirst();
	if (existing) {
		throw new DemoUnavailableError(
			`The demo study ${code} has participants already; generate demo data into a new database.`
		);
	}
	return { studyId: study.id, protocol, sites };
}
