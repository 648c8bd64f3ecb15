// SQL that reads the same on SQLite and PostgreSQL. Where the two differ (JSON functions, LIKE's
// case, booleans), the difference lives here, so no query is written twice.
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { dialectOf, type Executor } from './index';

/**
 * 1 when the condition holds, else 0. SQLite's comparisons are already integers; PostgreSQL's are
 * booleans, which neither add up nor compare with 1.
 */
export function oneIf(condition: Expression<unknown> | RawBuilder<unknown>): RawBuilder<number> {
	return sql<number>`(case when ${condition} then 1 else 0 end)`;
}

/** A member of a JSON object kept in a text column, as text (numbers as their digits). */
export function jsonText(db: Executor, column: string, member: string): RawBuilder<string | null> {
	return dialectOf(db) === 'postgres'
		? sql<string | null>`(${sql.ref(column)}::jsonb ->> ${sql.lit(member)})`
		: sql<string | null>`cast(json_extract(${sql.ref(column)}, ${sql.lit(`$.${member}`)}) as text)`;
}

/** How many members of a JSON object (a text column) hold something: not null, not ''. */
export function jsonFilledMembers(db: Executor, column: string): RawBuilder<number> {
	const from =
		dialectOf(db) === 'postgres'
			? sql`jsonb_each_text(${sql.ref(column)}::jsonb)`
			: sql`json_each(${sql.ref(column)})`;
	return sql<number>`(select count(*) from ${from} j where j.value is not null and j.value <> '')`;
}

/**
 * `column LIKE pattern`, ignoring case as SQLite's LIKE does for ASCII (PostgreSQL's LIKE does not:
 * ILIKE there). The pattern escapes with a backslash.
 */
export function likeAnyCase(db: Executor, column: string, pattern: string): RawBuilder<SqlBool> {
	const op = dialectOf(db) === 'postgres' ? sql.raw('ilike') : sql.raw('like');
	return sql<SqlBool>`${sql.ref(column)} ${op} ${pattern} escape '\\'`;
}
