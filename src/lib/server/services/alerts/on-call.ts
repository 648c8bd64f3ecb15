// Each site's on-call roster: who receives its e-mail alerts, and when. Admins and the site's
// investigators keep it; every change is audited.
import { z } from 'zod';
import { siteDateTime } from '../../../schemas/datetime';
import { appendAudit } from '../../audit/log';
import { assertSiteAccess, requireRole } from '../../auth/access';
import { writeTransaction } from '../../db/transaction';
import type { ServiceContext } from '../../runtime/context';
import { NotFoundError, ValidationError } from '../../runtime/errors';
import { parseInput } from '../../runtime/validate';
import * as repo from '../../repositories/alerts';
import * as sitesRepo from '../../repositories/sites';

export const ON_CALL_ACTIONS = { added: 'on_call.add', removed: 'on_call.remove' } as const;

const onCallInput = (timeZone: string) =>
	z.object({
		name: z
			.string({ error: 'Enter who is on call.' })
			.trim()
			.min(1, 'Enter who is on call.')
			.max(200),
		email: z.email({ error: 'Enter an e-mail address.' }).trim().toLowerCase().max(320),
		startsAt: siteDateTime(timeZone, 'when the shift starts'),
		endsAt: siteDateTime(timeZone, 'when the shift ends')
	});

export interface OnCallEntry {
	id: number;
	name: string;
	email: string;
	/** UTC, ISO 8601. */
	startsAt: string;
	endsAt: string;
	onCallNow: boolean;
}

async function siteFor(ctx: ServiceContext, siteId: number) {
	requireRole(ctx.actor, 'admin', 'investigator');
	assertSiteAccess(ctx.actor, siteId, { adminSeesAll: true, what: 'Site' });
	const site = await sitesRepo.findSiteById(ctx.db, siteId);
	if (!site) throw new NotFoundError('Site');
	return site;
}

/** The site's roster from now on, soonest first. */
export async function onCallRoster(ctx: ServiceContext, siteId: number): Promise<OnCallEntry[]> {
	await siteFor(ctx, siteId);
	const now = ctx.now().toISOString();
	const rows = await repo.rosterOf(ctx.db, siteId, now);
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		email: r.email,
		startsAt: r.starts_at,
		endsAt: r.ends_at,
		onCallNow: r.starts_at <= now && r.ends_at > now
	}));
}

/** Adds a shift: name, e-mail, start and end in the site's local time. */
export async function addOnCall(
	ctx: ServiceContext,
	siteId: number,
	input: unknown
): Promise<OnCallEntry> {
	const site = await siteFor(ctx, siteId);
	const v = parseInput(onCallInput(site.timezone), input);
	if (v.endsAt <= v.startsAt) {
		throw new ValidationError({ endsAt: ['The shift ends before it starts.'] });
	}
	return writeTransaction(ctx.db, async (trx) => {
		const row = await repo.insertOnCall(trx, {
			site_id: siteId,
			name: v.name,
			email: v.email,
			starts_at: v.startsAt.toISOString(),
			ends_at: v.endsAt.toISOString(),
			created_at: ctx.now().toISOString()
		});
		await appendAudit(trx, ctx, {
			action: ON_CALL_ACTIONS.added,
			entityType: 'on_call',
			entityId: row.id,
			siteId,
			newValues: { name: row.name, email: row.email, startsAt: row.starts_at, endsAt: row.ends_at }
		});
		const now = ctx.now().toISOString();
		return {
			id: row.id,
			name: row.name,
			email: row.email,
			startsAt: row.starts_at,
			endsAt: row.ends_at,
			onCallNow: row.starts_at <= now && row.ends_at > now
		};
	});
}

/** Takes a shift off the roster (kept, marked removed, audited). */
export async function removeOnCall(ctx: ServiceContext, id: number): Promise<void> {
	const row = await repo.findOnCall(ctx.db, id);
	if (!row || row.removed_at) throw new NotFoundError('On-call shift');
	await siteFor(ctx, row.site_id);
	await writeTransaction(ctx.db, async (trx) => {
		const removedAt = ctx.now().toISOString();
		await repo.removeOnCall(trx, id, removedAt);
		await appendAudit(trx, ctx, {
			action: ON_CALL_ACTIONS.removed,
			entityType: 'on_call',
			entityId: id,
			siteId: row.site_id,
			oldValues: { name: row.name, email: row.email, startsAt: row.starts_at, endsAt: row.ends_at },
			newValues: { removedAt }
		});
	});
}
