// What the ODM file holds, form by form: each form's item group and items (OID, data type, unit,
// plausibility range), and which key of an audit entry's values fills which item.
import { PLAUSIBILITY_LIMITS } from '../../../domain/vitals';
import { scaleIds, type ScaleId } from '../../../domain/scales';
import { SCALE_LABELS } from '../../../domain/scales';
import { scaleItems } from '../sdtm/qs-items';
import { LEGACY_PAYLOAD_KEYS } from '../../audit/payloads';

export type DataType = 'text' | 'integer' | 'float' | 'date' | 'datetime';

/** Units (ODM 1.3.2 §3.1.3 MeasurementUnit), named as CDISC CT VSRESU / UNIT. */
export const UNITS = {
	'MU.MMHG': 'mmHg',
	'MU.BPM': 'beats/min',
	'MU.C': 'C',
	'MU.MG': 'mg'
} as const;
export type UnitOid = keyof typeof UNITS;

export interface ItemSpec {
	oid: string;
	name: string;
	dataType: DataType;
	/** SDTM variable the item feeds (SDSVarName: at most 8 characters). */
	sds?: string;
	unit?: UnitOid;
	/** Hard plausibility limits, as RangeCheck GE/LE. */
	range?: { min: number; max: number };
}

export interface FormSpec {
	form: string;
	group: string;
	name: string;
	/** Payload key (audit/payloads.ts; nested as `criteria.death`; legacy keys too) → item. */
	items: Record<string, ItemSpec>;
}

const item = (oid: string, name: string, dataType: DataType, more: Partial<ItemSpec> = {}) => ({
	oid,
	name,
	dataType,
	...more
});

const DM_ITEMS = {
	subjectCode: item('IT.DM.SUBJID', 'Subject code', 'text', { sds: 'SUBJID' }),
	status: item('IT.DM.STATUS', 'Participant status', 'text'),
	sex: item('IT.DM.SEX', 'Sex', 'text', { sds: 'SEX' }),
	birthYear: item('IT.DM.BRTHYR', 'Year of birth', 'integer', { sds: 'BRTHDTC' }),
	doseGroup: item('IT.DM.ARM', 'Dose group', 'text', { sds: 'ARM' }),
	enrolledOn: item('IT.DM.ENRLDT', 'Enrolled on', 'date', { sds: 'RFICDTC' })
};

const EX_ITEMS = {
	visit: item('IT.EX.VISIT', 'Visit code', 'text', { sds: 'VISIT' }),
	t0: item('IT.EX.T0', 'T0 (initial dose)', 'datetime', { sds: 'EXSTDTC' }),
	initialDoseMg: item('IT.EX.DOSE', 'Initial dose', 'float', { unit: 'MU.MG', sds: 'EXDOSE' }),
	supplementalDoseMg: item('IT.EX.SUPPDOSE', 'Supplemental dose', 'float', { unit: 'MU.MG' }),
	supplementalAt: item('IT.EX.SUPPDTC', 'Supplemental dose time', 'datetime'),
	supplementalNotGivenReason: item('IT.EX.SUPPNG', 'Supplemental dose not given', 'text'),
	supplementalOverrideReason: item('IT.EX.OVERRIDE', 'Supplemental gate override', 'text'),
	endedAt: item('IT.EX.ENDDTC', 'Session end', 'datetime', { sds: 'EXENDTC' })
};

const L = PLAUSIBILITY_LIMITS; // DOMAIN.md §1 plausibility: hard limits
const VS_ITEMS = {
	timepoint: item('IT.VS.VSTPT', 'Timepoint', 'text', { sds: 'VSTPT' }),
	measuredAt: item('IT.VS.VSDTC', 'Taken at', 'datetime', { sds: 'VSDTC' }),
	systolic: item('IT.VS.SYSBP', 'Systolic blood pressure', 'integer', {
		unit: 'MU.MMHG',
		range: L.systolic
	}),
	diastolic: item('IT.VS.DIABP', 'Diastolic blood pressure', 'integer', {
		unit: 'MU.MMHG',
		range: L.diastolic
	}),
	heartRate: item('IT.VS.PULSE', 'Pulse rate', 'integer', { unit: 'MU.BPM', range: L.heartRate }),
	temperatureC: item('IT.VS.TEMP', 'Temperature', 'float', { unit: 'MU.C', range: L.temperature }),
	temperatureValue: item('IT.VS.TEMPVAL', 'Temperature as entered', 'float', { sds: 'VSORRES' }),
	temperatureUnit: item('IT.VS.TEMPUNIT', 'Temperature unit as entered', 'text', {
		sds: 'VSORRESU'
	}),
	// Legacy (LEGACY_PAYLOAD_KEYS): before the value and unit were stored apart, one text ("100.4 F").
	temperature_entered: item('IT.VS.TEMPENT', 'Temperature as entered (value and unit)', 'text'),
	position: item('IT.VS.VSPOS', 'Position', 'text', { sds: 'VSPOS' }),
	source: item('IT.VS.SOURCE', 'Source (entry or monitor)', 'text'),
	// A reading recorded as not done (SDTM VSSTAT/VSREASND): its planned time, status and reason.
	plannedAt: item('IT.VS.PLANNED', 'Planned time', 'datetime'),
	status: item('IT.VS.VSSTAT', 'Completion status', 'text', { sds: 'VSSTAT' }),
	/** Not a payload key: the not-done entry's own reason (transactions.ts valuesOf). */
	reasonNotDone: item('IT.VS.VSREASND', 'Reason not done', 'text', { sds: 'VSREASND' })
};

const flag = (code: string, name: string) => item(`IT.AE.${code}`, name, 'text', { sds: code });
const AE_ITEMS = {
	verbatimTerm: item('IT.AE.AETERM', 'Verbatim term', 'text', { sds: 'AETERM' }),
	codedTermCode: item('IT.AE.AEDECOD', 'Coded term', 'text', { sds: 'AEDECOD' }),
	onsetAt: item('IT.AE.AESTDTC', 'Onset', 'datetime', { sds: 'AESTDTC' }),
	endAt: item('IT.AE.AEENDTC', 'End', 'datetime', { sds: 'AEENDTC' }),
	awareAt: item('IT.AE.AWARE', 'Site aware', 'datetime'),
	severityScale: item('IT.AE.SEVSCALE', 'Severity scale', 'text'),
	severity: item('IT.AE.AESEV', 'Severity', 'text', { sds: 'AESEV' }),
	serious: flag('AESER', 'Serious'),
	'criteria.death': flag('AESDTH', 'Results in death'),
	'criteria.lifeThreatening': flag('AESLIFE', 'Is life-threatening'),
	'criteria.hospitalisation': flag('AESHOSP', 'Requires or prolongs hospitalisation'),
	'criteria.disability': flag('AESDISAB', 'Persistent or significant disability'),
	'criteria.congenitalAnomaly': flag('AESCONG', 'Congenital anomaly'),
	'criteria.importantMedicalEvent': flag('AESMIE', 'Important medical event'),
	relatedness: item('IT.AE.AEREL', 'Relatedness', 'text', { sds: 'AEREL' }),
	expectedness: item('IT.AE.EXPECT', 'Expectedness', 'text'),
	actionTaken: item('IT.AE.AEACN', 'Action taken', 'text', { sds: 'AEACN' }),
	outcome: item('IT.AE.AEOUT', 'Outcome', 'text', { sds: 'AEOUT' }),
	dosingSessionId: item('IT.AE.SESSION', 'Dosing session (record id)', 'integer'),
	notes: item('IT.AE.NOTES', 'Notes', 'text')
};

/** A visit (SDTM SV): its planned date, whether it took place, when, or why not. */
const SV_ITEMS = {
	planned: item('IT.SV.PLANNED', 'Planned date', 'date'),
	status: item('IT.SV.STATUS', 'Visit status (scheduled, completed, missed)', 'text'),
	actualOn: item('IT.SV.SVSTDTC', 'Date of visit', 'date', { sds: 'SVSTDTC' }),
	missedReason: item('IT.SV.SVREASOC', 'Reason the visit was missed', 'text', { sds: 'SVREASOC' })
};

/**
 * A form's items answering to the keys older trails wrote as well (LEGACY_PAYLOAD_KEYS): each
 * legacy key fills the item of the key that replaced it. Added after the form's own keys, so
 * the items keep their order in the file's metadata.
 */
function withLegacyKeys(
	items: Record<string, ItemSpec>,
	legacy: Record<string, string | null>
): Record<string, ItemSpec> {
	const out = { ...items };
	for (const [old, current] of Object.entries(legacy)) {
		if (current !== null && items[current]) out[old] = items[current];
	}
	return out;
}

function scaleForm(id: ScaleId): FormSpec {
	const items: Record<string, ItemSpec> = {
		administeredAt: item(`IT.${id}.QSDTC`, 'Administered at', 'datetime', { sds: 'QSDTC' }),
		visit: item(`IT.${id}.VISIT`, 'Visit code', 'text', { sds: 'VISIT' })
	};
	for (const i of scaleItems(id)) {
		items[`answers.${i.key}`] = item(`IT.QS.${i.testCode}`, i.label, i.dataType, {
			sds: 'QSORRES',
			...(i.range ? { range: i.range } : {})
		});
	}
	if (id !== 'CSSRS') {
		items.complete = item(`IT.${id}.COMPLETE`, 'Complete', 'text');
		items.total = item(`IT.${id}.TOTAL`, 'Total score', 'integer', { sds: 'QSSTRESN' });
		items.band = item(`IT.${id}.BAND`, 'Severity band', 'text');
	}
	return { form: `F.${id}`, group: `IG.${id}`, name: SCALE_LABELS[id], items };
}

export const FORMS = {
	participant: { form: 'F.DM', group: 'IG.DM', name: 'Demographics', items: DM_ITEMS },
	visit: {
		form: 'F.SV',
		group: 'IG.SV',
		name: 'Visit',
		items: withLegacyKeys(SV_ITEMS, LEGACY_PAYLOAD_KEYS.visit)
	},
	dosingSession: {
		form: 'F.EX',
		group: 'IG.EX',
		name: 'Dosing session',
		items: withLegacyKeys(EX_ITEMS, LEGACY_PAYLOAD_KEYS.dosing_session)
	},
	vitals: {
		form: 'F.VS',
		group: 'IG.VS',
		name: 'Vital signs',
		items: withLegacyKeys(VS_ITEMS, LEGACY_PAYLOAD_KEYS.vital_reading)
	},
	adverseEvent: { form: 'F.AE', group: 'IG.AE', name: 'Adverse event', items: AE_ITEMS }
} satisfies Record<string, FormSpec>;

export const SCALE_FORMS = new Map<ScaleId, FormSpec>(scaleIds.map((id) => [id, scaleForm(id)]));

/** Every distinct item of a form (one item may answer to two keys). */
export function itemsOf(form: FormSpec): ItemSpec[] {
	return [...new Map(Object.values(form.items).map((i) => [i.oid, i])).values()];
}
