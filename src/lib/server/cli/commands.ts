// The CLI's commands: thin doors to the same services the pages and the API use.
import { cliOperator } from '../runtime/config';
import { parseArgs } from 'node:util';
import { backupTo } from '../db/backup';
import { migrateToLatest } from '../db/migrate';
import { runPendingBackfills } from '../services/dashboards/summaries';
import { systemContext } from '../runtime/context';
import { createSite } from '../services/people/sites';
import { createUser, disableUserByEmail } from '../services/people/users';
import { resetSecondFactorByEmail } from '../services/people/second-factor';
import { UsageError, type CliIo } from './io';
import { PROTOCOL_COMMANDS } from './protocol-command';
import { demoCommand } from './demo-command';
import { AUDIT_COMMANDS } from './audit-commands';
import { dbCopyCommand } from './db-command';
import { STUDY_COMMANDS } from './study-commands';

export interface Command {
	name: string;
	usage: string;
	summary: string;
	options: Record<string, { type: 'string' | 'boolean'; description: string; required?: boolean }>;
	positionals?: string[];
	run: (
		io: CliIo,
		values: Record<string, string | boolean | undefined>,
		positionals: string[]
	) => Promise<number>;
}

const operator = cliOperator;

export const COMMANDS: Command[] = [
	{
		name: 'migrate',
		usage: 'migrate',
		summary: 'Create or migrate the database to the latest schema.',
		options: {},
		async run(io) {
			const { db } = await io.open();
			const { applied } = await migrateToLatest(db);
			await runPendingBackfills(db);
			io.out(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
			return 0;
		}
	},
	{
		name: 'site add',
		usage: 'site add --code C --name N --timezone TZ [--country ISO3]',
		summary: 'Add a site.',
		options: {
			code: { type: 'string', description: 'Short site code, such as 01', required: true },
			name: { type: 'string', description: 'The site name', required: true },
			timezone: {
				type: 'string',
				description: 'IANA time zone, such as Europe/Oslo',
				required: true
			},
			country: {
				type: 'string',
				description: 'ISO 3166-1 alpha-3 country, such as NOR (SDTM DM.COUNTRY)'
			}
		},
		async run(io, v) {
			const { db } = await io.open();
			const site = await createSite(systemContext(db, operator()), v);
			io.out(`Site ${site.code} added (${site.name}, ${site.timezone}).`);
			return 0;
		}
	},
	{
		name: 'user add',
		usage: 'user add --email E --name N --role R [--site CODE[,CODE]] [--password-stdin]',
		summary:
			'Add a user (also the first admin). Without --password-stdin a one-time password is printed, to be changed at first sign-in.',
		options: {
			email: { type: 'string', description: 'Sign-in email', required: true },
			name: { type: 'string', description: 'Full name, printed with signatures', required: true },
			role: {
				type: 'string',
				description: 'admin, coordinator, investigator, auditor or monitor',
				required: true
			},
			site: { type: 'string', description: 'Site codes, comma-separated (not for admins)' },
			'password-stdin': {
				type: 'boolean',
				description: "Read the user's own password from standard input"
			}
		},
		async run(io, v) {
			const { db } = await io.open();
			const sites =
				typeof v.site === 'string'
					? v.site
							.split(',')
							.map((s) => s.trim())
							.filter(Boolean)
					: [];
			const own = v['password-stdin'] ? (await io.readStdin()).replace(/\r?\n$/, '') : undefined;
			if (own === '') {
				throw new UsageError('--password-stdin was given but standard input was empty.');
			}
			const result = await createUser(
				systemContext(db, operator()),
				{ email: v.email, name: v.name, role: v.role, sites },
				own
			);
			io.out(
				`User ${result.user.email} added as ${result.user.role}${sites.length ? ` at ${sites.join(', ')}` : ''}.`
			);
			if (result.oneTimePassword) {
				io.out(`One-time password (must be changed at first sign-in): ${result.oneTimePassword}`);
			}
			return 0;
		}
	},
	{
		name: 'user reset-second-factor',
		usage: 'user reset-second-factor --email E --reason TEXT',
		summary:
			"Remove a user's authenticator and recovery codes (a lost phone; also the last administrator's way back in).",
		options: {
			email: { type: 'string', description: 'The user', required: true },
			reason: { type: 'string', description: 'Why (kept in the audit trail)', required: true }
		},
		async run(io, v) {
			const { db } = await io.open();
			const email = String(v.email);
			await resetSecondFactorByEmail(systemContext(db, operator()), email, { reason: v.reason });
			io.out(`Two-step sign-in for ${email} is reset; their sessions have ended.`);
			return 0;
		}
	},
	{
		name: 'user disable',
		usage: 'user disable --email E [--reason TEXT]',
		summary: "Disable a user and end all the user's sessions.",
		options: {
			email: { type: 'string', description: 'The user to disable', required: true },
			reason: { type: 'string', description: 'Why (kept in the audit trail)' }
		},
		async run(io, v) {
			const { db } = await io.open();
			const email = String(v.email);
			await disableUserByEmail(systemContext(db, operator()), email, {
				reason: v.reason ?? 'Disabled from the command line'
			});
			io.out(`User ${email} is disabled; their sessions have ended.`);
			return 0;
		}
	},
	{
		name: 'backup',
		usage: 'backup FILE',
		summary:
			'Copy the database to FILE (SQLite online backup, or pg_dump on PostgreSQL; safe while Vigil runs).',
		options: {},
		positionals: ['FILE'],
		async run(io, _v, positionals) {
			const target = positionals[0];
			if (!target) throw new UsageError('Name the backup file: backup FILE');
			io.out(await backupTo(await io.open(), target));
			return 0;
		}
	}
];

// Commands of other features, listed after the core ones.
COMMANDS.push(
	...AUDIT_COMMANDS,
	...PROTOCOL_COMMANDS,
	demoCommand,
	...STUDY_COMMANDS,
	dbCopyCommand
);

export function parseCommandArgs(command: Command, args: string[]) {
	const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
	for (const [key, o] of Object.entries(command.options)) options[key] = { type: o.type };
	let parsed;
	try {
		parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
	} catch (e) {
		throw new UsageError(
			e instanceof Error ? e.message.replace(/^TypeError \[.*?\]: /, '') : String(e)
		);
	}
	const values = parsed.values as Record<string, string | boolean | undefined>;
	if (values.help) return { help: true as const, values, positionals: parsed.positionals };
	for (const [key, o] of Object.entries(command.options)) {
		if (o.required && (values[key] === undefined || values[key] === '')) {
			throw new UsageError(`Missing --${key} (${o.description}).`);
		}
	}
	const expected = command.positionals?.length ?? 0;
	if (parsed.positionals.length > expected) {
		throw new UsageError(`Unexpected argument: ${parsed.positionals[expected]}`);
	}
	return { help: false as const, values, positionals: parsed.positionals };
}
