// The demo study's people and places: two sites and a user for every role. Made through the same
// services as everything else, so the trail shows who made them (the "demo-seed" operator).
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { systemContext } from '../runtime/context';
import type { Db } from '../db';
import { createSite } from '../services/people/sites';
import { createUser } from '../services/people/users';
import { loadProtocol } from '../services/protocol/studies';
import { DEMO_PROTOCOL_JSON } from '../../domain/protocol';
import type { Role } from '../../roles';

export const DEMO_SITES = [
	{
		code: '01',
		name: 'Oslo University Hospital, Psychiatry Research',
		timezone: 'Europe/Oslo',
		country: 'NOR'
	},
	{
		code: '02',
		name: 'Bay Area Clinical Research Unit',
		timezone: 'America/Los_Angeles',
		country: 'USA'
	}
] as const;

export const DEMO_USERS: ReadonlyArray<{
	email: string;
	name: string;
	role: Role;
	sites: string[];
}> = [
	{ email: 'admin@demo.vigil.test', name: 'Ada Admin', role: 'admin', sites: [] },
	{
		email: 'coordinator@demo.vigil.test',
		name: 'Cora Coordinator',
		role: 'coordinator',
		sites: ['01']
	},
	{
		email: 'coordinator2@demo.vigil.test',
		name: 'Colin Coordinator',
		role: 'coordinator',
		sites: ['02']
	},
	{
		email: 'investigator@demo.vigil.test',
		name: 'Dr Ines Investigator',
		role: 'investigator',
		sites: ['01']
	},
	{
		email: 'investigator2@demo.vigil.test',
		name: 'Dr Ivan Investigator',
		role: 'investigator',
		sites: ['02']
	},
	{
		email: 'auditor@demo.vigil.test',
		name: 'Audrey Auditor',
		role: 'auditor',
		sites: ['01', '02']
	},
	{
		email: 'pharmacist@demo.vigil.test',
		name: 'Phil Pharmacist',
		role: 'pharmacist',
		sites: ['01', '02']
	},
	{ email: 'monitor@demo.vigil.test', name: 'Mona Monitor', role: 'monitor', sites: ['01', '02'] }
];

export function randomDemoPassword(): string {
	const bytes = new Uint8Array(10);
	crypto.getRandomValues(bytes);
	return `demo-${encodeBase32LowerCaseNoPadding(bytes)}`;
}

/** Seeds the demo study into an empty database; returns the sign-ins to show. */
export async function seedDemo(
	db: Db,
	password: string,
	/** When the study was set up; the generated data starts after it. */
	setUpAt: Date = new Date()
): Promise<Array<{ email: string; role: Role }>> {
	const ctx = systemContext(db, 'demo-seed', () => setUpAt);
	for (const site of DEMO_SITES) await createSite(ctx, site);
	for (const user of DEMO_USERS) await createUser(ctx, user, password);
	await loadProtocol(ctx, DEMO_PROTOCOL_JSON);
	return DEMO_USERS.map(({ email, role }) => ({ email, role }));
}
