// Participant self-report through a one-time link (DOMAIN-2.md §5): a coordinator issues a link
// for one self-report scale (sent to the participant, or opened on a site tablet in kiosk mode);
// only the SHA-256 of its token is stored; it expires and is used once. The participant answers
// without an account: the administration is stored as theirs (origin 'participant', their
// device's time and zone beside the server's receipt time), scored and flagged like a staff entry,
// audited as the participant's entry via the link. Staff cannot edit it (scale-corrections.ts).
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { z } from 'zod';
import {
	EPRO_INSTRUMENTS,
	eproForm,
	linkState,
	offeredInstruments,
	type EproForm,
	type EproInstrument
} from '../../../domain/epro';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import type { Db } from '../../db';
import type { EproLinkRow } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import * as repo from '../../repositories/epro';
import * as participantsRepo from '../../repositories/participants';
import * as scalesRepo from '../../repositories/scales';
import type { ServiceContext } from '../../runtime/context';
import { ConflictError, ServiceError, ValidationError } from '../../runtime/errors';
import { parseInput } from '../../runtime/validate';
import { readAdministration } from '../capture/scale-input';
import { scoreColumns, timeZoneOf } from '../capture/scale-rows';
import {
	getParticipant,
	getParticipantToWrite,
	participantForWrite
} from '../capture/participants';
import { activeProtocol } from '../protocol/studies';
import { evaluateScaleRecord } from '../safety/safety-records';
import { consentOf, requireValidConsent } from './consent';
import { keepSummaries } from '../dashboards/summaries';
import { keepRecordSdv } from '../monitoring/sdv-summary';
import { createdStamp } from '../capture/stamps';

export const EPRO_MODES = ['link', 'kiosk'] as const;

/** What a coordinator chooses when issuing a link (the page's form and the JSON API's body). */
export const eproLinkInput = z.object({
	instrument: z.enum(EPRO_INSTRUMENTS, { error: 'Choose a self-report scale.' }),
	mode: z.enum(EPRO_MODES, { error: 'Choose a link or the site tablet.' })
});

const hashOf = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

/** The self-report scales this participant's study can offer (PHQ-9, and any the site supplies). */
export async function eproInstrumentsFor(
	ctx: ServiceContext,
	participantId: number
): Promise<EproInstrument[]> {
	const p = await getParticipant(ctx, participantId);
	const { protocol } = await activeProtocol(ctx.db, p.study_id);
	return offeredInstruments(protocol.epro);
}

export interface IssuedLink {
	id: number;
	/** Shown once to the coordinator; Vigil keeps only its SHA-256. */
	token: string;
	instrument: EproInstrument;
	mode: (typeof EPRO_MODES)[number];
	expiresAt: string;
}

/** A coordinator at the participant's site issues a one-time link for one scale. Audited. */
export async function issueEproLink(
	ctx: ServiceContext,
	participantId: number,
	input: unknown
): Promise<IssuedLink> {
	const p = await getParticipantToWrite(ctx, participantId);
	const v = parseInput(eproLinkInput, input);
	const { protocol } = await activeProtocol(ctx.db, p.study_id);
	if (!eproForm(v.instrument, protocol.epro)) {
		throw new ValidationError({
			instrument: [
				'This scale’s wording is licensed: the site must supply it in the protocol file first.'
			]
		});
	}
	const now = ctx.now();
	const lifetimeMs =
		v.mode === 'kiosk'
			? protocol.epro.kioskValidMinutes * 60_000
			: protocol.epro.linkValidHours * 3_600_000;
	const expiresAt = new Date(now.getTime() + lifetimeMs).toISOString();
	const bytes = new Uint8Array(20); // 160 bits from the CSPRNG, as session tokens
	crypto.getRandomValues(bytes);
	const token = encodeBase32LowerCaseNoPadding(bytes);
	return writeTransaction(ctx.db, async (trx) => {
		const participant = await participantForWrite(ctx, trx, participantId);
		await requireValidConsent(trx, ctx, participant, {
			what: `${v.instrument} self-report link`,
			at: now.toISOString()
		});
		const row = await repo.insertLink(trx, {
			participant_id: participant.id,
			site_id: participant.site_id,
			instrument: v.instrument,
			token_hash: hashOf(token),
			mode: v.mode,
			...createdStamp(ctx, now.toISOString()),
			expires_at: expiresAt,
			used_at: null,
			scale_administration_id: null
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.eproLinkIssued,
			entityType: 'epro_link',
			entityId: row.id,
			siteId: row.site_id,
			newValues: { participantId, instrument: v.instrument, mode: v.mode, expiresAt }
		});
		return { id: row.id, token, instrument: v.instrument, mode: v.mode, expiresAt };
	});
}

export interface EproLinkView {
	id: number;
	instrument: string;
	mode: string;
	issuedAt: string;
	expiresAt: string;
	usedAt: string | null;
	administrationId: number | null;
}

/** The links issued for a participant, newest first (never their tokens, which Vigil lacks). */
export async function listEproLinks(
	ctx: ServiceContext,
	participantId: number
): Promise<EproLinkView[]> {
	await getParticipant(ctx, participantId);
	return (await repo.listLinksOfParticipant(ctx.db, participantId)).map(eproLinkView);
}

export function eproLinkView(l: EproLinkRow): EproLinkView {
	return {
		id: l.id,
		instrument: l.instrument,
		mode: l.mode,
		issuedAt: l.created_at,
		expiresAt: l.expires_at,
		usedAt: l.used_at,
		administrationId: l.scale_administration_id
	};
}

/** A link that cannot be used: 410 for used or expired, 404 for a token Vigil never issued. */
export class EproLinkRefused extends ServiceError {
	constructor(readonly state: 'unknown' | 'used' | 'expired') {
		super(
			state === 'unknown' ? 404 : 410,
			state === 'used'
				? 'This link has already been used. Thank you: your answers were received.'
				: state === 'expired'
					? 'This link has expired. Please ask the study team for a new one.'
					: 'This link is not valid. Please check it, or ask the study team for a new one.'
		);
	}
}

async function openLink(db: Db, token: unknown, now: Date): Promise<EproLinkRow> {
	const text = typeof token === 'string' && /^[a-z2-7]{16,64}$/.test(token) ? token : null;
	const link = text ? await repo.findLinkByHash(db, hashOf(text)) : undefined;
	if (!link) throw new EproLinkRefused('unknown');
	const state = linkState({ usedAt: link.used_at, expiresAt: link.expires_at }, now);
	if (state !== 'open') throw new EproLinkRefused(state);
	return link;
}

/** What the participant sees: the one scale, its wording and when the link stops working. */
export async function eproLinkForm(
	ctx: ServiceContext,
	token: unknown
): Promise<{ form: EproForm; expiresAt: string }> {
	const db = ctx.db;
	const link = await openLink(db, token, ctx.now());
	const participant = (await participantsRepo.findParticipant(db, link.participant_id))!;
	const { protocol } = await activeProtocol(db, participant.study_id);
	const form = eproForm(link.instrument as EproInstrument, protocol.epro);
	if (!form) throw new EproLinkRefused('unknown');
	return { form, expiresAt: link.expires_at };
}

const deviceInput = z.object({
	deviceTime: z.iso.datetime({ offset: true }).optional().catch(undefined),
	deviceZone: z.string().max(64).optional().catch(undefined)
});

/**
 * The participant's answers through the link, in one transaction: the link is marked used (once,
 * even if two submissions race), the administration stored as the participant's, scored, flagged
 * (PHQ-9 item 9) and audited with the participant as the actor.
 */
export async function submitEproLink(
	door: ServiceContext,
	token: unknown,
	input: { items: unknown; deviceTime?: unknown; deviceZone?: unknown }
): Promise<{ administrationId: number }> {
	// Whoever holds the link answers as the participant: the door's own actor plays no part.
	const db = door.db;
	const opts = { now: door.now(), requestId: door.requestId };
	const link = await openLink(db, token, opts.now);
	const participant = (await participantsRepo.findParticipant(db, link.participant_id))!;
	const ctx: ServiceContext = {
		db,
		requestId: opts.requestId,
		now: () => opts.now,
		actor: {
			kind: 'participant',
			participantId: participant.id,
			subjectCode: participant.subject_code,
			linkId: link.id
		}
	};
	const device = deviceInput.parse({ deviceTime: input.deviceTime, deviceZone: input.deviceZone });
	const entry = readAdministration(
		{ instrument: link.instrument, administeredAt: opts.now.toISOString(), items: input.items },
		await timeZoneOf(ctx, participant.site_id),
		opts.now
	);
	return writeTransaction(db, async (trx) => {
		if (participant.status === 'withdrawn' || participant.status === 'completed') {
			throw new ConflictError('This link can no longer be used. Please contact the study team.');
		}
		const consent = await consentOf(trx, participant, opts.now.toISOString());
		if (
			consent.versions.length > 0 &&
			!consent.validity.valid &&
			consent.validity.reason === 'withdrawn'
		) {
			throw new ConflictError('This link can no longer be used. Please contact the study team.');
		}
		const row = await scalesRepo.insertScaleAdministration(trx, {
			...scoreColumns(entry),
			participant_id: participant.id,
			site_id: participant.site_id,
			instrument: entry.instrument,
			origin: 'participant',
			device_time: device.deviceTime ?? null,
			device_zone: device.deviceZone ?? null,
			created_at: opts.now.toISOString(),
			created_by: null
		});
		await keepRecordSdv(trx, { type: 'scale_administration', id: row.id });
		await keepSummaries(trx, { kind: 'scales', participantId: participant.id });
		const usedAt = opts.now.toISOString();
		if (!(await repo.useLink(trx, link.id, usedAt, row.id))) {
			throw new EproLinkRefused('used');
		}
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.eproSubmitted,
			entityType: 'scale_administration',
			entityId: row.id,
			siteId: row.site_id,
			newValues: {
				participantId: participant.id,
				eproLinkId: link.id,
				linkUsedAt: usedAt,
				mode: link.mode,
				origin: 'participant',
				instrument: entry.instrument,
				administeredAt: entry.administeredAt,
				deviceTime: device.deviceTime ?? null,
				deviceZone: device.deviceZone ?? null,
				answers: entry.answers,
				complete: entry.score.complete,
				total: entry.score.total,
				band: entry.score.band?.label ?? null
			}
		});
		await evaluateScaleRecord(trx, ctx, row.id, `self-report ${row.id} submitted via link`);
		return { administrationId: row.id };
	});
}
