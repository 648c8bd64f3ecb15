// Informed consent (DOMAIN-2.md §3): form versions approved by the ethics committee, each
// participant's signed consent, the re-consent list, and the gate every study procedure passes.
import {
	consentValidity,
	type ConsentFormVersion,
	type ConsentRecord,
	type ConsentValidity
} from '../../../domain/consent';
import {
	consentFormVersionInput,
	consentRecordInput,
	consentWithdrawalInput
} from '../../../schemas/consent';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { requireRole } from '../../auth/access';
import type { Executor, Trx } from '../../db';
import type { ConsentFormVersionRow, ConsentRecordRow, Participant } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import * as repo from '../../repositories/consent';
import * as participantsRepo from '../../repositories/participants';
import * as sitesRepo from '../../repositories/sites';
import * as studiesRepo from '../../repositories/studies';
import type { ServiceContext } from '../../runtime/context';
import { ConflictError, NotFoundError, ValidationError } from '../../runtime/errors';
import { parseInput } from '../../runtime/validate';
import { requireReason, newRecordColumns } from '../capture/corrections';
import { createdStamp, updatedStamp } from '../capture/stamps';
import { assertClinicalWrite, clinicalReadScope } from '../people/clinical-access';
import {
	getParticipant,
	getParticipantToWrite,
	participantForWrite
} from '../capture/participants';
import { recordConsentDeviation } from './deviation-hook';
import { activeProtocol } from '../protocol/studies';
import { isInFuture, parseSiteDateTime } from '../../../domain/time';

/**
 * The instant a version comes into use at a site: the start of its "in use from" day in the site's
 * time zone. The row keeps the day (as UTC midnight); read as that instant, a version dated
 * tomorrow was "required" from 19:00 today in New York, and refused until 01:00 on its day in Oslo.
 */
export function activeFromAtSite(activeFrom: string, timeZone: string): string {
	const parsed = parseSiteDateTime(`${activeFrom.slice(0, 10)}T00:00`, timeZone);
	return parsed.ok ? parsed.instant.toISOString() : activeFrom;
}

export function toDomainVersion(v: ConsentFormVersionRow, timeZone: string): ConsentFormVersion {
	return {
		id: v.id,
		label: v.label,
		approvedOn: v.approved_on,
		activeFrom: activeFromAtSite(v.active_from, timeZone),
		reconsentRequired: v.reconsent_required === 1
	};
}

export function toDomainRecord(r: ConsentRecordRow): ConsentRecord {
	return {
		id: r.id,
		formVersionId: r.form_version_id,
		signedAt: r.signed_at,
		withdrawnAt: r.withdrawn_at,
		enteredInError: r.entered_in_error_at !== null
	};
}

/** A study id from a door that names one: "not found" when there is none. */
async function requireStudy(db: Executor, studyId: number): Promise<void> {
	if (!(await studiesRepo.findStudyById(db, studyId))) throw new NotFoundError('Study');
}

export async function listFormVersions(
	ctx: ServiceContext,
	studyId: number
): Promise<ConsentFormVersionRow[]> {
	clinicalReadScope(ctx.actor);
	await requireStudy(ctx.db, studyId);
	return repo.listFormVersions(ctx.db, studyId);
}

/** An admin records a form version the ethics committee approved. Audited; never edited. */
export async function addFormVersion(
	ctx: ServiceContext,
	studyId: number,
	input: unknown
): Promise<ConsentFormVersionRow> {
	requireRole(ctx.actor, 'admin');
	await requireStudy(ctx.db, studyId);
	const v = parseInput(consentFormVersionInput, input);
	if (v.activeFrom < v.approvedOn) {
		throw new ValidationError({ activeFrom: ['A version cannot be used before its approval.'] });
	}
	return writeTransaction(ctx.db, async (trx) => {
		if (await repo.findFormVersionByLabel(trx, studyId, v.label)) {
			throw new ConflictError('This version label exists.', {
				label: [`Version ${v.label} is already recorded.`]
			});
		}
		const row = await repo.insertFormVersion(trx, {
			study_id: studyId,
			label: v.label,
			language: v.language,
			approved_on: v.approvedOn,
			active_from: `${v.activeFrom}T00:00:00.000Z`,
			reconsent_required: v.reconsentRequired ? 1 : 0,
			summary: v.summary ?? null,
			...createdStamp(ctx)
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.consentFormVersionAdded,
			entityType: 'consent_form_version',
			entityId: row.id,
			newValues: {
				label: row.label,
				language: row.language,
				approvedOn: row.approved_on,
				activeFrom: row.active_from,
				reconsentRequired: v.reconsentRequired,
				summary: row.summary
			}
		});
		return row;
	});
}

export interface ParticipantConsent {
	versions: ConsentFormVersionRow[];
	records: ConsentRecordRow[];
	validity: ConsentValidity;
}

export async function consentOf(
	db: Executor,
	p: Participant,
	at: string
): Promise<ParticipantConsent> {
	const versions = await repo.listFormVersions(db, p.study_id);
	const records = await repo.listRecordsOfParticipant(db, p.id);
	const timeZone = (await sitesRepo.findSiteById(db, p.site_id))?.timezone ?? 'UTC';
	const validity = consentValidity(
		versions.map((v) => toDomainVersion(v, timeZone)),
		records.map(toDomainRecord),
		at
	);
	return { versions, records, validity };
}

export async function participantConsent(
	ctx: ServiceContext,
	participantId: number
): Promise<ParticipantConsent> {
	const p = await getParticipant(ctx, participantId);
	return consentOf(ctx.db, p, ctx.now().toISOString());
}

/** A coordinator records a signed consent (first consent or re-consent). */
export async function recordConsent(
	ctx: ServiceContext,
	participantId: number,
	input: unknown
): Promise<ConsentRecordRow> {
	// Who may write is settled before the input is read (a refused caller learns nothing of it).
	const p = await getParticipantToWrite(ctx, participantId);
	const site = (await sitesRepo.findSiteById(ctx.db, p.site_id))!;
	const v = parseInput(consentRecordInput(site.timezone), input);
	if (isInFuture(v.signedAt, ctx.now())) {
		throw new ValidationError({ signedAt: ['The signing time cannot be in the future.'] });
	}
	return writeTransaction(ctx.db, async (trx) => {
		const participant = await participantForWrite(ctx, trx, participantId);
		const version = await repo.findFormVersion(trx, v.formVersionId);
		if (!version || version.study_id !== participant.study_id) {
			throw new ValidationError({ formVersionId: ['Choose one of this study’s form versions.'] });
		}
		if (v.signedAt.toISOString() < activeFromAtSite(version.active_from, site.timezone)) {
			throw new ValidationError({
				signedAt: [
					`Version ${version.label} was not in use before ${version.active_from.slice(0, 10)}.`
				]
			});
		}
		const earlier = await repo.listRecordsOfParticipant(trx, participantId);
		const isReconsent = earlier.some((r) => r.entered_in_error_at === null);
		const reason = isReconsent
			? requireReason(v.reconsentReason, 'Give the reason for re-consent (e.g. new version 2.0).')
			: null;
		const row = await repo.insertRecord(trx, {
			participant_id: participantId,
			site_id: participant.site_id,
			form_version_id: version.id,
			signed_at: v.signedAt.toISOString(),
			signer: v.signer,
			lar_name: v.signer === 'lar' ? (v.larName ?? null) : null,
			lar_relation: v.signer === 'lar' ? (v.larRelation ?? null) : null,
			obtained_by_name: v.obtainedByName,
			witness_name: v.witnessName ?? null,
			copy_given_on: v.copyGivenOn ?? null,
			copy_medium: v.copyMedium ?? null,
			reconsent_reason: reason,
			withdrawn_at: null,
			withdrawal_scope: null,
			...newRecordColumns(ctx)
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.consentRecorded,
			entityType: 'consent_record',
			entityId: row.id,
			siteId: row.site_id,
			newValues: {
				participantId,
				formVersion: version.label,
				signedAt: row.signed_at,
				signer: row.signer,
				larName: row.lar_name,
				larRelation: row.lar_relation,
				obtainedBy: row.obtained_by_name,
				witness: row.witness_name,
				copyGivenOn: row.copy_given_on,
				copyMedium: row.copy_medium
			},
			reason
		});
		return row;
	});
}

/** One consent record, for a reader of its participant. */
export async function getConsentRecord(
	ctx: ServiceContext,
	recordId: number
): Promise<ConsentRecordRow> {
	const record = await repo.findRecord(ctx.db, recordId);
	if (!record) throw new NotFoundError('Consent record');
	await getParticipant(ctx, record.participant_id);
	return record;
}

export async function withdrawConsent(
	ctx: ServiceContext,
	recordId: number,
	input: unknown
): Promise<void> {
	const record = await repo.findRecord(ctx.db, recordId);
	if (!record) throw new NotFoundError('Consent record');
	assertClinicalWrite(ctx.actor, record.site_id, 'Consent record');
	const site = (await sitesRepo.findSiteById(ctx.db, record.site_id))!;
	const v = parseInput(consentWithdrawalInput(site.timezone), input);
	await writeTransaction(ctx.db, async (trx) => {
		await participantForWrite(ctx, trx, record.participant_id);
		if (record.withdrawn_at) throw new ConflictError('Consent was already withdrawn.');
		await repo.updateRecord(trx, recordId, {
			withdrawn_at: v.withdrawnAt.toISOString(),
			withdrawal_scope: v.scope,
			...updatedStamp(ctx)
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.consentWithdrawn,
			entityType: 'consent_record',
			entityId: recordId,
			siteId: record.site_id,
			oldValues: { withdrawnAt: null },
			newValues: { withdrawnAt: v.withdrawnAt.toISOString(), scope: v.scope },
			reason: v.scope
		});
	});
}

export interface ReconsentRow {
	participantId: number;
	subjectCode: string;
	siteId: number;
	currentVersion: string | null;
	requiredVersion: string;
}

/** Participants still on study whose consent predates the version that requires re-consent. */
export async function reconsentList(ctx: ServiceContext, studyId: number): Promise<ReconsentRow[]> {
	const scope = clinicalReadScope(ctx.actor);
	await requireStudy(ctx.db, studyId);
	const at = ctx.now().toISOString();
	const versions = await repo.listFormVersions(ctx.db, studyId);
	const participants = await participantsRepo.listParticipants(ctx.db, { siteIds: scope });
	const records = await repo.listRecordsOfStudy(ctx.db, studyId, scope);
	// Each site reads "in use from" as its own day.
	const zones = new Map((await sitesRepo.listSites(ctx.db, 'all')).map((s) => [s.id, s.timezone]));
	const out: ReconsentRow[] = [];
	for (const p of participants) {
		if (p.study_id !== studyId || p.status === 'withdrawn' || p.status === 'completed') continue;
		const own = records.filter((r) => r.participant_id === p.id);
		const timeZone = zones.get(p.site_id) ?? 'UTC';
		const domainVersions = versions.map((v) => toDomainVersion(v, timeZone));
		const validity = consentValidity(domainVersions, own.map(toDomainRecord), at);
		if (validity.valid || validity.reason !== 'reconsent-required') continue;
		const latest = own.filter((r) => !r.entered_in_error_at).at(-1);
		out.push({
			participantId: p.id,
			subjectCode: p.subject_code,
			siteId: p.site_id,
			currentVersion: versions.find((v) => v.id === latest?.form_version_id)?.label ?? null,
			requiredVersion: validity.required!.label
		});
	}
	return out;
}

export interface Procedure {
	/** In words: "dosing session at DS1", "MADRS", "visit BL". */
	what: string;
	/** When the procedure happens (ISO instant; for a visit day, the end of that day at the site). */
	at: string;
	visitId?: number;
	dosingSessionId?: number;
}

/**
 * The consent gate, inside the caller's write transaction: a procedure for a participant without
 * valid consent is refused, or, when the protocol says so, allowed with a recorded deviation.
 */
export async function requireValidConsent(
	trx: Trx,
	ctx: ServiceContext,
	p: Participant,
	procedure: Procedure
): Promise<void> {
	const { versions, validity } = await consentOf(trx, p, procedure.at);
	// A study tracks consent in Vigil once its first form version is recorded; before that the
	// gate has nothing to check against (README, "Consent").
	if (versions.length === 0 || validity.valid) return;
	const { protocol } = await activeProtocol(trx, p.study_id);
	if (protocol.consent.withoutValidConsent === 'refuse') {
		throw new ConflictError(`Not allowed: ${validity.message}`, { consent: [validity.message] });
	}
	await recordConsentDeviation(trx, ctx, p, procedure, validity.message);
}

/** The last minute of a site-local day, as an ISO instant (a visit recorded by its day). */
export async function endOfSiteDay(db: Executor, siteId: number, day: string): Promise<string> {
	const site = await sitesRepo.findSiteById(db, siteId);
	const parsed = parseSiteDateTime(`${day}T23:59`, site?.timezone ?? 'UTC');
	return parsed.ok ? parsed.instant.toISOString() : `${day}T23:59:59.999Z`;
}
