// Every SvelteKit form action, read from the routes' source with the TypeScript parser: the
// properties of each `export const actions` object, and those a spread helper returns
// (`...monitoringActions(…)`). With the form fields each action's code reads by name, so the
// access matrix and the form fuzz post to real fields.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

export interface FormAction {
	/** The page's route as written ('/participants/[id=id]'). */
	route: string;
	/** The action's name; 'default' posts to the page itself. */
	name: string;
	/** Field names its code (and its page's file) reads (`form.get('x')`, `text(form, 'x')`). */
	fields: string[];
}

const FIELD = /form\s*\.(?:get|getAll|has)\('([A-Za-z_]+)'\)|\(form, '([A-Za-z_]+)'\)/g;
const LIB = join(process.cwd(), 'src', 'lib');

function parse(file: string): ts.SourceFile {
	return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/** The file an import names ('$lib/server/runtime/x' or a relative path), as a .ts file. */
function importedFile(from: string, source: ts.SourceFile, identifier: string): string | null {
	for (const st of source.statements) {
		if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
		const names = st.importClause?.namedBindings;
		if (!names || !ts.isNamedImports(names)) continue;
		if (!names.elements.some((e) => e.name.text === identifier)) continue;
		const spec = st.moduleSpecifier.text;
		const base = spec.startsWith('$lib/') ? join(LIB, spec.slice(5)) : resolve(dirname(from), spec);
		return base.endsWith('.ts') ? base : `${base}.ts`;
	}
	return null;
}

/** Names in the object a function returns, with the text of each property. */
function returnedObject(file: string, fn: string): Array<[string, string]> {
	const source = parse(file);
	let found: Array<[string, string]> | null = null;
	const visit = (node: ts.Node): void => {
		if (ts.isFunctionDeclaration(node) && node.name?.text === fn && node.body) {
			for (const st of node.body.statements) {
				if (
					ts.isReturnStatement(st) &&
					st.expression &&
					ts.isObjectLiteralExpression(st.expression)
				) {
					found = propertiesOf(file, source, st.expression);
				}
			}
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	if (!found) throw new Error(`${file}: no object returned by ${fn}`);
	return found;
}

function propertiesOf(
	file: string,
	source: ts.SourceFile,
	object: ts.ObjectLiteralExpression
): Array<[string, string]> {
	return object.properties.flatMap((p): Array<[string, string]> => {
		if (ts.isSpreadAssignment(p)) {
			const call = p.expression;
			if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) {
				throw new Error(`${file}: a spread in actions that is not a helper call`);
			}
			const helper = importedFile(file, source, call.expression.text);
			if (!helper) throw new Error(`${file}: cannot find ${call.expression.text}`);
			return returnedObject(helper, call.expression.text);
		}
		if (!p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
			throw new Error(`${file}: an action without a plain name`);
		}
		return [[p.name.text, withHelpers(file, source, p.getText(source))]];
	});
}

/** The action's text, and the text of functions it calls that are imported from $lib helpers. */
function withHelpers(file: string, source: ts.SourceFile, text: string): string {
	const called = [...text.matchAll(/\b([a-z][A-Za-z]*Action|[a-z][A-Za-z]*FormInput)\(/g)].map(
		(m) => m[1]!
	);
	const extra = called.map((name) => {
		const helper = importedFile(file, source, name);
		return helper ? readFileSync(helper, 'utf8') : '';
	});
	return [text, ...extra].join('\n');
}

function fieldsIn(text: string): string[] {
	return [...new Set([...text.matchAll(FIELD)].map((m) => (m[1] ?? m[2])!))].sort();
}

/** The actions of one +page.server.ts (none when it exports no actions). */
export function actionsOf(file: string, route: string): FormAction[] {
	const source = parse(file);
	for (const st of source.statements) {
		if (!ts.isVariableStatement(st)) continue;
		if (!st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
		for (const d of st.declarationList.declarations) {
			if (!ts.isIdentifier(d.name) || d.name.text !== 'actions') continue;
			if (!d.initializer || !ts.isObjectLiteralExpression(d.initializer)) {
				throw new Error(`${file}: actions is not an object literal`);
			}
			// Local helpers (`entry(form)`) read fields outside the action: the file's are added.
			const local = fieldsIn(source.text);
			return propertiesOf(file, source, d.initializer).map(([name, text]) => ({
				route,
				name,
				fields: [...new Set([...fieldsIn(text), ...local])].sort()
			}));
		}
	}
	return [];
}
