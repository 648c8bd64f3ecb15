// The exports page in the built server (exports run on read workers there): an auditor finds each
// SDTM dataset as CSV and XPT and define.xml with the same filters, and the XPT file downloaded
// through the page's link is a SAS XPORT v5 file readstat reads. An admin sets a site's country.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, openContext, signIn } from './setup/browser';

let auditor: BrowserContext;
let admin: BrowserContext;
let dir: string;
beforeAll(async () => {
	auditor = await openContext();
	admin = await openContext();
	dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-xpt-'));
});
afterAll(async () => {
	await auditor.close();
	await admin.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('submission exports', () => {
	it('offers CSV, XPT and define.xml with the filters, and the XPT reads back', async () => {
		const page = await auditor.newPage();
		await signIn(page, 'auditor@demo.vigil.test');
		await page.waitForURL((url) => url.pathname !== '/login');
		await page.goto('/exports?from=2020-01-01&to=');
		await expectAccessible(page);
		const xpt = page.getByRole('link', { name: 'Download SDTM EX (XPT)' });
		expect(await xpt.getAttribute('href')).toBe('/api/v1/exports/xpt/ex?from=2020-01-01');
		const define = page.getByRole('link', { name: 'Download Dataset definitions (define.xml)' });
		expect(await define.getAttribute('href')).toBe('/api/v1/exports/define?from=2020-01-01');
		expect(await page.getByRole('link', { name: 'Download SDTM SV (CSV)' }).count()).toBe(1);

		const cookies = await auditor.cookies();
		const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
		const res = await fetch(`${inject('baseUrl')}${await xpt.getAttribute('href')}`, {
			headers: { cookie }
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/x-sas-xport');
		const file = join(dir, 'ex.xpt');
		writeFileSync(file, Buffer.from(await res.arrayBuffer()));
		const meta = execFileSync('readstat', [file], { encoding: 'utf8' });
		expect(meta).toContain('Table name: EX');
		const csv = execFileSync('readstat', [file, '-'], { encoding: 'utf8' });
		expect(csv.split('\n')[0]).toContain('"EXTRT"');
		expect(csv).toContain('"MDMA"');

		const defineRes = await fetch(`${inject('baseUrl')}/api/v1/exports/define`, {
			headers: { cookie }
		});
		expect(defineRes.status).toBe(200);
		expect(await defineRes.text()).toContain('def:DefineVersion="2.1.0"');
	});

	it('lets an admin set a site country, with a field error for a wrong code', async () => {
		const page = await admin.newPage();
		await signIn(page, 'admin@demo.vigil.test');
		await page.waitForURL('**/admin');
		await page.goto('/admin/sites');
		await page.getByRole('link', { name: '02' }).click();
		await page.waitForURL('**/admin/sites/*');
		await expectAccessible(page);
		expect(await page.getByLabel('Country').inputValue()).toBe('USA');
		await page.getByLabel('Country').fill('US');
		await page.getByLabel('Reason for change').fill('checking the code');
		await page.getByRole('button', { name: 'Save changes' }).click();
		await expect.poll(() => page.locator('#country-errors').textContent()).toContain('ISO 3166-1');
		expect(await page.getByLabel('Country').inputValue()).toBe('US');
	});
});
