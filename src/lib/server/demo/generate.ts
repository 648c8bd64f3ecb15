// Realistic synthetic data for the demo study, written through the same services a coordinator
// uses (so every record is validated and audited as theirs). Deterministic: the same participants,
// seed and `today` give the same records. Participants enrol over the past ~14 months; the whole
// study is replayed in one time order up to `today`, holding only the enrolled participants'
// small states in memory.
import { addDays } from '../../domain/protocol';
import type { Db } from '../db';
import { ValidationError } from '../runtime/errors';
import { runInTimeOrder } from './agenda';
import { emptySummary, type DemoEnv, type DemoSummary } from './env';
import { participantRunners } from './participant';
import type { Enrolment } from './profile';
import { loadDemoStudy } from './setup';

export type { DemoSummary } from './env';
export { DemoUnavailableError } from './setup';

export interface DemoDataOptions {
	participants: number;
	seed: number;
	/** The simulated present (default: now). Nothing after it is written. */
	today?: Date;
	/** Participants enrolled so far, of the total; (total, total) once everything is written. */
	onProgress?: (done: number, total: number) => void;
}

/**
 * Subject numbers run to MAX_PER_SITE (9999) a site: NN-001 … NN-9999 (participant schema). With
 * ~55 % at the first site, 16 000 participants stay well inside that (8 800 ± 63 there).
 */
export const MAX_DEMO_PARTICIPANTS = 16_000;

/**
 * Enrolment spreads over the 16 months before `today`, ending 3 days before it. The demo brief
 * asks for ~14 months with some participants through follow-up; the last follow-up comes ~14.5
 * months after enrolment in the demo protocol (SCR → BL 21 d → DS1 +28 → DS2 +28 → FU12M +365),
 * so the first ~6 weeks of enrolment are the ones who have finished.
 */
const ENROLMENT_DAYS = 487;

function checkOptions(o: DemoDataOptions): void {
	const errors: Record<string, string[]> = {};
	if (!Number.isInteger(o.participants) || o.participants < 1) {
		errors.participants = ['Give a whole number of participants, at least 1.'];
	} else if (o.participants > MAX_DEMO_PARTICIPANTS) {
		errors.participants = [
			`At most ${MAX_DEMO_PARTICIPANTS} participants fit the two demo sites' subject codes.`
		];
	}
	if (!Number.isSafeInteger(o.seed)) errors.seed = ['The seed must be a whole number.'];
	if (o.today && Number.isNaN(o.today.getTime())) errors.today = ['Give a real date and time.'];
	if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

/** Fills the demo study with `participants` synthetic participants; returns what was written. */
export async function generateDemoData(db: Db, options: DemoDataOptions): Promise<DemoSummary> {
	checkOptions(options);
	const now = (options.today ?? new Date()).getTime();
	const { studyId, protocol, sites } = await loadDemoStudy(db, now);
	const total = options.participants;
	let enrolled = 0;
	const env: DemoEnv = {
		db,
		studyId,
		protocol,
		sites,
		now,
		nextNumber: new Map(),
		summary: emptySummary(),
		onEnrolled: () => {
			enrolled += 1;
			options.onProgress?.(Math.min(enrolled, total - 1), total);
		}
	};
	const enrolment: Enrolment = {
		firstDay: addDays(new Date(now).toISOString().slice(0, 10), -ENROLMENT_DAYS - 2),
		spanDays: ENROLMENT_DAYS,
		total,
		siteCodes: [...sites.keys()],
		visitCount: protocol.visits.length
	};
	await runInTimeOrder(participantRunners(env, options.seed, enrolment));
	options.onProgress?.(total, total);
	return env.summary;
}
