// Records of the fuzzed server's demo data for the fuzz to name: one at site 01 (where the fuzzing
// coordinator and investigator work) and one at site 02 (another site's), by kind as paths name
// them.
import type { Watch } from './fuzz';

export interface Ids {
	own: Record<string, number | string | undefined>;
	foreign: Record<string, number | string | undefined>;
}

/** Path segment (and form field kind) → table. */
const TABLES: Record<string, string> = {
	participants: 'participant',
	visits: 'visit',
	'dosing-sessions': 'dosing_session',
	sessions: 'dosing_session',
	vitals: 'vital_reading',
	'adverse-events': 'adverse_event',
	'scale-administrations': 'scale_administration',
	scales: 'scale_administration',
	deviations: 'protocol_deviation',
	flags: 'flag',
	queries: 'data_query',
	'concomitant-medications': 'concomitant_medication',
	consents: 'consent_record',
	'blinding-guesses': 'blinding_guess',
	'epro-links': 'epro_link'
};

export async function recordIds(watch: Watch): Promise<Ids> {
	const own: Ids['own'] = {};
	const foreign: Ids['foreign'] = {};
	for (const [kind, table] of Object.entries(TABLES)) {
		for (const [code, into] of [
			['01', own],
			['02', foreign]
		] as const) {
			// An open or current record where the table says so, else any.
			const rows = await watch.rows<{ id: number }>(
				`select min(x.id) as id from ${table} x join site s on s.id = x.site_id where s.code = '${code}'`
			);
			into[kind] = rows[0]?.id ?? undefined;
		}
	}
	// A participant with sessions, events and readings, so its sub-paths reach their bodies.
	for (const [code, into] of [
		['01', own],
		['02', foreign]
	] as const) {
		const rows = await watch.rows<{ id: number; session: number }>(
			`select p.id as id, min(d.id) as session from participant p join site s on s.id = p.site_id
			 join dosing_session d on d.participant_id = p.id where s.code = '${code}'
			 group by p.id order by p.id limit 1`
		);
		if (rows[0]) {
			into.participants = rows[0].id;
			into['dosing-sessions'] = into.sessions = rows[0].session;
		}
	}
	const studies = await watch.rows<{ id: number }>('select min(id) as id from study');
	own.studies = studies[0]?.id;
	const versions = await watch.rows<{ id: number }>(
		'select min(id) as id from consent_form_version'
	);
	own['consent-form-versions'] = versions[0]?.id;
	const sites = await watch.rows<{ id: number; code: string }>('select id, code from site');
	own['admin/sites'] = sites.find((s) => s.code === '01')?.id;
	foreign['admin/sites'] = sites.find((s) => s.code === '02')?.id;
	own.sites = '01';
	foreign.sites = '02';
	return { own, foreign };
}
