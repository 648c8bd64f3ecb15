/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// Lets a bedside tablet that lost its network reload the dosing-session screen: the app's own
// files are kept (cache first: the static files at install, the built scripts and styles as they
// are used and those the kept page names), and a dosing session's entry page falls back to the
// reduced copy the page asked to keep (src/lib/offline/session-copy.ts). Nothing else is cached:
// other pages, form posts, `__data.json` and the JSON API always go to the network.
import { build, files, version } from '$service-worker';
import {
	COPY_KEPT_AT_HEADER,
	OFFLINE_COPY_HEADER,
	copiesToDrop,
	isSessionPagePath,
	type CopyMessage
} from '$lib/offline/session-copy';

const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL = `vigil-shell-${version}`;
/** Copies point at this version's files, so they are kept per version too. */
const COPIES = `vigil-session-copies-${version}`;
/** The app's own files: built scripts and styles (named by their content) and static files. */
const SHELL_FILES = new Set([...build, ...files]);

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(SHELL)
			.then((cache) => cache.addAll(files))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) {
				if (key !== SHELL && key !== COPIES) await caches.delete(key);
			}
			await tidyCopies();
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('message', (event) => {
	const message = event.data as CopyMessage | undefined;
	if (message?.type === 'keep-session-copy' && isSessionPagePath(message.path)) {
		event.waitUntil(keepCopy(message.path));
	}
});

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (request.method !== 'GET') {
		// Signing out leaves no participant's sheet on a shared tablet.
		if (url.pathname === '/logout') event.waitUntil(caches.delete(COPIES));
		return;
	}
	if (SHELL_FILES.has(url.pathname)) {
		event.respondWith(fromShell(request, event));
	} else if (request.mode === 'navigate' && url.search === '' && isSessionPagePath(url.pathname)) {
		event.respondWith(networkOrCopy(request, url.pathname));
	}
});

/** Cache first; a file fetched is kept without making the page wait for the cache. */
async function fromShell(request: Request, event: ExtendableEvent): Promise<Response> {
	const cache = await caches.open(SHELL);
	const cached = await cache.match(request);
	if (cached) return cached;
	const response = await fetch(request);
	if (response.ok) event.waitUntil(cache.put(request, response.clone()));
	return response;
}

/** A built module's reference to another (`"../chunks/x.js"`), static or import()ed. */
const MODULE_REFERENCE = /["'`](\.{1,2}\/[\w.\-/]+\.(?:js|css))["'`]/g;
/** Built files already kept with what they import (they never change: named by content). */
const followed = new Set<string>();

/**
 * Keeps the app files a page names (its scripts and styles), the layout and page modules it
 * starts (`node_ids`, found in the app's entry) and every file those load, also later with
 * import() (the rules the session page loads once a reading waits), so the page works offline
 * after a reload. The entry's other pages are not followed.
 */
async function keepFilesOf(html: string): Promise<void> {
	const cache = await caches.open(SHELL);
	const nodeIds = /node_ids:\s*\[([\d,\s]*)\]/.exec(html)?.[1]?.match(/\d+/g) ?? [];
	const queue = [...html.matchAll(/_app\/immutable\/[\w.\-/]+/g)].map((m) => `/${m[0]}`);
	while (queue.length > 0) {
		const path = queue.pop()!;
		if (followed.has(path) || !SHELL_FILES.has(path)) continue;
		let kept = await cache.match(path);
		if (!kept) {
			try {
				await cache.add(path);
			} catch {
				continue; // the network went: the copy is kept with the files kept so far
			}
			kept = await cache.match(path);
		}
		if (!kept || !path.endsWith('.js')) continue;
		const base = new URL(path, sw.location.origin);
		const refs = [...(await kept.text()).matchAll(MODULE_REFERENCE)].map((m) => m[1]!);
		const entry = /\/entry\/app\./.test(path);
		// The entry names every page: only this page's layout and page modules are followed.
		const wanted = entry
			? refs.filter((r) => nodeIds.some((id) => r.includes(`/nodes/${id}.`)))
			: refs;
		for (const ref of wanted) queue.push(new URL(ref, base).pathname);
		if (!entry) followed.add(path);
	}
}

/** The live page whenever the network answers; the kept copy only when it does not. */
async function networkOrCopy(request: Request, path: string): Promise<Response> {
	try {
		return await fetch(request);
	} catch {
		const copy = await (await caches.open(COPIES)).match(path);
		if (copy) return copy;
		return new Response(
			'<!doctype html><html lang="en"><meta charset="utf-8"><title>No connection · Vigil</title>' +
				'<main><h1>No connection</h1><p>This device keeps no copy of this session: open it ' +
				'once while connected. Write readings down until the connection is back.</p></main></html>',
			{ status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } }
		);
	}
}

/** Fetches the reduced copy of a session page and keeps it, with the time it was kept. */
async function keepCopy(path: string): Promise<void> {
	const cache = await caches.open(COPIES);
	let response: Response;
	try {
		response = await fetch(path, {
			headers: { [OFFLINE_COPY_HEADER]: '1' },
			credentials: 'same-origin',
			cache: 'no-store',
			redirect: 'manual'
		});
	} catch {
		return; // offline: the copy kept earlier stays
	}
	// Signed out, gone, or not the page: nothing is kept for this path any more.
	if (response.status !== 200 || !response.headers.get('content-type')?.includes('text/html')) {
		await cache.delete(path);
		return;
	}
	const html = await response.text();
	await keepFilesOf(html);
	const headers = new Headers(response.headers);
	headers.set(COPY_KEPT_AT_HEADER, new Date().toISOString());
	await cache.put(path, new Response(html, { status: 200, headers }));
	await tidyCopies();
}

async function tidyCopies(): Promise<void> {
	const cache = await caches.open(COPIES);
	const copies = await Promise.all(
		(await cache.keys()).map(async (request) => ({
			key: request.url,
			keptAt: (await cache.match(request))?.headers.get(COPY_KEPT_AT_HEADER) ?? null
		}))
	);
	for (const key of copiesToDrop(copies, new Date())) await cache.delete(key);
}
