// Every operation of the JSON API, with the schema its body is read with. The OpenAPI document is
// generated from this table, and a test checks that each +server.ts under api/v1 appears in it.
import type { z } from 'zod';
import { auditTrailQuery } from '../../schemas/audit-trail';
import { reviewQueueQuery } from '../../schemas/review-queue';
import { queryListQuery } from '../services/monitoring/queries';
import { exportFiltersInput } from '../export/filters';
import { requestBodies } from './bodies';
import {
	deviationListQuery,
	flagListQuery,
	includeEnteredInErrorQuery,
	participantListQuery,
	scaleListQuery,
	sdvProgressQuery
} from './schemas';

export interface ApiOperation {
	method: 'get' | 'post' | 'patch';
	/** OpenAPI style: '/api/v1/participants/{id}'. */
	path: string;
	tag: string;
	summary: string;
	/** What a success answers with. */
	response: string;
	query?: z.ZodObject;
	/** The request body: a name for components.schemas and the schema it is read with. */
	body?: { name: string; schema: z.ZodType };
	/** 201 instead of 200. */
	creates?: boolean;
	/** No credentials needed. */
	public?: boolean;
	description?: string;
}

/** What a client must know beyond the schema. */
const NOTES = {
	epro:
		'`instrument` PHQ9 (or a scale whose licensed wording the protocol supplies), `mode` link ' +
		'or kiosk. The token is in this answer only (Vigil keeps its SHA-256); the link works once ' +
		'and expires after `epro.linkValidHours` or `epro.kioskValidMinutes`. Passes the consent gate.',
	eproParticipant:
		'No API token or staff session: the link token is the credential. A used or expired link ' +
		'answers 410, one never issued 404; a missing answer 422 under `items.<n>`. The answers are ' +
		'stored, scored and flagged as the participant’s; nothing names an arm.',
	vitals:
		'Soft-check warnings (a large change since the previous value) answer 409 with `warnings`; ' +
		'send the reading again with `confirmed: true` to save it. `takenAt` is HH:mm at the site, ' +
		'or ISO 8601 with an offset. A `clientKey` (8-64 of A-Z a-z 0-9 _ -) makes the send ' +
		'idempotent: sent again to the same session, the reading stored under it comes back and ' +
		'nothing new is stored (a device retrying after a dropped connection).',
	batch:
		'All or nothing: one bad reading refuses the batch, each error under ' +
		'`readings.<index>.<field>`. Monitor values are not asked about: each saved reading comes ' +
		'back with its soft-check warnings, which are in the audit trail. A batch over ' +
		'VIGIL_MAX_BATCH_READINGS (500) answers 413; a session past VIGIL_MAX_UNSCHEDULED_READINGS ' +
		'(200) unscheduled readings answers 422 on `readings.<index>.timepoint`.',
	adverseEvent:
		"`severity` is on the protocol's scale: a CTCAE grade 1-5, or mild, moderate or severe. " +
		'Date-times without an offset are read in the site time zone.',
	correction:
		'Send the whole record again; changing a saved value needs a `reason` (3 characters or more).',
	exports:
		'Auditors and admins; audited when it starts. Streamed as an attachment; the header ' +
		'`x-vigil-row-count` gives the rows (transactions for ODM) counted at the start.',
	deviation:
		'Coordinators and investigators. `category` is one of the DOMAIN-2 §7 categories (SDTM ' +
		'DVCAT); `important` (ICH E3) defaults to the category (consent, eligibility, dosing). ' +
		'Starting a session or recording a visit outside its window or out of order answers 409 ' +
		'with the deviations under `deviationReason`: send again with `deviationReason`.',
	paging:
		"Paged: `limit` (default 100, at most 1000) rows a page; the answer's `next` is the cursor " +
		'of the following page (send it back as `cursor`), null on the last. Open flags come most ' +
		'severe first, then oldest first; with `open=false`, every flag newest raised first.',
	blinding:
		'`timepoint` is DS<n> (after dosing session n, once it has ended) or EOT (end of ' +
		"treatment); `guess` is active (the protocol's first arm), control or dont-know. One " +
		'standing guess per respondent and timepoint: mark the old one entered in error to replace it.',
	blindingIntegrity:
		"Rows by respondent and timepoint. `perArm` (the 2 × 3 table and Bang's index per arm) is " +
		'null unless your role is unblinded or the study is locked; below `minimumForBlinded` ' +
		"guesses a blinded caller gets no James' index (`withheld` says why).",
	consent:
		'Coordinators at the site record consent; `signedAt` is a site-local date-time ' +
		'(YYYY-MM-DDTHH:mm) or ISO 8601 with an offset. A second consent (re-consent on a new ' +
		'version) needs `reconsentReason`. `valid` is whether consent holds now; until the study ' +
		'records a form version (`tracked` false), Vigil does not check consent.',
	randomisation:
		"Coordinators; once per participant, taking the next kit of the participant's stratum " +
		'(site and baseline severity band from the latest complete baseline scale). Send an empty ' +
		'JSON body (`{}`). The answer holds the kit and stratum, never the arm.',
	conmed:
		'`start` and `stop` are YYYY, YYYY-MM or YYYY-MM-DD (SDTM partial dates); an `ingredient` ' +
		"from the bundled list codes the ATC class. `warnings` are the protocol's interaction rules " +
		'that apply today; a rule that blocks dosing holds the next dosing session (starting it ' +
		'answers 422 on `conmedOverrideReason`).',
	flagGroup:
		"The board's card steps: `flagIds` lists 1 to 100 flags (those of one record, or any). " +
		'All or nothing in one transaction, each flag audited on its own: an id not at your sites ' +
		'answers 404, moving none.',
	scale:
		'`items` maps item keys ("1", "2", ...) to answers. A partial form is saved only with ' +
		'`incomplete: true`.'
};

const QUERY_STEP_SUMMARY = {
	answer: 'Answer a query (site staff)',
	close: 'Close a query (monitors)',
	reopen: 'Re-open a query, saying why (monitors)',
	cancel: 'Cancel a query (monitors)'
} as const;

type Extra = Pick<ApiOperation, 'query' | 'body' | 'creates' | 'public' | 'description'>;

const op =
	(method: ApiOperation['method']) =>
	(path: string, summary: string, response: string, extra: Extra = {}) =>
		({ method, path: `/api/v1${path}`, summary, response, ...extra }) as Omit<ApiOperation, 'tag'>;
const get = op('get');
const post = op('post');
const patch = op('patch');
const tagged = (tag: string, ops: Array<Omit<ApiOperation, 'tag'>>) =>
	ops.map((o) => ({ ...o, tag }));

export function apiOperations(now: Date): ApiOperation[] {
	const b = requestBodies(now);
	const eie = (path: string, what: string) =>
		post(`${path}/{id}/entered-in-error`, `Mark a ${what} entered in error`, `The ${what}.`, {
			body: b.reason
		});
	return [
		...tagged('API', [
			get('/openapi.json', 'This document', 'The OpenAPI 3.1 document.', { public: true })
		]),
		...tagged('Studies and sites', [
			get('/studies', 'Studies you can see', '{ studies: [...] }'),
			get('/sites', 'Your sites (ids for new participants)', '{ sites: [...] }')
		]),
		...tagged('Participants', [
			get('/participants', 'Participants at your sites', '{ participants: [...], next }', {
				query: participantListQuery,
				description:
					'Paged by subject code: `limit` (default 100, at most 1000) rows a page; the ' +
					"answer's `next` is the cursor of the following page (send it back as `cursor`), " +
					'null on the last.'
			}),
			post('/participants', 'Add a participant (enrolling schedules visits)', 'The participant.', {
				body: b.participantCreate,
				creates: true
			}),
			get('/participants/{id}', 'One participant', 'The participant.'),
			post('/participants/{id}/status', 'Enrol, withdraw or complete', 'The participant.', {
				body: b.statusChange
			})
		]),
		...tagged('Visits', [
			get('/participants/{id}/visits', "A participant's visits", '{ visits: [...] }'),
			post('/visits/{id}', 'Record a visit as completed or missed', 'The visit.', {
				body: b.visitRecord,
				description: NOTES.deviation
			})
		]),
		...tagged('Dosing sessions', [
			get('/participants/{id}/dosing-sessions', 'Sessions', '{ dosingSessions: [...] }'),
			post('/participants/{id}/dosing-sessions', 'Start: T0, initial dose', 'The session.', {
				body: b.sessionStart,
				creates: true,
				description: NOTES.deviation
			}),
			get('/dosing-sessions/{id}', 'One session', 'The session, its subject, site and zone.'),
			patch('/dosing-sessions/{id}', 'Supplemental dose, end, correction', 'The session.', {
				body: b.sessionUpdate,
				description: 'Fields left out are not changed; changing a saved value needs a `reason`.'
			}),
			eie('/dosing-sessions', 'dosing session')
		]),
		...tagged('Vitals', [
			get('/dosing-sessions/{id}/vitals', 'Readings', '{ readings: [...], schedule: [...] }', {
				query: includeEnteredInErrorQuery
			}),
			post('/dosing-sessions/{id}/vitals', 'Record a reading', 'The reading.', {
				body: b.vitals,
				creates: true,
				description: NOTES.vitals
			}),
			post('/dosing-sessions/{id}/vitals/batch', 'Monitor batch', '{ readings: [...] }', {
				body: b.vitalsBatch,
				creates: true,
				description: NOTES.batch
			}),
			get('/vitals/{id}', 'One reading', 'The reading.'),
			patch('/vitals/{id}', 'Correct a reading', 'The reading.', {
				body: b.vitalsCorrection,
				description: `${NOTES.correction} ${NOTES.vitals}`
			}),
			eie('/vitals', 'reading')
		]),
		...tagged('Adverse events', [
			get('/participants/{id}/adverse-events', 'Events', '{ adverseEvents: [...] }', {
				query: includeEnteredInErrorQuery
			}),
			post('/participants/{id}/adverse-events', 'Record an event', 'The event.', {
				body: b.adverseEvent,
				creates: true,
				description: NOTES.adverseEvent
			}),
			get('/adverse-events/{id}', 'One adverse event', 'The event with its clocks.'),
			patch('/adverse-events/{id}', 'Correct an event', 'The event.', {
				body: b.adverseEventCorrection,
				description: `${NOTES.correction} ${NOTES.adverseEvent}`
			}),
			eie('/adverse-events', 'adverse event')
		]),
		...tagged('Rating scales', [
			get(
				'/participants/{id}/scale-administrations',
				'Administrations',
				'{ scaleAdministrations }',
				{
					query: scaleListQuery
				}
			),
			post('/participants/{id}/scale-administrations', 'Record and score', 'The administration.', {
				body: b.scale,
				creates: true,
				description: NOTES.scale
			}),
			get('/scale-administrations/{id}', 'One administration', 'The administration.'),
			patch('/scale-administrations/{id}', 'Correct and rescore', 'The administration.', {
				body: b.scaleCorrection,
				description: `${NOTES.correction} Fields left out keep their saved values.`
			}),
			eie('/scale-administrations', 'scale administration')
		]),
		...tagged('Protocol deviations', [
			get('/deviations', 'Deviations at your sites, newest first', '{ deviations: [...] }', {
				query: deviationListQuery
			}),
			get('/participants/{id}/deviations', "A participant's deviations", '{ deviations }'),
			post('/participants/{id}/deviations', 'Record a deviation', 'The deviation.', {
				body: b.deviation,
				creates: true,
				description: NOTES.deviation
			}),
			get('/deviations/{id}', 'One deviation', 'The deviation.'),
			patch('/deviations/{id}', 'Confirm or change category and importance', 'The deviation.', {
				body: b.deviationReview,
				description: 'A change needs a `reason` and voids signatures.'
			}),
			eie('/deviations', 'deviation')
		]),
		...tagged('Flags', [
			get('/flags', 'Safety flags at your sites, most severe first', '{ flags: [...], next }', {
				query: flagListQuery,
				description: NOTES.paging
			}),
			get('/flags/{id}', 'One flag', 'The flag.'),
			post('/flags/{id}/acknowledge', 'Acknowledge (investigators)', 'The flag.', {
				description: 'Send an empty JSON body (`{}`). A flag acknowledged already answers 409.'
			}),
			post('/flags/{id}/action', 'Record what was done', 'The flag.', { body: b.flagAction }),
			post('/flags/{id}/close', 'Close with an outcome (investigators)', 'The flag.', {
				body: b.flagClose
			}),
			post('/flags/acknowledge', 'Acknowledge several flags (investigators)', '{ flags }', {
				body: b.flagGroup,
				description:
					`${NOTES.flagGroup} Flags seen or closed already are left as they are; ` +
					'if none is left to acknowledge, 409.'
			}),
			post('/flags/action', 'Record one action on several flags', '{ flags }', {
				body: b.flagGroupAction,
				description: `Coordinators and investigators. ${NOTES.flagGroup} A closed flag answers 409.`
			}),
			post('/flags/close', 'Close several flags with one outcome (investigators)', '{ flags }', {
				body: b.flagGroupClose,
				description: `${NOTES.flagGroup} A closed flag answers 409.`
			})
		]),
		...tagged('Review and signatures', [
			get(
				'/review-queue',
				'Records waiting for a signature, newest first',
				'{ items, total, counts }',
				{
					query: reviewQueueQuery,
					description:
						'Investigators and auditors, at their sites. `page` and `pageSize` (50, at most 500) ' +
						'page it; `counts` says how many each type and status would show under the other ' +
						'filters. Each item carries the `version` a signature now binds to.'
				}
			),
			get('/participants/{id}/casebook', "A participant's unsigned records", '{ items, more }', {
				description:
					'Exactly what a casebook signing would sign, oldest first; `upTo` (YYYY-MM-DD, UTC) ' +
					'limits it to records up to that day.'
			}),
			post('/signatures', 'Sign one or many records in one act', '{ signatures: [...] }', {
				body: b.signMany,
				creates: true,
				description:
					'Investigators. Send `userId` and `password` (an API token is no continuous ' +
					'session: both components every time), the `meaning`, and the records with the ' +
					'`version` you reviewed: a record changed since refuses the whole act (409).'
			})
		]),
		...tagged('Monitoring', [
			get('/queries', 'Data queries at your sites, open first', '{ queries: [...] }', {
				query: queryListQuery,
				description: 'Each query with its steps (who, role, UTC time, text, the value then).'
			}),
			post('/queries', 'Raise a query on a field (monitors)', 'The query.', {
				body: b.raiseQuery,
				creates: true
			}),
			...(['answer', 'close', 'reopen', 'cancel'] as const).map((step) =>
				post(`/queries/{id}/${step}`, QUERY_STEP_SUMMARY[step], 'The query.', {
					body: b.queryStep,
					description: 'A step from the wrong status answers 409.'
				})
			),
			post(
				'/source-verifications',
				'Mark a field (or every outstanding one) verified',
				'Its SDV.',
				{
					body: b.verifySource,
					creates: true,
					description:
						'Monitors, at their sites. With `field`, that field; without, every field the ' +
						"protocol's `monitoring.sdv.fields` lists for the record that does not stand verified " +
						"(409 when none is left). Answers the record with each field's status."
				}
			),
			get('/sdv-progress', 'SDV progress per site and participant', '{ progress: [...], next }', {
				query: sdvProgressQuery,
				description:
					'Counted in fields: `required`, `verified` and `changed` (since verified) are ' +
					'fields of the records the protocol asks to verify; `records` and ' +
					'`recordsVerified` count those records and the ones with every field verified. ' +
					'Each site (`participantId` null) comes before its participants (by subject ' +
					'code), sites in code order. Paged: `limit` (default 100, at most 1000) rows a ' +
					"page; the answer's `next` is the cursor of the following page (send it back " +
					'as `cursor`), null on the last.'
			}),
			post('/participants/{id}/freeze', 'Freeze a casebook (investigators, admins)', 'State.', {
				body: b.optionalReason
			}),
			post('/participants/{id}/unfreeze', 'Unfreeze, with a reason', 'State.', {
				body: b.reason
			}),
			post('/studies/{id}/lock', 'Lock the study for analysis (admins)', 'State.', {
				body: b.optionalReason,
				description: 'Read-only for everyone through every door until unlocked.'
			}),
			post('/studies/{id}/unlock', 'Ask to unlock, with a reason (admins)', 'The request.', {
				body: b.reason,
				creates: true,
				description:
					'Nothing is unlocked yet: another administrator approves or declines. One request ' +
					'waits at a time (409 for a second).'
			}),
			post('/studies/{id}/unlock/approve', "Approve another admin's unlock request", 'State.', {
				body: b.unlockApproval,
				description:
					"Lifts the lock with the request's reason and voids the study's signatures, each " +
					'audited. The administrator who asked may not approve (403); none waiting, 409.'
			}),
			post('/studies/{id}/unlock/decline', 'Decline (or withdraw) an unlock request', 'State.', {
				body: b.reason,
				description: 'The lock stands; the reason is audited.'
			})
		]),
		...tagged('Trial design', [
			get('/participants/{id}/blinding-guesses', 'Blinding guesses', '{ guesses: [...] }', {
				description: NOTES.blinding
			}),
			post('/participants/{id}/blinding-guesses', 'Record a blinding guess', 'The guess.', {
				body: b.blindingGuess,
				creates: true,
				description: NOTES.blinding
			}),
			eie('/blinding-guesses', 'blinding guess'),
			get('/studies/{id}/consent-form-versions', 'Consent form versions', '{ versions: [...] }'),
			post('/studies/{id}/consent-form-versions', 'Add an approved version (admins)', 'It.', {
				body: b.consentFormVersion,
				creates: true,
				description:
					'`approvedOn` and `activeFrom` are YYYY-MM-DD; a version is not used before its ' +
					'approval. With `reconsentRequired`, participants on study must consent again.'
			}),
			get(
				'/studies/{id}/reconsent',
				'Participants on study who must consent again',
				'{ participants: [...] }'
			),
			get(
				'/participants/{id}/consents',
				"A participant's consent: versions, records, validity now",
				'{ tracked, valid, reason, message, requiredVersionId, versions, records }',
				{ description: NOTES.consent }
			),
			post('/participants/{id}/consents', 'Record signed consent', 'The consent record.', {
				body: b.consentRecord,
				creates: true,
				description: NOTES.consent
			}),
			post('/consents/{id}/withdrawal', 'Record a withdrawal of consent', 'The record.', {
				body: b.consentWithdrawal,
				description: '`withdrawnAt` is a site-local date-time; `scope` says what was withdrawn.'
			}),
			get(
				'/participants/{id}/randomisation',
				'Kit, stratum and emergency unblinding, never the arm',
				'{ randomised, kit, stratum, randomisedAt, unblindedAt, unblindedByName, unblindReason }'
			),
			post('/participants/{id}/randomisation', 'Randomise (once)', 'The randomisation.', {
				creates: true,
				description: NOTES.randomisation
			}),
			get(
				'/participants/{id}/concomitant-medications',
				'Medications, with the interaction rules each falls under',
				'{ medications: [...] }',
				{ query: includeEnteredInErrorQuery, description: NOTES.conmed }
			),
			post('/participants/{id}/concomitant-medications', 'Record a medication', 'The medication.', {
				body: b.conmed,
				creates: true,
				description: NOTES.conmed
			}),
			get('/concomitant-medications/{id}', 'One medication', 'The medication.'),
			patch('/concomitant-medications/{id}', 'Correct a medication', 'The medication.', {
				body: b.conmed,
				description: `${NOTES.correction} ${NOTES.conmed}`
			}),
			eie('/concomitant-medications', 'medication'),
			get(
				'/participants/{id}/epro-links',
				'Self-report links issued for a participant (never their tokens)',
				'{ links: [{ id, instrument, mode, issuedAt, expiresAt, usedAt, administrationId }] }'
			),
			post(
				'/participants/{id}/epro-links',
				'Issue a one-time self-report link (coordinators)',
				'{ id, token, instrument, mode, expiresAt, path, apiPath }',
				{ body: b.eproLink, creates: true, description: NOTES.epro }
			),
			post(
				'/epro-links/{id}/revocation',
				'Revoke an unused self-report link',
				'The link, now expired.',
				{ description: 'It then answers 410 to the participant. A used link answers 409.' }
			),
			get(
				'/participants/{id}/self-reports',
				"A participant's answered self-reports with their scores",
				'{ selfReports: [{ link, administration }] }',
				{
					description:
						'Read-only: the answers are the participant’s. A wrong one is marked entered in ' +
						'error (POST /scales/{id}/entered-in-error); a correction answers 409.'
				}
			),
			get(
				'/epro/{token}',
				'The self-report a link is for (the participant; the token is the credential)',
				'{ instrument, name, instructions, recallDays, items: [...], expiresAt }',
				{ public: true, description: NOTES.eproParticipant }
			),
			post('/epro/{token}', 'Submit the participant’s answers (once)', '{ received: true }', {
				public: true,
				body: b.eproAnswers,
				creates: true,
				description: NOTES.eproParticipant
			}),
			get(
				'/studies/{id}/blinding-integrity',
				"Pooled guesses, James' index; Bang's per arm when you may know arms",
				'{ armsVisible, arms, rows: [...], excluded, minimumForBlinded, method }',
				{ description: NOTES.blindingIntegrity }
			),
			get(
				'/studies/{id}/allocation',
				'Kits and arms of randomised participants (unblinded roles; everyone after lock)',
				'{ allocation: [...] }',
				{
					description:
						'The pharmacist at their sites; every reading role at theirs once the study is ' +
						'locked; 403 for a blinded role before lock. Each read is audited.'
				}
			)
		]),
		...tagged('Exports', [
			get('/exports/sdtm/{domain}', 'An SDTM domain as CSV', 'text/csv, streamed.', {
				query: exportFiltersInput,
				description:
					NOTES.exports +
					' `domain` is tv, dm, sv, ds, ex, cm, ae, dv, vs or qs, or the supplemental ' +
					'qualifiers suppdm … suppqs (the rest of any text over 200 bytes).'
			}),
			get(
				'/exports/xpt/{domain}',
				'An SDTM domain as a SAS XPORT v5 transport file',
				'application/x-sas-xport, streamed once the rows are read (character lengths are the ' +
					'longest values).',
				{
					query: exportFiltersInput,
					description:
						NOTES.exports +
						' `domain` is tv, dm, sv, ds, ex, cm, ae, dv, vs or qs, or suppdm … suppqs; ' +
						'values as the CSV.'
				}
			),
			get('/exports/define', 'define.xml (Define-XML 2.1) for the SDTM datasets', 'XML.', {
				query: exportFiltersInput,
				description:
					NOTES.exports +
					' Every dataset, variable (with the lengths the data have), codelist and derivation ' +
					'of the SDTM files with the same filters; one study (`studyId` when there are several).'
			}),
			get('/exports/odm', 'The audited history as CDISC ODM 1.3.2', 'XML, streamed.', {
				query: exportFiltersInput,
				description: NOTES.exports + ' `from`/`to` select changes made in those days.'
			})
		]),
		...tagged('Audit trail', [
			get('/audit', 'The audit trail, filtered, newest first', '{ events: [...], nextBefore }', {
				query: auditTrailQuery,
				description:
					'Admins read every event; auditors the events of their sites. Up to `limit` (100, at ' +
					'most 500) events a page; pass `nextBefore` as `before` for the next. Each event ' +
					'carries its `prevHash` and `hash`.'
			})
		])
	];
}
