// Protocol versions of a study: listed, checked, tried on past data (a dry run) and activated.
// Loading a version is loadProtocol in studies.ts; a version, once loaded, never changes.
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { requireRole } from '../../auth/access';
import type { ServiceContext } from '../../runtime/context';
import type { ProtocolVersion } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../../runtime/errors';
import * as repo from '../../repositories/protocol-versions';
import * as studiesRepo from '../../repositories/studies';
import { readsOf } from '../../reads/executor';
import { thresholdRows, type FlagComparison } from './protocol-comparison';
import { protocolOrThrow } from './protocol-text';
import { activeProtocol, parseStored } from './studies';
import type { Protocol } from '../../../domain/protocol';
import { rebuildCohortCells } from '../dashboards/cohort-cells';
import { rebuildRelapseOutcomes } from '../dashboards/relapse-outcomes';
import { sdvSettingsOf } from '../monitoring/sdv-status';
import { continueSdvRebuild, followSdvSettings } from '../monitoring/sdv-summary';

export { thresholdRows, type ThresholdRow } from './protocol-comparison';
export { validateProtocolText, type CheckedProtocol } from './protocol-text';

export interface ProtocolVersionView {
	id: number;
	studyId: number;
	version: string;
	loadedAt: string;
	loadedBy: string;
	active: boolean;
	activatedAt: string | null;
}

const view = (r: ProtocolVersion): ProtocolVersionView => ({
	id: r.id,
	studyId: r.study_id,
	version: r.version,
	loadedAt: r.loaded_at,
	loadedBy: r.loaded_by,
	active: r.is_active === 1,
	activatedAt: r.activated_at
});

/** The study's versions, oldest first (admins, investigators and auditors). */
export async function listProtocolVersions(
	ctx: ServiceContext,
	studyId: number
): Promise<ProtocolVersionView[]> {
	requireRole(ctx.actor, 'admin', 'investigator', 'auditor');
	if (!(await studiesRepo.findStudyById(ctx.db, studyId))) throw new NotFoundError('Study');
	return (await repo.listProtocolVersionsOfStudy(ctx.db, studyId)).map(view);
}

/** A version named by study code and version text (the CLI's way of naming one). */
export async function findProtocolVersionByName(
	ctx: ServiceContext,
	studyCode: string,
	version: string
): Promise<ProtocolVersionView> {
	requireRole(ctx.actor, 'admin', 'investigator', 'auditor');
	const study = await studiesRepo.findStudyByCode(ctx.db, studyCode);
	const row = study ? await studiesRepo.findProtocolVersion(ctx.db, study.id, version) : undefined;
	if (!row) throw new NotFoundError(`Version ${version} of study ${studyCode}`);
	return view(row);
}

function checkedDays(days: number): number {
	if (!Number.isInteger(days) || days < 1 || days > 3650) {
		throw new ValidationError({ days: ['Give a whole number of days from 1 to 3650.'] });
	}
	return days;
}

export interface DryRunResult extends FlagComparison {
	studyCode: string;
	activeVersion: string;
	candidateVersion: string;
	days: number;
	since: string;
	until: string;
	/** How much data the window held. */
	data: { sessions: number; readings: number; administrations: number; adverseEvents: number };
}

/**
 * Evaluates the active version's rules and the candidate's on the last `days` days of the
 * study's data (admin). Writes no flag; the look at clinical data is audited.
 */
export async function dryRunProtocol(
	ctx: ServiceContext,
	studyId: number,
	definition: unknown,
	{ days = 90 }: { days?: number } = {}
): Promise<DryRunResult> {
	requireRole(ctx.actor, 'admin');
	checkedDays(days);
	const candidate = protocolOrThrow(definition);
	const current = await activeProtocol(ctx.db, studyId);
	if (candidate.studyCode !== current.study.code) {
		throw new ValidationError({
			studyCode: [`This is a protocol of ${candidate.studyCode}, not of ${current.study.code}.`]
		});
	}
	// Every record of the window is read and evaluated twice: a read job, off the request thread.
	const until = ctx.now();
	const comparison = await readsOf(ctx).value('protocolDryRun', {
		studyId,
		days,
		until,
		active: current.protocol,
		candidate
	});
	const result: DryRunResult = {
		...comparison,
		studyCode: current.study.code,
		activeVersion: current.protocol.version,
		candidateVersion: candidate.version,
		days,
		until: until.toISOString()
	};
	await writeTransaction(ctx.db, (trx) =>
		appendAudit(trx, ctx, {
			action: 'protocol.dry_run',
			entityType: 'study',
			entityId: studyId,
			newValues: {
				activeVersion: result.activeVersion,
				candidateVersion: result.candidateVersion,
				days,
				totals: result.totals
			}
		})
	);
	return result;
}

/** A protocol as text without its version number and monitoring settings. */
const outsideMonitoring = (p: Protocol): string =>
	JSON.stringify({ ...p, version: undefined, monitoring: undefined });

/** Makes this version the study's active one (admin; a reason is required), audited old → new. */
export async function activateProtocolVersion(
	ctx: ServiceContext,
	protocolVersionId: number,
	opts: { reason: unknown; studyId?: number }
): Promise<ProtocolVersionView> {
	requireRole(ctx.actor, 'admin');
	const reason = typeof opts.reason === 'string' ? opts.reason.trim() : '';
	if (reason.length < 3) {
		throw new ValidationError({ reason: ['Give the reason for activating this version.'] });
	}
	const at = ctx.now().toISOString();
	let sdvRebuild = false;
	const activated = await writeTransaction(ctx.db, async (trx) => {
		const row = await repo.findProtocolVersionById(trx, protocolVersionId);
		if (!row || (opts.studyId !== undefined && row.study_id !== opts.studyId)) {
			throw new NotFoundError('Protocol version');
		}
		if (row.is_active === 1) throw new ConflictError(`Version ${row.version} is active already.`);
		protocolOrThrow(JSON.parse(row.definition));
		const study = await studiesRepo.findStudyById(trx, row.study_id);
		const previous = await studiesRepo.findActiveProtocol(trx, row.study_id);
		const before = previous ? parseStored(previous.id, previous.definition) : null;
		await studiesRepo.activateProtocolVersion(trx, row.study_id, row.id, at);
		// SDV progress follows the version's SDV settings (which records, which fields): its rows
		// are rebuilt after commit, a short transaction a window, so no save waits for all of it.
		sdvRebuild = await followSdvSettings(trx, row.study_id, before && sdvSettingsOf(before));
		// The cohort's response and remission counts and the relapse outcomes follow the active
		// version's definitions: rebuilt unless the version differs from the last only in its
		// number and its monitoring (an SDV amendment; 0.7–1.1 s of the writer at the trial tier).
		const after = parseStored(row.id, row.definition);
		if (!before || outsideMonitoring(before) !== outsideMonitoring(after)) {
			await rebuildCohortCells(trx, row.study_id);
			await rebuildRelapseOutcomes(trx, row.study_id);
		}
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.protocolActivated,
			entityType: 'protocol_version',
			entityId: row.id,
			oldValues: previous ? { version: previous.version, protocolVersionId: previous.id } : null,
			newValues: { study: study?.code ?? null, version: row.version, protocolVersionId: row.id },
			reason
		});
		return { study: row.study_id, view: view({ ...row, is_active: 1, activated_at: at }) };
	});
	if (sdvRebuild) await continueSdvRebuild(ctx.db, activated.study);
	return activated.view;
}

/** The active version and its vital-sign bands, for the admin page. */
export async function activeProtocolSummary(ctx: ServiceContext, studyId: number) {
	requireRole(ctx.actor, 'admin', 'investigator', 'auditor');
	const { protocol, protocolVersionId } = await activeProtocol(ctx.db, studyId);
	return {
		protocolVersionId,
		version: protocol.version,
		title: protocol.title,
		thresholds: thresholdRows(protocol)
	};
}
