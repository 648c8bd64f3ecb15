// The server's answers seen from outside: headers, CSRF, errors.
import { describe, expect, inject, it } from 'vitest';

const base = () => inject('baseUrl');

async function signInCookie(email: string): Promise<string> {
	const res = await fetch(`${base()}/login`, {
		method: 'POST',
		headers: { origin: base(), 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password: inject('demoPassword') }),
		redirect: 'manual'
	});
	const cookie = res.headers.get('set-cookie') ?? '';
	const match = /vigil_session=([^;]+)/.exec(cookie);
	if (!match) throw new Error(`sign-in failed: ${res.status}`);
	return `vigil_session=${match[1]}`;
}

describe('HTTP', () => {
	it('sends security headers with a nonce-based CSP on every page', async () => {
		const res = await fetch(`${base()}/login`);
		const csp = res.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('referrer-policy')).toBe('same-origin');
		const again = await fetch(`${base()}/login`);
		expect(again.headers.get('content-security-policy')).not.toBe(csp);
	});

	it('a page is sent whole, without an ETag: its nonce differs on every response', async () => {
		const first = await fetch(`${base()}/login`);
		expect(first.headers.get('etag')).toBeNull();
		// A browser asking again with an old tag gets the page, never an empty 304.
		const again = await fetch(`${base()}/login`, { headers: { 'if-none-match': '"x"' } });
		expect(again.status).toBe(200);
		expect(await again.text()).toContain('<form');
	});

	it('the session cookie is HttpOnly and signed-in pages are not cached', async () => {
		const res = await fetch(`${base()}/login`, {
			method: 'POST',
			headers: { origin: base(), 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				email: 'coordinator@demo.vigil.test',
				password: inject('demoPassword')
			}),
			redirect: 'manual'
		});
		const setCookie = res.headers.get('set-cookie') ?? '';
		expect(setCookie).toMatch(/HttpOnly/i);
		expect(setCookie).toMatch(/SameSite=Lax/i);
		// Plain http here, so no Secure flag (it follows the protocol).
		expect(setCookie).not.toMatch(/Secure/i);
		const cookie = await signInCookie('coordinator@demo.vigil.test');
		const page = await fetch(`${base()}/sites`, { headers: { cookie } });
		expect(page.status).toBe(200);
		expect(page.headers.get('cache-control')).toBe('no-store');
	});

	it('refuses a cross-site form post', async () => {
		const res = await fetch(`${base()}/login`, {
			method: 'POST',
			headers: {
				origin: 'https://evil.example',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ email: 'a@b.c', password: 'x' })
		});
		expect(res.status).toBe(403);
	});

	it("another site's page answers 404 and says nothing about that site", async () => {
		const cookie = await signInCookie('coordinator@demo.vigil.test');
		const own = await fetch(`${base()}/sites/01`, { headers: { cookie } });
		expect(own.status).toBe(200);
		const other = await fetch(`${base()}/sites/02`, { headers: { cookie } });
		expect(other.status).toBe(404);
		const html = await other.text();
		expect(html).toContain('Not found');
		expect(html).not.toContain('Bay Area');
	});

	it('a role without access to a page gets 403, not the page', async () => {
		const cookie = await signInCookie('coordinator@demo.vigil.test');
		const res = await fetch(`${base()}/admin/users`, { headers: { cookie } });
		expect(res.status).toBe(403);
		expect(await res.text()).not.toContain('admin@demo.vigil.test');
	});

	it('a NUL character in an address or a form is a clear refusal, never a 500', async () => {
		const cookie = await signInCookie('coordinator@demo.vigil.test');
		for (const path of [
			'/sites/01?site=%00',
			'/cohort?site=a%00b',
			'/api/v1/participants?site=%00'
		]) {
			const res = await fetch(`${base()}${path}`, { headers: { cookie } });
			expect(res.status, path).toBe(400);
			expect((await res.json()).error.message).toMatch(/cannot read/);
		}
		const form = await fetch(`${base()}/login`, {
			method: 'POST',
			headers: { origin: base(), 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email: 'coordinator\u0000@demo.vigil.test', password: 'x' }),
			redirect: 'manual'
		});
		expect(form.status).toBeLessThan(500);
	});
});
