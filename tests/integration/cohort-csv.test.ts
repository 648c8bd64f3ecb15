// The cohort page's CSV doors, called as SvelteKit calls them on the running app: the by-site and
// by-dose-group means (groups.csv, which the page's tables no longer carry as data: links) and a
// follow-up's points (points.csv) list what the page shows, and refuse whom the page refuses.
import { isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserActor } from '../../src/lib/server/runtime/context';
import { toCsv } from '../../src/lib/views/csv';
import {
	groupMeanColumns,
	groupMeanRows,
	unpackGroups,
	type GroupColumns
} from '../../src/lib/views/cohort';
import { load as cohortLoad } from '../../src/routes/cohort/+page.server';
import { GET as groupsCsv } from '../../src/routes/cohort/groups.csv/+server';
import { GET as pointsCsv } from '../../src/routes/cohort/points.csv/+server';
import { startedApp } from '../helpers/app';
import { cohortParticipant } from '../helpers/cohort';
import { actorFor, type TestDb } from '../helpers/db';

let t: TestDb;
const NOW = () => new Date('2027-12-01T12:00:00Z');

beforeAll(async () => {
	t = await startedApp();
	const at = (site: 'A1' | 'B1', totals: Record<string, number>, doseGroup?: string) =>
		cohortParticipant(t, site, totals, { now: NOW, doseGroup });
	await at('A1', { SCR: 40, BL: 30, FU1M: 15, FU6M: 12 });
	await at('A1', { BL: 24, FU1M: 4, FU12M: 6 });
	await at('A1', { BL: 20, FU1M: 14 });
	await at('A1', { BL: 36, FU1M: 10 }, '80 mg');
	await at('B1', { BL: 28, FU1M: 8, FU6M: 7 });
});
afterAll(async () => {
	await t.db.destroy();
});

const event = (user: UserActor | undefined, path: string) => {
	const url = new URL(`http://localhost${path}`);
	return {
		url,
		request: new Request(url),
		params: {},
		locals: { user, requestId: 'req-cohort-csv', mustChangePassword: false }
	} as unknown as RequestEvent;
};

/** A route's GET, whatever its route's own event type. */
type Handler = (e: never) => Response | Promise<Response>;

/** A GET as SvelteKit answers it: the status, and the body or the error's message. */
async function get(handler: Handler, user: UserActor | undefined, path: string) {
	try {
		const res = await handler(event(user, path) as never);
		return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
	} catch (e) {
		if (isHttpError(e)) return { status: e.status, text: e.body.message, type: null };
		if (isRedirect(e)) return { status: e.status, text: e.location, type: null };
		throw e;
	}
}

/** The page's own data for the same user and query. */
async function page(user: UserActor, query = '') {
	const data = await cohortLoad(event(user, `/cohort${query}`) as never);
	return (data as { view: { bySite: GroupColumns; byDoseGroup: GroupColumns } }).view;
}

const user = async (role: 'investigator' | 'auditor' | 'coordinator', sites: string[]) =>
	(await actorFor(t, role, sites, NOW)).actor;

describe('the cohort’s by-group CSV', () => {
	it('lists the means the page’s by-site and by-dose-group tables show', async () => {
		const inv = await user('investigator', ['A1']);
		const view = await page(inv);
		const bySite = await get(groupsCsv, inv, '/cohort/groups.csv?by=site');
		expect(bySite.status).toBe(200);
		expect(bySite.type).toMatch(/^text\/csv/);
		expect(bySite.text).toBe(
			toCsv(groupMeanColumns('Site'), groupMeanRows(unpackGroups(view.bySite)))
		);
		const lines = bySite.text.trimEnd().split('\r\n');
		expect(lines[0]).toBe('Site,Visit,n,Mean,95 % CI lower,95 % CI upper');
		// A1 only, each of the 8 MADRS visits; FU1M: 15, 4, 14, 10 → 10.75 [2.81, 18.69].
		expect(lines).toHaveLength(1 + 8);
		expect(lines).toContain('A1,FU1M,4,10.75,2.81,18.69');
		expect(lines.slice(1).every((l) => l.startsWith('A1,'))).toBe(true);

		const byDose = await get(groupsCsv, inv, '/cohort/groups.csv?by=dose');
		expect(byDose.text).toBe(
			toCsv(groupMeanColumns('Dose group'), groupMeanRows(unpackGroups(view.byDoseGroup)))
		);
		expect(byDose.text).toContain('\r\n80 mg,FU1M,1,10,,\r\n');
	});

	it('follows the page’s filters: an auditor of both sites, then site B1 alone', async () => {
		const aud = await user('auditor', ['A1', 'B1']);
		const both = await get(groupsCsv, aud, '/cohort/groups.csv?by=site');
		expect(
			new Set(
				both.text
					.split('\r\n')
					.slice(1, -1)
					.map((l) => l.split(',')[0])
			)
		).toEqual(new Set(['A1', 'B1']));
		const b1 = await get(groupsCsv, aud, '/cohort/groups.csv?by=site&site=b1');
		expect(b1.text).toBe(
			toCsv(
				groupMeanColumns('Site'),
				groupMeanRows(unpackGroups((await page(aud, '?site=b1')).bySite))
			)
		);
		expect(b1.text).toContain('\r\nB1,FU1M,1,8,,\r\n');
		expect(b1.text).not.toContain('A1,');
	});

	it('refuses whom the page refuses: coordinators, another site, no one signed in', async () => {
		const coord = await user('coordinator', ['A1']);
		const inv = await user('investigator', ['A1']);
		for (const handler of [groupsCsv, pointsCsv]) {
			expect((await get(handler, coord, '/cohort/x.csv?by=site')).status).toBe(403);
			// Another site's code is "not found", as on the page.
			const other = await get(handler, inv, '/cohort/x.csv?by=site&site=B1');
			expect(other.status).toBe(404);
			expect(other.text).not.toMatch(/B1,/);
			const anonymous = await get(handler, undefined, '/cohort/x.csv?by=site');
			expect(anonymous.status).toBe(303);
			expect(anonymous.text).toMatch(/^\/login\?next=/);
		}
		expect((await get(groupsCsv, inv, '/cohort/groups.csv?by=arm')).status).toBe(404);
	});
});

describe('the cohort’s points CSV', () => {
	it('lists a follow-up’s points at the reader’s sites, the percent change rounded as shown', async () => {
		const inv = await user('investigator', ['A1']);
		const fu6 = await get(pointsCsv, inv, '/cohort/points.csv?at=FU6M');
		expect(fu6.status).toBe(200);
		// 30 → 12 is −60 %; B1's participant (28 → 7) is another site's.
		expect(fu6.text.trimEnd().split('\r\n')).toEqual([
			'Participant,Site,Dose group,Baseline,Total,% change',
			expect.stringMatching(/^A1-\d{3},A1,120 mg,30,12,-60$/)
		]);
		const aud = await user('auditor', ['A1', 'B1']);
		const both = await get(pointsCsv, aud, '/cohort/points.csv?at=FU6M');
		expect(both.text).toMatch(/\r\nB1-\d{3},B1,120 mg,28,7,-75\r\n$/);
	});
});
