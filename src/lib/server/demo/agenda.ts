// Time order for the demo: each participant keeps an agenda of steps (one service call each, at
// the simulated moment it is typed in), and the scheduler runs every participant's steps in one
// global time order, so the audit trail reads as the study happened. Only participants already
// enrolled are held in memory, each as a small suspended generator.

export type Step = (at: number) => Promise<void>;

interface Entry<T> {
	at: number;
	order: number;
	item: T;
}

/** A binary min-heap on (at, order): ties go to the earlier-added item, so runs are repeatable. */
export class TimeQueue<T> {
	#items: Entry<T>[] = [];
	#added = 0;

	get size(): number {
		return this.#items.length;
	}

	peek(): Entry<T> | undefined {
		return this.#items[0];
	}

	push(at: number, item: T, order = this.#added): void {
		this.#added += 1;
		const items = this.#items;
		items.push({ at, order, item });
		let i = items.length - 1;
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (!before(items[i]!, items[parent]!)) break;
			[items[i], items[parent]] = [items[parent]!, items[i]!];
			i = parent;
		}
	}

	pop(): Entry<T> | undefined {
		const items = this.#items;
		const top = items[0];
		const last = items.pop();
		if (!top || !last || items.length === 0) return top;
		items[0] = last;
		let i = 0;
		for (;;) {
			const l = 2 * i + 1;
			const r = l + 1;
			let m = i;
			if (l < items.length && before(items[l]!, items[m]!)) m = l;
			if (r < items.length && before(items[r]!, items[m]!)) m = r;
			if (m === i) break;
			[items[i], items[m]] = [items[m]!, items[i]!];
			i = m;
		}
		return top;
	}
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
	return a.at !== b.at ? a.at < b.at : a.order < b.order;
}

/** One participant's pending steps. A step is never earlier than the one that added it. */
export class Agenda {
	#queue = new TimeQueue<Step>();
	#clock = -Infinity;

	add(at: number, step: Step): void {
		this.#queue.push(Math.max(at, this.#clock), step);
	}

	/** Runs the steps in time order up to `until`, yielding each step's time before running it. */
	async *run(until: number): AsyncGenerator<number, void, undefined> {
		for (;;) {
			const next = this.#queue.peek();
			if (!next || next.at > until) return;
			yield next.at;
			this.#queue.pop();
			this.#clock = next.at;
			await next.item(next.at);
		}
	}
}

export interface Runner {
	/** No step of this runner comes before this instant; runners arrive in this order. */
	notBefore: number;
	steps: () => AsyncGenerator<number, void, undefined>;
}

/**
 * Merges the runners' steps into one time order. A runner is started only when the clock reaches
 * its `notBefore`, so memory holds the participants enrolled so far, not all of them.
 */
export async function runInTimeOrder(runners: Iterator<Runner>): Promise<void> {
	const queue = new TimeQueue<AsyncGenerator<number, void, undefined>>();
	let pending = runners.next();
	let order = 0;
	for (;;) {
		while (!pending.done && (queue.size === 0 || pending.value.notBefore <= queue.peek()!.at)) {
			const steps = pending.value.steps();
			const first = await steps.next();
			if (!first.done) queue.push(first.value, steps, order++);
			pending = runners.next();
		}
		const top = queue.pop();
		if (!top) return;
		const next = await top.item.next();
		if (!next.done) queue.push(next.value, top.item, top.order);
	}
}
