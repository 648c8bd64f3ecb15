// What a door (page, API, export) sees of an administration: camelCase, the score as it was saved,
// and whether the protocol gives this instrument at the visit.
import type { Protocol } from '../../../domain/protocol';
import {
	cssrs,
	numericInstruments,
	type AdministrationScore,
	type CssrsScore,
	type ItemAnswer,
	type ScaleId,
	type ScaleScore
} from '../../../domain/scales';
import { SCALE_LABELS } from '../../../domain/scales';
import type { ScaleAdministrationRow } from '../../repositories/scales';

export function scaleName(id: ScaleId): string {
	return id === 'CSSRS' ? cssrs.name : numericInstruments[id].name;
}

export interface CssrsSummary {
	summary: CssrsScore['summary'];
	ideation: boolean;
	maxIdeationType: number;
	behaviour: boolean;
	behaviours: string[];
	selfInjury: boolean;
	intensityTotal: number | null;
	/** The most severe category present, e.g. "Active, with plan and intent". */
	mostSevere: string | null;
}

export interface ScaleAdministrationView {
	id: number;
	participantId: number;
	siteId: number;
	visitId: number | null;
	visitCode: string | null;
	visitLabel: string | null;
	instrument: ScaleId;
	instrumentLabel: string;
	instrumentName: string;
	/** ISO 8601, UTC. */
	administeredAt: string;
	answers: Record<string, ItemAnswer>;
	complete: boolean;
	total: number | null;
	band: string | null;
	/** Item keys still unanswered, in form order. */
	missingItems: string[];
	/** QIDS-SR16's nine domains; null for the other instruments. */
	domains: Array<{ key: string; label: string; score: number | null }> | null;
	suicidalityItemScore: number | null;
	cssrs: CssrsSummary | null;
	/** Given outside a visit, or at a visit where the protocol does not list this instrument. */
	notScheduled: boolean;
	enteredInError: { at: string; reason: string | null } | null;
	version: number;
	createdAt: string;
	updatedAt: string | null;
}

function cssrsSummaryOf(score: CssrsScore): CssrsSummary {
	return {
		summary: score.summary,
		ideation: score.ideation,
		maxIdeationType: score.maxIdeationType,
		behaviour: score.behaviour,
		behaviours: [...score.behaviours],
		selfInjury: score.selfInjury,
		intensityTotal: score.intensityTotal,
		mostSevere: score.category?.label ?? null
	};
}

/** Whether the protocol gives `instrument` at the visit with this code. */
export function scheduledAt(protocol: Protocol, visitCode: string | null, instrument: string) {
	if (visitCode === null) return false;
	const visit = protocol.visits.find((v) => v.code === visitCode);
	return visit?.scales.some((s) => s === instrument) ?? false;
}

export function toView(row: ScaleAdministrationRow, protocol: Protocol): ScaleAdministrationView {
	const instrument = row.instrument as ScaleId;
	// The stored result is the score as saved; reading it back keeps the record as it was signed.
	const score = JSON.parse(row.result) as AdministrationScore;
	const numeric = score.instrument === 'CSSRS' ? null : (score as ScaleScore);
	return {
		id: row.id,
		participantId: row.participant_id,
		siteId: row.site_id,
		visitId: row.visit_id,
		visitCode: row.visit_code,
		visitLabel: row.visit_label,
		instrument,
		instrumentLabel: SCALE_LABELS[instrument],
		instrumentName: scaleName(instrument),
		administeredAt: row.administered_at,
		answers: JSON.parse(row.answers) as Record<string, ItemAnswer>,
		complete: row.complete === 1,
		total: row.total,
		band: row.band,
		missingItems: score.missingItems.map(String),
		domains: numeric?.domains?.map((d) => ({ key: d.key, label: d.label, score: d.score })) ?? null,
		suicidalityItemScore: numeric?.suicidalityItemScore ?? null,
		cssrs: score.instrument === 'CSSRS' ? cssrsSummaryOf(score as CssrsScore) : null,
		notScheduled: !scheduledAt(protocol, row.visit_code, instrument),
		enteredInError: row.entered_in_error_at
			? { at: row.entered_in_error_at, reason: row.entered_in_error_reason }
			: null,
		version: row.version,
		createdAt: row.created_at,
		updatedAt: row.updated_at
	};
}
