// Entry that survives a dropped network on the session screen: a reading saved while offline (or
// whose send failed for want of a connection) goes to the device's queue with its idempotency key
// and the time it was typed, is shown as not yet saved, and is sent, in order, when the
// connection returns. The server checks and flags each one as it would any reading.
import { deserialize } from '$app/forms';
import { invalidateAll } from '$app/navigation';
import { getContext, setContext } from 'svelte';
import { toLocalClock } from '$lib/domain/time';
import type { ProvisionalFlag, RuleSheet } from './provisional-flags';
import type { QueuedReading } from './reading-queue';

const KEY = Symbol('offline-entry');
/** While readings wait and the browser says it is online, try again this often (server down). */
const RETRY_MS = 20_000;
/** While the page shows the device's copy, ask this often whether the server answers again. */
const PROBE_MS = 5_000;

type Outcome = 'saved' | 'refused' | 'wait';
/**
 * The device's queue (IndexedDB through `idb`): loaded with import() as the page starts, so it is
 * not part of the page's first load; the service worker keeps it for an offline reload.
 */
const store = () => import('./reading-queue');
/** The rules run on the device: loaded with import() once a reading waits (kept small at first). */
type DeviceRules = typeof import('./provisional-flags');

export class OfflineEntry {
	online = $state(true);
	items = $state<QueuedReading[]>([]);
	/** The device's storage could not be used (private mode, quota): typed readings cannot wait. */
	storageFailed = $state(false);
	/**
	 * The device's queue has been read once (or found unusable): from then on a reading saved
	 * offline is kept. Until the queue's module has loaded, a network lost at that moment would
	 * leave the page unable to keep it (the page says so: `storageFailed`).
	 */
	ready = $state(false);
	/** The last send reached the server but was not taken (signed out, a server error). */
	serverRefusedSend = $state(false);
	/** The session's rules and stored readings, as the page last loaded them. */
	sheet = $state<RuleSheet | null>(null);
	/** The device's copy of the safety rules, once a reading waits (null until then). */
	rules = $state.raw<DeviceRules | null>(null);
	/**
	 * What each waiting reading would raise (by client key), from the same rules the server runs:
	 * shown at once, as provisional, until the server has evaluated it.
	 */
	provisional = $derived<Record<string, ProvisionalFlag[]>>(
		this.sheet && this.rules && this.items.length > 0
			? // eslint-disable-next-line svelte/prefer-svelte-reactivity -- the moment of evaluation
				this.rules.provisionalFlags(this.sheet, this.items, new Date())
			: {}
	);
	/**
	 * The "hold the supplemental dose" findings the waiting readings add, from the server's own
	 * gate: the page shows them with the server's hold until the server has the readings.
	 */
	provisionalHold = $derived<string[]>(
		this.sheet && this.rules && this.items.length > 0
			? // eslint-disable-next-line svelte/prefer-svelte-reactivity -- the moment of evaluation
				this.rules.provisionalHold(this.sheet, this.items, new Date())
			: []
	);
	#sending = false;
	#lastTry = 0;

	constructor(
		readonly sessionId: number,
		readonly timeZone: string,
		/**
		 * The page shows the copy kept on this device, served because the server could not be
		 * reached: not connected, whatever the browser says; live again once the server answers.
		 */
		public showingCopy = false
	) {}

	/** Starts watching the connection; returns the clean-up. */
	start(): () => void {
		this.online = navigator.onLine && !this.showingCopy;
		const up = () => {
			this.online = true;
			void this.sync();
		};
		const down = () => (this.online = false);
		addEventListener('online', up);
		addEventListener('offline', down);
		const timer = setInterval(() => {
			const waiting = this.online && this.items.some((i) => !i.refused);
			if (this.showingCopy || (waiting && Date.now() - this.#lastTry >= RETRY_MS)) {
				void this.sync();
			}
		}, PROBE_MS);
		void this.load().then(() => (this.online ? this.sync() : undefined));
		return () => {
			removeEventListener('online', up);
			removeEventListener('offline', down);
			clearInterval(timer);
		};
	}

	async load(): Promise<void> {
		try {
			this.items = await (await store()).queuedFor(this.sessionId);
		} catch {
			this.storageFailed = true;
		}
		this.ready = true;
		if (this.items.length > 0) await this.#loadRules();
	}

	/**
	 * The rules, the first time a reading waits. Offline they come from the service worker, which
	 * keeps the files the session page may load later (src/service-worker.ts); if they cannot be
	 * loaded the readings still wait and are sent, without the provisional messages.
	 */
	async #loadRules(): Promise<void> {
		if (this.rules) return;
		try {
			this.rules = await import('./provisional-flags');
		} catch {
			// Not loadable (no network and not kept): the server's flags come on sync.
		}
	}

	/** The reading waiting for a scheduled timepoint, if one is. */
	queuedFor(rowKey: string): QueuedReading | undefined {
		return rowKey === 'unscheduled' ? undefined : this.items.find((i) => i.rowKey === rowKey);
	}

	/** The measured time as the site reads it: typed HH:MM as typed, an instant in the site zone. */
	timeOf(item: QueuedReading): string {
		const t = item.fields.takenAt ?? '';
		return /^\d{4}-\d\d-\d\dT/.test(t) ? toLocalClock(t, this.timeZone) : t;
	}

	/**
	 * Keeps a row's reading on the device. A time left empty becomes the moment it is queued: the
	 * moment of saving, as the server would have stored it, and not the moment it is sent.
	 */
	async queue(rowKey: string, label: string, form: FormData, clientKey: string): Promise<boolean> {
		const fields: Record<string, string> = {};
		for (const [k, v] of form) if (typeof v === 'string' && k !== 'clientKey') fields[k] = v;
		// A plain instant, never reactive state: the moment of saving.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const now = new Date().toISOString();
		if (!fields.takenAt?.trim()) fields.takenAt = now;
		const item: QueuedReading = {
			clientKey,
			sessionId: this.sessionId,
			rowKey,
			label,
			fields,
			queuedAt: now,
			refused: null
		};
		try {
			await (await store()).enqueue(item);
		} catch {
			this.storageFailed = true;
			return false;
		}
		await this.load();
		return true;
	}

	/** Sends every waiting reading, oldest first; stops at the first that finds no connection. */
	async sync(): Promise<void> {
		if (this.#sending) return;
		this.#sending = true;
		this.#lastTry = Date.now();
		let answered = 0;
		try {
			if (this.showingCopy) {
				if (!(await serverAnswers(location.pathname))) return;
				this.online = true;
			}
			for (const item of await (await store()).queuedFor(this.sessionId)) {
				if (item.refused) continue;
				const outcome = await this.#send(item);
				if (outcome === 'wait') break;
				answered += 1;
			}
		} finally {
			this.#sending = false;
			await this.load();
		}
		// Saved or refused, the server has spoken: show what it holds (a refusal is often a
		// colleague's reading of the same timepoint, which the page has not seen yet).
		if (answered > 0 || this.showingCopy) {
			this.showingCopy = false;
			await invalidateAll();
		}
	}

	/** A refused reading sent again: with its warnings confirmed, when that was the refusal. */
	async retry(item: QueuedReading): Promise<void> {
		const fields = item.refused?.needsConfirmation
			? { ...item.fields, confirmed: 'on' }
			: item.fields;
		await (await store()).replace({ ...item, fields, refused: null });
		await this.load();
		if (this.online) await this.sync();
	}

	async discard(item: QueuedReading): Promise<void> {
		if (item.seq !== undefined) await (await store()).remove(item.seq);
		await this.load();
	}

	async #send(item: QueuedReading): Promise<Outcome> {
		const body = new FormData();
		for (const [k, v] of Object.entries(item.fields)) body.set(k, v);
		body.set('clientKey', item.clientKey);
		let text: string;
		try {
			const res = await fetch(`/sessions/${this.sessionId}?/reading`, {
				method: 'POST',
				body,
				headers: { accept: 'application/json', 'x-sveltekit-action': 'true' },
				cache: 'no-store'
			});
			text = await res.text();
		} catch {
			return 'wait'; // no connection: stays queued, in order
		}
		let result;
		try {
			result = deserialize<Record<string, unknown>, Record<string, unknown>>(text);
		} catch {
			return 'wait'; // not the action's answer (a proxy's error page): try again later
		}
		this.serverRefusedSend = false;
		if (result.type === 'success' && item.seq !== undefined) {
			await (await store()).remove(item.seq);
			return 'saved';
		}
		if (result.type === 'failure') {
			const data = (result.data ?? {}) as {
				message?: string;
				errors?: Record<string, string[] | undefined>;
				warnings?: Record<string, string | undefined>;
			};
			const messages = [
				...Object.values(data.errors ?? {}).flatMap((m) => m ?? []),
				...Object.values(data.warnings ?? {}).flatMap((m) => (m ? [m] : []))
			];
			await (
				await store()
			).replace({
				...item,
				refused: {
					messages: messages.length > 0 ? messages : [data.message ?? 'Not saved.'],
					needsConfirmation: Object.keys(data.warnings ?? {}).length > 0
				}
			});
			return 'refused';
		}
		// Signed out (a redirect to sign in) or a server error: kept until it can be sent.
		this.serverRefusedSend = true;
		return 'wait';
	}
}

/** Whether the server answers at all (a page reloaded from the device's copy goes live then). */
async function serverAnswers(path: string): Promise<boolean> {
	try {
		return (await fetch(path, { method: 'HEAD', cache: 'no-store' })).ok;
	} catch {
		return false;
	}
}

export function provideOfflineEntry(entry: OfflineEntry): void {
	setContext(KEY, entry);
}

export function offlineEntry(): OfflineEntry | undefined {
	return getContext<OfflineEntry | undefined>(KEY);
}
