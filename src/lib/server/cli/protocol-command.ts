// `protocol load | dry-run | activate`: doors to the protocol-version services for the operator.
import { cliOperator } from '../runtime/config';
import { readFile } from 'node:fs/promises';
import type { ProtocolError } from '../../domain/protocol';
import { systemContext, type ServiceContext } from '../runtime/context';
import {
	activateProtocolVersion,
	dryRunProtocol,
	findProtocolVersionByName,
	listProtocolVersions,
	validateProtocolText,
	type CheckedProtocol,
	type DryRunResult
} from '../services/protocol/protocol-versions';
import { listStudies, loadProtocol } from '../services/protocol/studies';
import type { Command } from './commands';
import { UsageError, type CliIo } from './io';

const operator = cliOperator;

async function readProtocolFile(file: string | undefined): Promise<string> {
	if (!file) throw new UsageError('Name the protocol file (JSON).');
	try {
		return await readFile(file, 'utf8');
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code ?? String(e);
		throw new UsageError(`Cannot read ${file} (${code}).`);
	}
}

function printErrors(io: CliIo, errors: ProtocolError[]): number {
	io.err('The protocol has errors:');
	for (const e of errors) io.err(`  ${e.path || 'JSON'}: ${e.message}`);
	return 1;
}

/** The file, read and checked; null after printing its errors. */
async function checkedFile(io: CliIo, file: string | undefined) {
	const checked: CheckedProtocol = validateProtocolText(await readProtocolFile(file));
	if (!checked.ok) {
		printErrors(io, checked.errors);
		return null;
	}
	return checked;
}

async function studyIdOf(ctx: ServiceContext, code: string): Promise<number> {
	const study = (await listStudies(ctx)).find((s) => s.code === code);
	if (!study) throw new UsageError(`Study ${code} has no protocol loaded yet: use protocol load.`);
	return study.id;
}

function printDryRun(io: CliIo, r: DryRunResult): void {
	io.out(
		`${r.studyCode}: active ${r.activeVersion} against candidate ${r.candidateVersion}, last ${r.days} days`
	);
	io.out(
		`Data: ${r.data.sessions} dosing sessions, ${r.data.readings} readings, ${r.data.administrations} scale administrations, ${r.data.adverseEvents} adverse events`
	);
	const rows = r.rules.filter((x) => x.active > 0 || x.candidate > 0);
	io.out(`${'rule'.padEnd(48)} ${'active'.padStart(7)} ${'candidate'.padStart(9)} difference`);
	for (const x of rows) {
		const diff = x.difference > 0 ? `+${x.difference}` : String(x.difference);
		io.out(
			`${x.ruleId.padEnd(48)} ${String(x.active).padStart(7)} ${String(x.candidate).padStart(9)} ${diff.padStart(10)}`
		);
	}
	io.out(`(${r.rules.length - rows.length} other rules raise no flag under either version)`);
	for (const side of ['active', 'candidate'] as const) {
		const t = r.totals[side];
		io.out(`Total ${side}: ${t.urgent} urgent, ${t.action} action, ${t.notify} notify`);
	}
	const only = [
		['Only the active version raises', r.onlyActive],
		['Only the candidate raises', r.onlyCandidate]
	] as const;
	for (const [title, o] of only) {
		if (o.count === 0) continue;
		io.out(`${title} (${o.count}), for example:`);
		for (const e of o.examples) io.out(`  [${e.level}] ${e.ruleId}: ${e.message}`);
	}
}

export const PROTOCOL_COMMANDS: Command[] = [
	{
		name: 'protocol load',
		usage: 'protocol load FILE',
		summary:
			'Check a protocol definition (JSON) and store it as a new version. The first version of a study is active at once; later ones wait for protocol activate.',
		options: {},
		positionals: ['FILE'],
		async run(io, _v, positionals) {
			const checked = await checkedFile(io, positionals[0]);
			if (!checked) return 1;
			const { db } = await io.open();
			const ctx = systemContext(db, operator());
			const loaded = await loadProtocol(ctx, checked.definition);
			const p = loaded.protocol;
			const versions = await listProtocolVersions(ctx, loaded.study.id);
			io.out(
				versions.find((x) => x.id === loaded.protocolVersionId)?.active
					? `Loaded ${p.studyCode} version ${p.version}; it is the active version.`
					: `Loaded ${p.studyCode} version ${p.version} (not active). Try it with protocol dry-run, then protocol activate.`
			);
			return 0;
		}
	},
	{
		name: 'protocol dry-run',
		usage: 'protocol dry-run FILE [--days N]',
		summary:
			"Compare the flags the active version and this protocol would raise on the study's recent data. Writes no flag.",
		options: { days: { type: 'string', description: 'Days of data to evaluate (default 90)' } },
		positionals: ['FILE'],
		async run(io, v, positionals) {
			const days = v.days === undefined ? 90 : Number(v.days);
			if (!Number.isInteger(days) || days < 1) throw new UsageError('--days takes whole days.');
			const checked = await checkedFile(io, positionals[0]);
			if (!checked) return 1;
			const { db } = await io.open();
			const ctx = systemContext(db, operator());
			const studyId = await studyIdOf(ctx, checked.protocol.studyCode);
			printDryRun(io, await dryRunProtocol(ctx, studyId, checked.definition, { days }));
			return 0;
		}
	},
	{
		name: 'protocol activate',
		usage: 'protocol activate --study CODE --version V --reason TEXT',
		summary: "Make a loaded version the study's active protocol (audited with the reason).",
		options: {
			study: { type: 'string', description: 'Study code', required: true },
			version: { type: 'string', description: 'The version to activate', required: true },
			reason: { type: 'string', description: 'Why (kept in the audit trail)', required: true }
		},
		async run(io, v) {
			const { db } = await io.open();
			const ctx = systemContext(db, operator());
			const found = await findProtocolVersionByName(ctx, String(v.study), String(v.version));
			await activateProtocolVersion(ctx, found.id, { reason: v.reason, studyId: found.studyId });
			io.out(`Version ${found.version} of ${String(v.study)} is now the active protocol.`);
			return 0;
		}
	}
];
