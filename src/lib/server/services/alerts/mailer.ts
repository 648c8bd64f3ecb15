// E-mail alerts through the site's SMTP server (VIGIL_SMTP_URL), for any feature that must reach a
// person away from the screen: urgent flags, escalations, SAE clocks, emergency unblinding. A
// message carries what the recipient needs to act and a link, never more about the participant
// than the subject code. Every alert sent (or that failed) is audited.
import nodemailer from 'nodemailer';
import { appendAudit } from '../../audit/log';
import { writeTransaction } from '../../db/transaction';
import type { ServiceContext } from '../../runtime/context';
import type { AuditEntityType } from '../../audit/actions';

export interface AlertEmail {
	to: string[];
	subject: string;
	text: string;
}

/** Sends one message; throws when the server refuses it. Tests may pass their own. */
export interface Mailer {
	send(message: AlertEmail): Promise<void>;
}

/** A mailer over nodemailer's SMTP transport (`smtp://user:pass@host:port`, `smtps://…`). */
export function smtpMailer(url: string, from: string): Mailer {
	const transport = nodemailer.createTransport(url);
	return {
		async send(m) {
			await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text });
		}
	};
}

export interface Alert extends AlertEmail {
	/** What it announces, for the audit trail: 'flag.urgent', 'unblinding', … */
	kind: string;
	siteId: number | null;
	entityType: AuditEntityType;
	entityId: number | string | null;
}

export const ALERT_ACTIONS = { sent: 'alert.sent', failed: 'alert.failed' } as const;

/**
 * Sends an alert by e-mail and audits it: sent (recipients, subject, kind) or failed (the
 * server's reason). Never throws for a mail failure: the caller decides whether to retry, by the
 * result. With no mailer configured (or no recipient) nothing is sent and 'skipped' is returned.
 */
export async function sendAlert(
	ctx: ServiceContext,
	mailer: Mailer | null,
	alert: Alert
): Promise<'sent' | 'failed' | 'skipped'> {
	if (!mailer || alert.to.length === 0) return 'skipped';
	let failure: string | null = null;
	try {
		await mailer.send({ to: alert.to, subject: alert.subject, text: alert.text });
	} catch (e) {
		failure = e instanceof Error ? e.message : String(e);
	}
	await writeTransaction(ctx.db, (trx) =>
		appendAudit(trx, ctx, {
			action: failure ? ALERT_ACTIONS.failed : ALERT_ACTIONS.sent,
			entityType: alert.entityType,
			entityId: alert.entityId,
			siteId: alert.siteId,
			newValues: {
				kind: alert.kind,
				to: alert.to,
				subject: alert.subject,
				...(failure ? { error: failure.slice(0, 500) } : {})
			}
		})
	);
	return failure ? 'failed' : 'sent';
}
