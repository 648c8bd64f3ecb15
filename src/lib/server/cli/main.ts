// `npm run vigil -- <command>`: dispatch, help, and error reporting with exit codes
// (0 done, 1 failed, 2 wrong usage).
import { ServiceError, ValidationError, ConflictError } from '../runtime/errors';
import { COMMANDS, parseCommandArgs, type Command } from './commands';
import { UsageError, type CliIo } from './io';

function commandHelp(c: Command): string {
	const lines = [`Usage: npm run vigil -- ${c.usage}`, '', c.summary];
	const opts = Object.entries(c.options);
	if (opts.length > 0) {
		lines.push('', 'Options:');
		for (const [key, o] of opts) {
			lines.push(`  --${key.padEnd(16)} ${o.description}${o.required ? ' (required)' : ''}`);
		}
	}
	lines.push(`  ${'--help'.padEnd(18)} Show this help`);
	return lines.join('\n');
}

export function overallHelp(): string {
	return [
		'Usage: npm run vigil -- <command> [options]',
		'',
		'Commands:',
		...COMMANDS.map(
			(c) => `  ${c.name.padEnd(18)} ${c.summary.split('. ')[0]!.replace(/\.$/, '')}`
		),
		'',
		'The database is ./data/vigil.db unless VIGIL_DB names another file, or PostgreSQL when',
		'VIGIL_DATABASE_URL is set (postgres://user:password@host/name).',
		'Run any command with --help for its options.'
	].join('\n');
}

function findCommand(args: string[]): { command: Command; rest: string[] } | null {
	// Longest match first: "user add" before "user".
	const sorted = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
	for (const command of sorted) {
		const words = command.name.split(' ');
		if (words.every((w, i) => args[i] === w)) return { command, rest: args.slice(words.length) };
	}
	return null;
}

export async function runCli(args: string[], io: CliIo): Promise<number> {
	if (args.length === 0 || args[0] === '--help' || args[0] === 'help' || args[0] === '-h') {
		io.out(overallHelp());
		return args.length === 0 ? 2 : 0;
	}
	const found = findCommand(args);
	if (!found) {
		const group = COMMANDS.filter((c) => c.name.startsWith(`${args[0]} `));
		if (group.length > 0 && (args.length === 1 || args[1] === '--help')) {
			io.out(group.map((c) => commandHelp(c)).join('\n\n'));
			return args[1] === '--help' ? 0 : 2;
		}
		io.err(`Unknown command: ${args.join(' ')}\n\n${overallHelp()}`);
		return 2;
	}
	const { command, rest } = found;
	try {
		const parsed = parseCommandArgs(command, rest);
		if (parsed.help) {
			io.out(commandHelp(command));
			return 0;
		}
		return await command.run(io, parsed.values, parsed.positionals);
	} catch (e) {
		if (e instanceof UsageError) {
			io.err(`${e.message}\n\n${commandHelp(command)}`);
			return 2;
		}
		if (e instanceof ValidationError || e instanceof ConflictError) {
			io.err(e instanceof ValidationError ? 'Invalid input:' : e.message);
			for (const [field, messages] of Object.entries(e.fieldErrors)) {
				io.err(`  ${field ? `--${field}` : 'input'}: ${messages.join(' ')}`);
			}
			return 1;
		}
		if (e instanceof ServiceError) {
			io.err(e.message);
			return 1;
		}
		throw e;
	}
}
