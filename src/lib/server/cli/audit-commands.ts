// The audit trail's commands: signed checkpoints, verification with them, the auditor bundle and
// its offline check. `verify BUNDLE` never opens a database: it is what an auditor runs on their
// own machine. Registered by the lead in commands.ts (AUDIT_COMMANDS).
import { cliOperator } from '../runtime/config';
import { createWriteStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { signCheckpoint } from '../audit/checkpoints';
import { readWitness, witnessPath } from '../audit/witness';
import { loadOrCreateSigningKey, parsePublicKey, publicKeyFingerprint } from '../audit/signing-key';
import { signingKeyPath } from '../audit/signing-key';
import { systemContext } from '../runtime/context';
import { verifyBundle, type BundleReport } from '../export/bundle-verify';
import * as sitesRepo from '../repositories/sites';
import { verifyAuditChain, type ChainReport } from '../services/audit/audit';
import { createAuditorBundle } from '../services/audit/bundle';
import type { Command } from './commands';
import { UsageError, type CliIo } from './io';

const operator = cliOperator;

export const auditCheckpointCommand: Command = {
	name: 'audit checkpoint',
	usage: 'audit checkpoint',
	summary: 'Sign the audit chain head now with the signing key (the server does every 15 minutes).',
	options: {},
	async run(io) {
		const { db } = await io.open();
		const key = loadOrCreateSigningKey();
		const c = await signCheckpoint(db, key, new Date(), { witnessFile: witnessPath() });
		if (!c) {
			io.out('The audit trail is empty: nothing to sign.');
			return 0;
		}
		io.out(`Checkpoint ${c.id} signed: row ${c.seq}, hash ${c.hash}, at ${c.signed_at}.`);
		io.out(`Key ${signingKeyPath()} (fingerprint ${key.fingerprint}).`);
		return 0;
	}
};

function printChainReport(io: CliIo, report: ChainReport): void {
	const { checked, mismatched, signaturesChecked } = report.checkpoints;
	const how = signaturesChecked ? 'signatures and heads' : 'heads only: no signing key here';
	if (report.ok) {
		const head = `head row ${report.head?.seq ?? 0} ${report.head?.hash ?? ''}`.trim();
		io.out(`Audit trail intact: ${report.rows} rows; ${head}`);
		io.out(`Checkpoints: ${checked} checked (${how}), all match.`);
		io.out(
			signaturesChecked
				? 'Chain head: signed, signature good.'
				: 'Chain head: not checked (no key).'
		);
		if (report.witness) {
			io.out(
				`Witness ${report.witness.file}: ${report.witness.entries} entries, all in this database.`
			);
		}
		io.out('Clinical records: every one matches its latest audited version.');
		return;
	}
	io.err(`Audit trail BROKEN at ${report.problem?.message}`);
	io.err(`Checkpoints: ${checked} checked (${how}), ${mismatched.length} do not match.`);
	for (const m of mismatched.slice(0, 20)) io.err(`  ${m.message}`);
	if (report.headSignature) io.err(`Chain head: ${report.headSignature}`);
	for (const p of report.witness?.problems.slice(0, 20) ?? []) io.err(`Witness: ${p}`);
	if (report.data.length > 0) {
		io.err(`Clinical records: ${report.data.length} values differ from the audit trail.`);
		for (const m of report.data.slice(0, 20)) io.err(`  ${m.message}`);
	}
}

/** Replaces the lead's `audit verify`: the chain, then every signed checkpoint against it. */
export const auditVerifyCommand: Command = {
	name: 'audit verify',
	usage: 'audit verify',
	summary:
		'Recompute the audit hash chain, name the first row that does not match, and check every signed checkpoint against it.',
	options: {},
	async run(io) {
		const { db } = await io.open();
		const report = await verifyAuditChain(systemContext(db, operator()));
		printChainReport(io, report);
		return report.ok ? 0 : 1;
	}
};

function printBundleReport(io: CliIo, file: string, r: BundleReport): void {
	const head = r.manifest?.auditTrail.head;
	if (r.ok) {
		io.out(`Bundle ${file} verified.`);
		io.out(`  ${r.manifest!.files.length} files match manifest.json; its signature is good.`);
		io.out(`  Signing key fingerprint: ${r.fingerprint}`);
		io.out(
			`  Audit trail (${r.manifest!.auditTrail.form}): ${r.trail!.rows} rows chain from row 1 to the signed head, row ${head!.seq} ${head!.hash}; ${r.trail!.recomputed} recomputed from their contents.`
		);
		const w = r.manifest!.auditTrail.witnessedHead;
		io.out(
			w
				? `  Latest witnessed head: row ${w.seq} ${w.hash}, witnessed ${w.at}; the trail holds it and its signature is good. Compare it with the site's witness log (--witness FILE).`
				: '  No witnessed head: the site kept no witness log when the bundle was made.'
		);
		return;
	}
	io.err(`Bundle ${file} FAILED verification:`);
	for (const p of r.problems) io.err(`  ${p}`);
	if (r.fingerprint) io.err(`  (bundled key fingerprint: ${r.fingerprint})`);
}

export const verifyBundleCommand: Command = {
	name: 'verify',
	usage: 'verify BUNDLE [--public-key FILE] [--witness FILE]',
	summary:
		"Check an auditor bundle without the server's database: every file's hash, the manifest's signature and the audit chain up to the signed head.",
	options: {
		'public-key': {
			type: 'string',
			description: 'The PEM public key you trust: fail unless the bundle was signed with it'
		},
		witness: {
			type: 'string',
			description:
				"A copy of the site's witness log: fail unless the bundle's trail agrees with every head it saw"
		}
	},
	positionals: ['BUNDLE'],
	async run(io, v, positionals) {
		const file = positionals[0];
		if (!file) throw new UsageError('Name the bundle: verify BUNDLE');
		let pinned;
		if (typeof v['public-key'] === 'string') {
			const source = v['public-key'];
			try {
				pinned = {
					source,
					fingerprint: publicKeyFingerprint(parsePublicKey(readFileSync(source, 'utf8')))
				};
			} catch {
				throw new UsageError(`--public-key ${source}: not a readable Ed25519 public key (PEM).`);
			}
		}
		let witness;
		if (typeof v.witness === 'string') {
			try {
				witness = readWitness(v.witness);
			} catch {
				throw new UsageError(`--witness ${v.witness}: not a readable witness log (JSON lines).`);
			}
		}
		const report = await verifyBundle(file, { pinned, witness });
		printBundleReport(io, file, report);
		return report.ok ? 0 : 1;
	}
};

export const auditBundleCommand: Command = {
	name: 'audit bundle',
	usage: 'audit bundle FILE [--site CODE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]',
	summary: 'Write the signed auditor bundle (.tar.gz) of the whole study, or of one site.',
	options: {
		site: { type: 'string', description: 'Only this site (code)' },
		from: { type: 'string', description: 'First UTC day of the clinical files' },
		to: { type: 'string', description: 'Last UTC day of the clinical files' }
	},
	positionals: ['FILE'],
	async run(io, v, positionals) {
		const target = positionals[0];
		if (!target) throw new UsageError('Name the bundle file: audit bundle FILE');
		const { db } = await io.open();
		const site =
			typeof v.site === 'string' ? await sitesRepo.findSiteByCode(db, v.site.toUpperCase()) : null;
		if (typeof v.site === 'string' && !site) throw new UsageError(`No site ${v.site}.`);
		const bundle = await createAuditorBundle(systemContext(db, operator()), {
			siteId: site?.id,
			from: v.from,
			to: v.to
		});
		await pipeline(
			Readable.fromWeb(bundle.stream as NodeReadableStream),
			createWriteStream(target)
		);
		io.out(`Bundle written to ${target}. Check it with: npm run vigil -- verify ${target}`);
		return 0;
	}
};

export const auditSigningKeyCommand: Command = {
	name: 'audit signing-key',
	usage: 'audit signing-key',
	summary: "Show the signing key's file, fingerprint and public key (made on first use).",
	options: {},
	async run(io) {
		const key = loadOrCreateSigningKey();
		io.out(`File: ${signingKeyPath()}`);
		io.out(`Fingerprint (SHA-256 of the public key): ${key.fingerprint}`);
		io.out(key.publicKeyPem.trimEnd());
		return 0;
	}
};

/** For commands.ts: `COMMANDS.push(...AUDIT_COMMANDS)`, dropping its own 'audit verify'. */
export const AUDIT_COMMANDS: Command[] = [
	auditVerifyCommand,
	auditCheckpointCommand,
	auditBundleCommand,
	auditSigningKeyCommand,
	verifyBundleCommand
];
