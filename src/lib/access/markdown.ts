// docs/access-matrix.md, written from the access matrix (`npm run docs:access`). A unit test
// fails when the file in the repository is not what this renders.
import { ROLES, ROLE_LABELS } from '../roles';
import { ACCESS_SECTIONS, type DoorRule } from './matrix';

function cell(rule: DoorRule, role: (typeof ROLES)[number]): string {
	if (rule.public) return 'yes';
	const reach = rule.allow[role];
	if (!reach) return '—';
	return { all: 'all sites', site: 'own sites', any: 'yes' }[reach];
}

const escape = (text: string) => text.replace(/\|/g, '\\|');

function table(doors: Record<string, DoorRule>, cli: boolean): string[] {
	if (cli) {
		return [
			'| Command | Who |',
			'| --- | --- |',
			...Object.keys(doors).map((key) => `| \`${key}\` | the operator at the server's shell |`)
		];
	}
	const head = ['Door', ...ROLES.map((r) => ROLE_LABELS[r]), 'Signed out', 'Note'];
	return [
		`| ${head.join(' | ')} |`,
		`| ${head.map(() => '---').join(' | ')} |`,
		...Object.entries(doors).map(([key, rule]) => {
			const cells = [
				`\`${escape(key)}\``,
				...ROLES.map((r) => cell(rule, r)),
				rule.public ? 'yes' : 'sign in',
				escape(rule.note ?? '')
			];
			return `| ${cells.join(' | ')} |`;
		})
	];
}

export function accessMatrixMarkdown(): string {
	const lines = [
		'# Access matrix',
		'',
		'<!-- Generated from src/lib/access/matrix.ts by `npm run docs:access`; do not edit. -->',
		'',
		'Who may use each door into Vigil. **own sites**: the records of the sites the user holds; a',
		'record at another site answers 404 (not found), as if it did not exist, and lists show only',
		'the own sites. **all sites**: every site. **yes**: allowed, the door is about no site.',
		'**—**: refused (403, or 404 for a record). **Signed out**: with no session, or with an API',
		'token that is revoked, expired or of a disabled account, the JSON API, downloads and streams',
		'answer 401 and pages send to the sign-in page; a form action (a POST) answers 401. A',
		'read-only API token reads as its user and is refused every write (403).',
		'',
		'Every HTTP door here, each form action included, is called as each role (holding one site,',
		'and holding none, on a record of its site and of another), as an administrator, signed',
		'out, and with revoked, expired and read-only tokens by `tests/e2e/access-matrix.test.ts`,',
		'on SQLite and on PostgreSQL; a refused call must change nothing (no audit entry under its',
		'request id). A door missing from the table fails `tests/unit/access-matrix.test.ts`.',
		''
	];
	for (const section of ACCESS_SECTIONS) {
		lines.push(`## ${section.title}`, '', ...table(section.doors, section.kind[0] === 'cli'), '');
	}
	return lines.join('\n');
}
