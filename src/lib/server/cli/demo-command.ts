// `demo --participants N --seed S`: fills the demo study with synthetic participants through the
// same services a coordinator uses. A door to generateDemoData; the lead adds it to COMMANDS.
import { generateDemoData, type DemoSummary } from '../demo/generate';
import { reportPastSeriousEvents, reviewPastDemoFlags } from '../demo/review';
import { seedDemoMonitoring } from '../demo/monitoring';
import { ValidationError } from '../runtime/errors';
import type { Command } from './commands';
import type { CliIo } from './io';

/** The largest N the command accepts; the generator may set a lower limit of its own. */
const MAX_PARTICIPANTS = 100_000;

function parseArgs(v: Record<string, string | boolean | undefined>) {
	const errors: Record<string, string[]> = {};
	const n = String(v.participants ?? '').trim();
	const s = String(v.seed ?? '').trim();
	const participants = Number(n);
	const seed = Number(s);
	if (!/^\d+$/.test(n) || participants < 1 || participants > MAX_PARTICIPANTS) {
		errors.participants = [`Give a whole number from 1 to ${MAX_PARTICIPANTS}.`];
	}
	if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(seed)) {
		errors.seed = ['Give a whole number, such as 42.'];
	}
	let today: Date | undefined;
	if (typeof v.today === 'string') {
		today = new Date(v.today);
		if (Number.isNaN(today.getTime())) {
			errors.today = ['Give a date or an ISO date-time, such as 2026-11-20T12:00:00Z.'];
		}
	}
	if (Object.keys(errors).length > 0) throw new ValidationError(errors);
	return { participants, seed, today };
}

/** A progress line at every 5 % step, each step printed once. */
function progressPrinter(io: CliIo): (done: number, total: number) => void {
	let printed = -1;
	return (done, total) => {
		const step = Math.floor((done / total) * 20);
		if (step <= printed) return;
		printed = step;
		io.out(`  ${String(step * 5).padStart(3)} %  ${done} of ${total} participants enrolled`);
	};
}

function report(io: CliIo, s: DemoSummary, seconds: number): void {
	io.out(
		`Demo data written in ${seconds.toFixed(1)} s: ${s.participants} participants ` +
			`(${s.completed} completed, ${s.withdrawn} withdrawn), ${s.visitsCompleted} visits done, ` +
			`${s.visitsMissed} missed.`
	);
	io.out(
		`${s.dosingSessions} dosing sessions with ${s.vitalReadings} readings ` +
			`(${s.unscheduledReadings} rechecks, ${s.systolicAtAction} with systolic at the action level); ` +
			`supplemental dose not given in ${s.supplementalNotGiven}.`
	);
	io.out(
		`${s.adverseEvents} adverse events (${s.seriousAdverseEvents} serious); ` +
			`${s.scaleAdministrations} rating-scale administrations.`
	);
}

export const demoCommand: Command = {
	name: 'demo',
	usage: 'demo --participants N --seed S [--today DATE]',
	summary:
		'Fill the demo study with N synthetic participants: visits, dosing sessions with vitals, ' +
		'adverse events and rating scales, entered as the demo coordinators. The same N, seed and ' +
		'date give the same data. Needs a database that started with the demo and has no ' +
		'participants yet.',
	options: {
		participants: {
			type: 'string',
			description: 'How many participants, 1–100000',
			required: true
		},
		seed: { type: 'string', description: 'Random seed, a whole number', required: true },
		today: { type: 'string', description: 'The simulated present (default: now)' }
	},
	async run(io, values) {
		const { participants, seed, today } = parseArgs(values);
		const { db } = await io.open();
		const started = Date.now();
		io.out(`Generating ${participants} participants with seed ${seed} …`);
		const summary = await generateDemoData(db, {
			participants,
			seed,
			today,
			onProgress: progressPrinter(io)
		});
		const reviewed = await reviewPastDemoFlags(db, today ?? new Date());
		await reportPastSeriousEvents(db, today ?? new Date());
		await seedDemoMonitoring(db, today ?? new Date());
		report(io, summary, (Date.now() - started) / 1000);
		io.out(`Flags raised more than two days ago were reviewed and closed: ${reviewed}.`);
		return 0;
	}
};
