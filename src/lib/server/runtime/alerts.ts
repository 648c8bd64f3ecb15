// Start-up glue for e-mail alerts to the on-call roster (when VIGIL_SMTP_URL is set): a run after
// every flag change, once its transaction has committed, and one with each safety-clock tick.
import type { Db } from '../db';
import { smtpMailer } from '../services/alerts/mailer';
import { dispatchSafetyAlerts } from '../services/alerts/safety-alerts';
import { onFlagChange } from '../services/safety/flag-events';
import type { VigilConfig } from './config';
import { systemContext } from './context';

/** Returns the run, for the safety clock to call; runs never overlap, a change during one reruns. */
export function startAlerts(db: Db, settings: VigilConfig['alerts']): () => Promise<void> {
	const mailer = settings.smtpUrl ? smtpMailer(settings.smtpUrl, settings.from) : null;
	let running = false;
	let again = false;
	const run = async (): Promise<void> => {
		if (!mailer) return;
		if (running) {
			again = true;
			return;
		}
		running = true;
		try {
			do {
				again = false;
				await dispatchSafetyAlerts(systemContext(db, 'alerts'), mailer, settings);
			} while (again);
		} catch (e) {
			console.error('[vigil] alerts failed:', e);
		} finally {
			running = false;
		}
	};
	// The notice comes from inside the saving transaction: look a moment later, after the commit.
	onFlagChange(() => void setTimeout(() => void run(), 250));
	return run;
}
