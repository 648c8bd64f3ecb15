// The command line: `npm run vigil -- <command>`. See src/lib/server/cli.
import { readConfig } from '../src/lib/server/runtime/config';
import { openConfiguredDatabase, type OpenedDatabase } from '../src/lib/server/db';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { readAll } from '../src/lib/server/cli/io';
import { runCli } from '../src/lib/server/cli/main';
import { useHeadSigner } from '../src/lib/server/audit/head-signature';
import { loadOrCreateSigningKey } from '../src/lib/server/audit/signing-key';
import { usePlausibleDates } from '../src/lib/schemas/input';

let opened: OpenedDatabase | undefined;

const code = await runCli(process.argv.slice(2), {
	out: (line) => console.log(line),
	err: (line) => console.error(line),
	readStdin: () => readAll(process.stdin),
	async open() {
		if (!opened) {
			// The CLI's writes sign the chain head as the server's do (run it as the service user).
			useHeadSigner(loadOrCreateSigningKey());
			const config = readConfig();
			usePlausibleDates(config.plausibleDates);
			opened = openConfiguredDatabase(config);
			await migrateToLatest(opened.db);
		}
		return opened;
	}
}).catch((e: unknown) => {
	console.error(`vigil: ${e instanceof Error ? e.message : String(e)}`);
	return 1;
});
await opened?.db.destroy();
process.exit(code);
