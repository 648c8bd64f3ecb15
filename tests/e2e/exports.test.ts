// Exports in the built server run on read workers (the worker is bundled with the server): while
// an ODM export streams, a coordinator's save and the investigator's board event still go
// through, and the file is the snapshot it started with.
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { readTar } from '../../src/lib/server/export/tar';

const base = () => inject('baseUrl');

async function signInCookie(email: string): Promise<string> {
	const res = await fetch(`${base()}/login`, {
		method: 'POST',
		headers: { origin: base(), 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password: inject('demoPassword') }),
		redirect: 'manual'
	});
	const match = /vigil_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
	if (!match) throw new Error(`sign-in failed: ${res.status}`);
	return `vigil_session=${match[1]}`;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(cookie: string, method: string, path: string, body?: unknown) {
	const res = await fetch(`${base()}/api/v1${path}`, {
		method,
		headers: { cookie, origin: base(), 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	return { status: res.status, body: (await res.json()) as Json };
}

const isoMinutesAgo = (minutes: number) =>
	new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');

let admin: string;
let coordinator: string;
let investigator: string;

beforeAll(async () => {
	admin = await signInCookie('admin@demo.vigil.test');
	coordinator = await signInCookie('coordinator@demo.vigil.test');
	investigator = await signInCookie('investigator@demo.vigil.test');
});

/** The investigator's live board channel; resolves at the first 'flags' event. */
async function boardEvent(signal: AbortSignal): Promise<{ next: () => Promise<void> }> {
	const res = await fetch(`${base()}/review/events`, { headers: { cookie: investigator }, signal });
	expect(res.status).toBe(200);
	const reader = res.body!.getReader();
	const decoder = new TextDecoder();
	let text = '';
	return {
		async next() {
			while (!text.includes('event: flags')) {
				const { value, done } = await reader.read();
				if (done) throw new Error('the board channel closed');
				text += decoder.decode(value, { stream: true });
			}
		}
	};
}

describe('exports on read workers', () => {
	it('while an ODM export streams, a vitals save and its board event complete', async () => {
		const sites = await call(coordinator, 'GET', '/sites');
		const studies = await call(coordinator, 'GET', '/studies');
		// A random code; the shared test server holds many participants, so one already taken
		// (409) is drawn again.
		let code = '';
		const enrol = () =>
			call(coordinator, 'POST', '/participants', {
				siteId: sites.body.sites[0].id,
				studyId: studies.body.studies[0].id,
				subjectCode: (code = `01-${5000 + Math.floor(Math.random() * 4000)}`),
				sex: 'F',
				birthYear: 1980,
				doseGroup: '120 mg',
				status: 'enrolled',
				enrolledOn: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)
			});
		let p = await enrol();
		for (let tries = 0; p.status === 409 && tries < 10; tries++) p = await enrol();
		expect(p.status).toBe(201);
		const visits = await call(coordinator, 'GET', `/participants/${p.body.id}/visits`);
		const dosing = visits.body.visits.find((v: Json) => v.kind === 'dosing');
		const session = await call(coordinator, 'POST', `/participants/${p.body.id}/dosing-sessions`, {
			visitId: dosing.id,
			t0: isoMinutesAgo(60),
			initialDoseMg: 120,
			// Out of the session's window: the reason records the deviation.
			deviationReason: 'Test set-up: dosing outside the planned window'
		});
		expect(session.status).toBe(201);

		const stop = new AbortController();
		const board = await boardEvent(stop.signal);
		const odm = await fetch(`${base()}/api/v1/exports/odm`, { headers: { cookie: admin } });
		expect(odm.status).toBe(200);
		const reader = odm.body!.getReader();
		const chunks: Uint8Array[] = [];
		const first = await reader.read();
		expect(first.done).toBe(false);
		chunks.push(first.value!);

		// The export is under way; the save and the board do not wait for it.
		const saved = await call(coordinator, 'POST', `/dosing-sessions/${session.body.id}/vitals`, {
			timepoint: 30,
			takenAt: isoMinutesAgo(30),
			systolic: 186,
			diastolic: 96,
			heartRate: 80
		});
		expect(saved.status).toBe(201);
		await board.next();
		stop.abort();

		for (let next = await reader.read(); !next.done; next = await reader.read()) {
			chunks.push(next.value);
		}
		expect(chunks.length).toBeGreaterThan(1);
		const xml = Buffer.concat(chunks).toString('utf8');
		expect(xml).toMatch(/<\/ODM>\s*$/);
		expect(xml).toContain(code);
		// The reading saved mid-export is not in the file that had already begun; a new export has it.
		const count = (text: string) => text.split('Value="186"').length - 1;
		const later = await fetch(`${base()}/api/v1/exports/odm`, { headers: { cookie: admin } });
		expect(count(await later.text())).toBe(count(xml) + 1);
	});

	it('the auditor bundle downloads whole from the built server', async () => {
		const auditor = await signInCookie('auditor@demo.vigil.test');
		const res = await fetch(`${base()}/exports/bundle`, { headers: { cookie: auditor } });
		expect(res.status).toBe(200);
		const tar = gunzipSync(Buffer.from(await res.arrayBuffer()));
		const names: string[] = [];
		await readTar([tar], ({ name }) => {
			names.push(name);
			return { data: () => {}, end: () => {} };
		});
		expect(names).toEqual(
			expect.arrayContaining(['dm.csv', 'vs.csv', 'odm.xml', 'manifest.json', 'README.txt'])
		);
	});
});
