// Who may use which door, in one table: every page, JSON API operation, export, live stream and
// CLI command, and for each role how far it reaches. The services enforce it (auth/access.ts and
// each service's first lines); tests/e2e/access-matrix.test.ts calls every real door as every role
// and checks the answer against this table, and docs/access-matrix.md is generated from it
// (`npm run docs:access`). A new door that is not in the table fails tests/unit/access-matrix.test.ts.
import { ROLES, type Role } from '../roles';

export type DoorKind = 'page' | 'action' | 'api' | 'export' | 'stream' | 'cli';

/**
 * How far a role reaches through a door: 'site', the records of the sites it holds (another
 * site's record is "not found", a list shows only its sites); 'all', every site; 'any', a door
 * that holds no site's records (the user's own account, the administration pages).
 */
export type Reach = 'site' | 'all' | 'any';

export interface DoorRule {
	/** Roles that may pass; any other signed-in role is refused (403, or 404 for a hidden record). */
	allow: Partial<Record<Role, Reach>>;
	/** Anyone, signed in or not. */
	public?: true;
	/** Only the operator at the server's shell (the CLI): no role of the web reaches it. */
	operator?: true;
	/** What the table cannot say: an extra rule the door applies. */
	note?: string;
}

const reach =
	(r: Reach) =>
	(...roles: Role[]): Partial<Record<Role, Reach>> =>
		Object.fromEntries(roles.map((role) => [role, r]));
/** These roles, at the sites they hold. */
export const atSites = reach('site');
/** These roles, at every site. */
export const everywhere = reach('all');
/** These roles, through a door that is not about any site. */
export const siteless = reach('any');

/** Anyone signed in, whatever the role (their own account's pages). */
const SIGNED_IN: Partial<Record<Role, Reach>> = siteless(...ROLES);

const rule = (allow: Partial<Record<Role, Reach>>, note?: string): DoorRule =>
	note ? { allow, note } : { allow };
const publicDoor = (note?: string): DoorRule => ({
	allow: {},
	public: true,
	...(note && { note })
});
const operatorOnly: DoorRule = { allow: {}, operator: true };

/** Read clinical records: staff and monitors at their sites, administrators everywhere. */
const READERS = {
	...atSites('coordinator', 'investigator', 'auditor', 'monitor'),
	...everywhere('admin')
};
/** Enter clinical data: coordinators at their sites. */
const ENTRY = atSites('coordinator');
/** Read the audit trail and the exports: auditors at their sites, administrators everywhere. */
const AUDIT = { ...atSites('auditor'), ...everywhere('admin') };
const ADMIN = everywhere('admin');
/** Administration: users, sites, protocols, the signing key, locking the study. */
const ADMIN_ONLY = siteless('admin');

type Doors = Record<string, DoorRule>;

/** Pages: their GET (a page's forms call the same services as the API's writes). */
const PAGES: Doors = {
	'GET /': rule(SIGNED_IN, 'Sends each role to its landing page.'),
	'GET /login': publicDoor('A signed-in user is sent to their landing page.'),
	'GET /login/code': publicDoor('Only between password and second factor; else back to sign-in.'),
	'GET /logout': publicDoor('Signing out is its POST.'),
	'GET /account/password': rule(SIGNED_IN),
	'GET /account/tokens': rule(SIGNED_IN),
	'GET /account/two-factor': rule(SIGNED_IN),
	'GET /admin': rule(ADMIN_ONLY),
	'GET /admin/protocols': rule(ADMIN_ONLY),
	'GET /admin/signing-key': rule(ADMIN_ONLY),
	'GET /admin/sites': rule(ADMIN_ONLY),
	'GET /admin/sites/[id=id]': rule(ADMIN_ONLY),
	'GET /admin/users': rule(ADMIN_ONLY),
	'GET /admin/users/[id=id]': rule(ADMIN_ONLY),
	'GET /adverse-events/[id=id]': rule(READERS),
	'GET /audit': rule(AUDIT),
	'GET /audit/record/[type]/[id=id]': rule(AUDIT),
	'GET /cohort': rule({ ...atSites('investigator', 'auditor'), ...ADMIN }),
	'GET /cohort/blinding': rule(
		{ ...atSites('coordinator', 'investigator', 'auditor', 'monitor', 'pharmacist'), ...ADMIN },
		"Bang's index per arm only for an unblinded role, or once the study is locked."
	),
	'GET /consent': rule({
		...atSites('coordinator', 'investigator', 'auditor', 'monitor'),
		...ADMIN
	}),
	'GET /deviations/[id=id]': rule(READERS),
	'GET /epro/[token]': publicDoor(
		'A participant’s one-time self-report link: the token is the credential (once, until it expires).'
	),
	'GET /epro/done': publicDoor('The thanks after a self-report.'),
	'GET /exports': rule(AUDIT),
	'GET /monitoring': rule(atSites('coordinator', 'investigator', 'auditor', 'monitor')),
	'GET /monitoring/participants/[id=id]': rule(
		atSites('coordinator', 'investigator', 'auditor', 'monitor'),
		"A participant's SDV worksheet; only monitors verify."
	),
	'GET /participants/[id=id]': rule(READERS),
	'GET /participants/[id=id]/adverse-events/new': rule(ENTRY),
	'GET /participants/[id=id]/casebook': rule(atSites('investigator', 'auditor')),
	'GET /participants/[id=id]/scales/new': rule(ENTRY),
	'GET /participants/[id=id]/timeline': rule(READERS),
	'GET /participants/[id=id]/trial': rule(
		READERS,
		'The arm and kit only for an unblinded role, or once the study is locked.'
	),
	'GET /pharmacy': rule(atSites('pharmacist')),
	'GET /review': rule(atSites('coordinator', 'investigator', 'auditor')),
	'GET /review/queue': rule(atSites('investigator', 'auditor')),
	'GET /safety-signals': rule({ ...atSites('investigator', 'auditor'), ...ADMIN }),
	'GET /scales/[id=id]': rule(READERS),
	'GET /sessions/[id=id]': rule(READERS),
	'GET /sessions/[id=id]/chart': rule(READERS),
	'GET /sites': rule(atSites('coordinator', 'investigator', 'auditor', 'monitor')),
	'GET /sites/[code]': rule(atSites('coordinator', 'investigator', 'auditor', 'monitor')),
	'GET /sites/[code]/deviations': rule(READERS),
	'GET /sites/[code]/on-call': rule({ ...atSites('investigator'), ...ADMIN }),
	'GET /sites/[code]/overview': rule(atSites('coordinator', 'investigator', 'auditor', 'monitor'))
};

/** Monitors raise queries and verify sources; a query's answer is staff's, its other steps the monitor's. */
const MONITORING = {
	raiseQuery: rule(atSites('monitor')),
	queryStep: rule(
		atSites('coordinator', 'investigator', 'monitor'),
		'Coordinators and investigators answer; the monitor closes, reopens and cancels.'
	),
	verify: rule(atSites('monitor'))
};
const SIGN = rule(atSites('investigator'), 'Both signature components (user id and password).');

/**
 * The pages' form actions (`POST /page?/name`; a default action posts to the page itself): the
 * same services as the API's writes, so the same roles. Anyone signed out gets 401.
 */
const FORM_ACTIONS: Doors = {
	'POST /account/password': rule(SIGNED_IN),
	'POST /account/tokens?/create': rule(SIGNED_IN),
	'POST /account/tokens?/revoke': rule(SIGNED_IN, 'Only the user’s own tokens.'),
	'POST /account/tokens?/everywhere': rule(SIGNED_IN, 'Ends every session and token of the user.'),
	'POST /account/two-factor?/start': rule(SIGNED_IN),
	'POST /account/two-factor?/confirm': rule(SIGNED_IN),
	'POST /account/two-factor?/renew': rule(SIGNED_IN),
	'POST /admin?/lock': rule(
		ADMIN_ONLY,
		'Locks the study, or asks, approves or declines an unlock (not the one who asked).'
	),
	'POST /admin?/verify': rule(ADMIN_ONLY),
	'POST /admin/protocols?/check': rule(ADMIN_ONLY),
	'POST /admin/protocols?/load': rule(ADMIN_ONLY),
	'POST /admin/protocols?/activate': rule(ADMIN_ONLY),
	'POST /admin/sites?/create': rule(ADMIN_ONLY),
	'POST /admin/sites/[id=id]': rule(ADMIN_ONLY),
	'POST /admin/users?/create': rule(ADMIN_ONLY),
	'POST /admin/users/[id=id]?/update': rule(ADMIN_ONLY),
	'POST /admin/users/[id=id]?/disable': rule(ADMIN_ONLY),
	'POST /admin/users/[id=id]?/enable': rule(ADMIN_ONLY),
	'POST /admin/users/[id=id]?/reset': rule(ADMIN_ONLY),
	'POST /admin/users/[id=id]?/resetSecondFactor': rule(ADMIN_ONLY),
	'POST /adverse-events/[id=id]?/raiseQuery': MONITORING.raiseQuery,
	'POST /adverse-events/[id=id]?/queryStep': MONITORING.queryStep,
	'POST /adverse-events/[id=id]?/verify': MONITORING.verify,
	'POST /adverse-events/[id=id]?/report': rule(atSites('coordinator', 'investigator')),
	'POST /adverse-events/[id=id]?/sign': SIGN,
	'POST /adverse-events/[id=id]?/correct': rule(atSites('coordinator', 'investigator')),
	'POST /adverse-events/[id=id]?/enteredInError': rule(ENTRY),
	'POST /consent?/add': rule(ADMIN_ONLY),
	'POST /deviations/[id=id]?/sign': SIGN,
	'POST /deviations/[id=id]?/review': rule(atSites('coordinator', 'investigator')),
	'POST /deviations/[id=id]?/enteredInError': rule(atSites('coordinator', 'investigator')),
	'POST /epro/[token]': publicDoor('The participant’s one-time link is the credential.'),
	'POST /login': publicDoor(),
	'POST /login/code': publicDoor('Only between password and second factor.'),
	'POST /logout': rule(SIGNED_IN),
	'POST /monitoring/participants/[id=id]?/verify': MONITORING.verify,
	'POST /participants/[id=id]?/freeze': rule({ ...atSites('investigator'), ...ADMIN }),
	'POST /participants/[id=id]?/visit': rule(ENTRY),
	'POST /participants/[id=id]?/startSession': rule(ENTRY),
	'POST /participants/[id=id]?/deviation': rule(atSites('coordinator', 'investigator')),
	'POST /participants/[id=id]?/status': rule(ENTRY),
	'POST /participants/[id=id]/adverse-events/new?/record': rule(ENTRY),
	'POST /participants/[id=id]/casebook?/sign': SIGN,
	'POST /participants/[id=id]/scales/new?/record': rule(ENTRY),
	'POST /participants/[id=id]/trial?/consent': rule(ENTRY),
	'POST /participants/[id=id]/trial?/randomise': rule(ENTRY),
	'POST /participants/[id=id]/trial?/unblind': rule(
		atSites('investigator'),
		'Emergency unblinding: the investigator’s password every time; audited and mailed.'
	),
	'POST /participants/[id=id]/trial?/conmed': rule(ENTRY),
	'POST /participants/[id=id]/trial?/epro': rule(ENTRY),
	'POST /participants/[id=id]/trial?/guess': rule(ENTRY),
	'POST /participants/[id=id]/trial?/guessError': rule(ENTRY),
	'POST /participants/[id=id]/trial?/conmedError': rule(ENTRY),
	'POST /review?/acknowledge': rule(atSites('investigator')),
	'POST /review?/action': rule(atSites('coordinator', 'investigator')),
	'POST /review?/close': rule(atSites('investigator')),
	'POST /review?/acknowledgeAll': rule(
		atSites('investigator'),
		'Several flags at once; one not at your sites answers 404 and moves none.'
	),
	'POST /review?/actionAll': rule(
		atSites('coordinator', 'investigator'),
		'Several flags at once; one not at your sites answers 404 and moves none.'
	),
	'POST /review?/closeAll': rule(
		atSites('investigator'),
		'Several flags at once; one not at your sites answers 404 and moves none.'
	),
	'POST /review/queue?/sign': rule(atSites('investigator'), 'Several records in one signing.'),
	'POST /scales/[id=id]?/raiseQuery': MONITORING.raiseQuery,
	'POST /scales/[id=id]?/queryStep': MONITORING.queryStep,
	'POST /scales/[id=id]?/verify': MONITORING.verify,
	'POST /scales/[id=id]?/sign': SIGN,
	'POST /scales/[id=id]?/correct': rule(ENTRY),
	'POST /scales/[id=id]?/enteredInError': rule(ENTRY),
	'POST /sessions/[id=id]?/raiseQuery': MONITORING.raiseQuery,
	'POST /sessions/[id=id]?/queryStep': MONITORING.queryStep,
	'POST /sessions/[id=id]?/verify': MONITORING.verify,
	'POST /sessions/[id=id]?/sign': SIGN,
	'POST /sessions/[id=id]?/reading': rule(ENTRY),
	'POST /sessions/[id=id]?/correct': rule(ENTRY),
	'POST /sessions/[id=id]?/readingError': rule(ENTRY),
	'POST /sessions/[id=id]?/session': rule(ENTRY),
	'POST /sessions/[id=id]?/sessionError': rule(ENTRY),
	'POST /sites/[code]?/enrol': rule(ENTRY),
	'POST /sites/[code]/on-call?/add': rule({ ...atSites('investigator'), ...ADMIN }),
	'POST /sites/[code]/on-call?/remove': rule({ ...atSites('investigator'), ...ADMIN })
};

/** Downloads and live streams outside the JSON API. */
const DOWNLOADS_AND_STREAMS: Doors = {
	'GET /audit/export.csv': rule(AUDIT, 'Audited when it starts.'),
	'GET /cohort/groups.csv': rule(
		{ ...atSites('investigator', 'auditor'), ...ADMIN },
		"The cohort page's means by site or dose group, under its filters and rules."
	),
	'GET /cohort/points.csv': rule(
		{ ...atSites('investigator', 'auditor'), ...ADMIN },
		"The cohort page's follow-up points, under its filters and rules."
	),
	'GET /exports/bundle': rule(AUDIT, 'Audited when it starts.'),
	'GET /monitoring/queries.csv': rule(READERS),
	'GET /review/events': rule(READERS, 'Ends within seconds of sign-out, expiry or disable.'),
	'GET /sessions/[id=id]/events': rule(
		READERS,
		'Ends within seconds of sign-out, expiry or disable.'
	)
};

/** The JSON API, with a session cookie or an API token (a read-only token is refused every write). */
const API: Doors = {
	'GET /api/v1/openapi.json': publicDoor(),
	'GET /api/v1/studies': rule(READERS),
	'GET /api/v1/sites': rule({
		...atSites('coordinator', 'investigator', 'auditor', 'monitor', 'pharmacist'),
		...ADMIN
	}),
	'GET /api/v1/participants': rule(READERS),
	'POST /api/v1/participants': rule(ENTRY),
	'GET /api/v1/participants/{id}': rule(READERS),
	'POST /api/v1/participants/{id}/status': rule(ENTRY),
	'GET /api/v1/participants/{id}/visits': rule(READERS),
	'POST /api/v1/visits/{id}': rule(ENTRY),
	'GET /api/v1/participants/{id}/dosing-sessions': rule(READERS),
	'POST /api/v1/participants/{id}/dosing-sessions': rule(ENTRY),
	'GET /api/v1/dosing-sessions/{id}': rule(READERS),
	'PATCH /api/v1/dosing-sessions/{id}': rule(ENTRY),
	'POST /api/v1/dosing-sessions/{id}/entered-in-error': rule(ENTRY),
	'GET /api/v1/dosing-sessions/{id}/vitals': rule(READERS),
	'POST /api/v1/dosing-sessions/{id}/vitals': rule(ENTRY),
	'POST /api/v1/dosing-sessions/{id}/vitals/batch': rule(ENTRY),
	'GET /api/v1/vitals/{id}': rule(READERS),
	'PATCH /api/v1/vitals/{id}': rule(ENTRY),
	'POST /api/v1/vitals/{id}/entered-in-error': rule(ENTRY),
	'GET /api/v1/participants/{id}/adverse-events': rule(READERS),
	'POST /api/v1/participants/{id}/adverse-events': rule(ENTRY),
	'GET /api/v1/adverse-events/{id}': rule(READERS),
	'PATCH /api/v1/adverse-events/{id}': rule(
		atSites('coordinator', 'investigator'),
		'Investigators correct the grading and causality they are responsible for.'
	),
	'POST /api/v1/adverse-events/{id}/entered-in-error': rule(ENTRY),
	'GET /api/v1/participants/{id}/scale-administrations': rule(READERS),
	'POST /api/v1/participants/{id}/scale-administrations': rule(ENTRY),
	'GET /api/v1/scale-administrations/{id}': rule(READERS),
	'PATCH /api/v1/scale-administrations/{id}': rule(ENTRY),
	'POST /api/v1/scale-administrations/{id}/entered-in-error': rule(ENTRY),
	'GET /api/v1/deviations': rule(READERS),
	'GET /api/v1/participants/{id}/deviations': rule(READERS),
	'POST /api/v1/participants/{id}/deviations': rule(atSites('coordinator', 'investigator')),
	'GET /api/v1/deviations/{id}': rule(READERS),
	'PATCH /api/v1/deviations/{id}': rule(atSites('coordinator', 'investigator')),
	'POST /api/v1/deviations/{id}/entered-in-error': rule(atSites('coordinator', 'investigator')),
	'GET /api/v1/flags': rule(READERS),
	'GET /api/v1/flags/{id}': rule(READERS),
	'POST /api/v1/flags/{id}/acknowledge': rule(atSites('investigator')),
	'POST /api/v1/flags/{id}/action': rule(atSites('coordinator', 'investigator')),
	'POST /api/v1/flags/{id}/close': rule(atSites('investigator')),
	'POST /api/v1/flags/acknowledge': rule(
		atSites('investigator'),
		'Flags of several records at once; one not at your sites answers 404 and moves none.'
	),
	'POST /api/v1/flags/action': rule(
		atSites('coordinator', 'investigator'),
		'Flags of several records at once; one not at your sites answers 404 and moves none.'
	),
	'POST /api/v1/flags/close': rule(
		atSites('investigator'),
		'Flags of several records at once; one not at your sites answers 404 and moves none.'
	),
	'GET /api/v1/review-queue': rule(atSites('investigator', 'auditor')),
	'GET /api/v1/participants/{id}/casebook': rule(atSites('investigator', 'auditor')),
	'POST /api/v1/signatures': rule(
		atSites('investigator'),
		'Both signature components (user id and password) every time, even with a token.'
	),
	'GET /api/v1/queries': rule(READERS),
	'POST /api/v1/queries': rule(atSites('monitor')),
	'POST /api/v1/queries/{id}/answer': rule(atSites('coordinator', 'investigator')),
	'POST /api/v1/queries/{id}/close': rule(atSites('monitor')),
	'POST /api/v1/queries/{id}/reopen': rule(atSites('monitor')),
	'POST /api/v1/queries/{id}/cancel': rule(atSites('monitor')),
	'POST /api/v1/source-verifications': rule(atSites('monitor')),
	'GET /api/v1/sdv-progress': rule(READERS),
	'POST /api/v1/participants/{id}/freeze': rule({ ...atSites('investigator'), ...ADMIN }),
	'POST /api/v1/participants/{id}/unfreeze': rule({ ...atSites('investigator'), ...ADMIN }),
	'POST /api/v1/studies/{id}/lock': rule(ADMIN_ONLY),
	'POST /api/v1/studies/{id}/unlock': rule(
		ADMIN_ONLY,
		'Asks to unlock; another administrator approves or declines.'
	),
	'POST /api/v1/studies/{id}/unlock/approve': rule(
		ADMIN_ONLY,
		'Not by the administrator who asked (403).'
	),
	'POST /api/v1/studies/{id}/unlock/decline': rule(
		ADMIN_ONLY,
		'Another administrator declines, or the one who asked withdraws.'
	),
	'GET /api/v1/participants/{id}/blinding-guesses': rule(READERS),
	'POST /api/v1/participants/{id}/blinding-guesses': rule(ENTRY),
	'POST /api/v1/blinding-guesses/{id}/entered-in-error': rule(ENTRY),
	'GET /api/v1/studies/{id}/consent-form-versions': rule(READERS),
	'POST /api/v1/studies/{id}/consent-form-versions': rule(ADMIN_ONLY),
	'GET /api/v1/studies/{id}/reconsent': rule(READERS),
	'GET /api/v1/participants/{id}/consents': rule(READERS),
	'POST /api/v1/participants/{id}/consents': rule(ENTRY),
	'POST /api/v1/consents/{id}/withdrawal': rule(ENTRY),
	'GET /api/v1/participants/{id}/randomisation': rule(
		READERS,
		'The kit and stratum, never the arm.'
	),
	'POST /api/v1/participants/{id}/randomisation': rule(ENTRY),
	'GET /api/v1/participants/{id}/concomitant-medications': rule(READERS),
	'POST /api/v1/participants/{id}/concomitant-medications': rule(ENTRY),
	'GET /api/v1/concomitant-medications/{id}': rule(READERS),
	'PATCH /api/v1/concomitant-medications/{id}': rule(ENTRY),
	'POST /api/v1/concomitant-medications/{id}/entered-in-error': rule(ENTRY),
	'GET /api/v1/participants/{id}/epro-links': rule(READERS),
	'POST /api/v1/participants/{id}/epro-links': rule(ENTRY),
	'POST /api/v1/epro-links/{id}/revocation': rule(ENTRY),
	'GET /api/v1/participants/{id}/self-reports': rule(READERS),
	'GET /api/v1/epro/{token}': publicDoor(
		'The participant, with the one-time link’s token as the credential (until used or expired).'
	),
	'POST /api/v1/epro/{token}': publicDoor(
		'The participant, once, with the link’s token; answers are attributed to the participant.'
	),
	'GET /api/v1/studies/{id}/blinding-integrity': rule(
		{ ...atSites('coordinator', 'investigator', 'auditor', 'monitor', 'pharmacist'), ...ADMIN },
		"Bang's index per arm only for an unblinded role, or once the study is locked."
	),
	'GET /api/v1/studies/{id}/allocation': rule(
		atSites('pharmacist'),
		'Before lock, the unblinded role only; every reading role once the study is locked. Audited.'
	),
	'GET /api/v1/exports/sdtm/{domain}': rule(AUDIT, 'Audited when it starts.'),
	'GET /api/v1/exports/xpt/{domain}': rule(AUDIT, 'Audited when it starts.'),
	'GET /api/v1/exports/define': rule(AUDIT, 'Audited when it starts.'),
	'GET /api/v1/exports/odm': rule(AUDIT, 'Audited when it starts.'),
	'GET /api/v1/audit': rule(AUDIT)
};

/** The command line: whoever can run it holds the server's shell, its database and its key. */
const COMMAND_LINE: Doors = {
	'vigil migrate': operatorOnly,
	'vigil site add': operatorOnly,
	'vigil user add': operatorOnly,
	'vigil user reset-second-factor': operatorOnly,
	'vigil user disable': operatorOnly,
	'vigil backup': operatorOnly,
	'vigil audit checkpoint': operatorOnly,
	'vigil audit verify': operatorOnly,
	'vigil verify': operatorOnly,
	'vigil audit bundle': operatorOnly,
	'vigil audit signing-key': operatorOnly,
	'vigil db copy': operatorOnly,
	'vigil demo': operatorOnly,
	'vigil protocol load': operatorOnly,
	'vigil protocol dry-run': operatorOnly,
	'vigil protocol activate': operatorOnly,
	'vigil study lock': operatorOnly,
	'vigil study unlock': operatorOnly,
	'vigil study unlock-approve': operatorOnly,
	'vigil study unlock-decline': operatorOnly,
	'vigil study allocation': operatorOnly
};

export const ACCESS_SECTIONS: Array<{ kind: DoorKind[]; title: string; doors: Doors }> = [
	{ kind: ['page'], title: 'Pages', doors: PAGES },
	{ kind: ['action'], title: 'Form actions (`POST /page?/name`)', doors: FORM_ACTIONS },
	{ kind: ['export', 'stream'], title: 'Downloads and live streams', doors: DOWNLOADS_AND_STREAMS },
	{ kind: ['api'], title: 'JSON API (`/api/v1`)', doors: API },
	{ kind: ['cli'], title: 'Command line (`npm run vigil -- …`)', doors: COMMAND_LINE }
];

export const ACCESS_MATRIX: Doors = Object.assign({}, ...ACCESS_SECTIONS.map((s) => s.doors));

/** Whether `role` may pass `door`, and how far; null when refused. */
export function reachOf(door: DoorRule, role: Role): Reach | null {
	return door.allow[role] ?? null;
}
