// Finds Debian's Chromium (or CHROMIUM_PATH); Playwright's own browser download is not used.
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | null {
	const configured = process.env.CHROMIUM_PATH;
	if (configured) return existsSync(configured) ? configured : null;
	return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export const CHROMIUM_MISSING = `
The browser tests need Chromium, and none was found.
  Install it:   sudo apt-get install -y chromium
  or point to one:   CHROMIUM_PATH=/path/to/chromium npm test
(${process.env.CHROMIUM_PATH ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist` : `looked in ${CANDIDATES.join(', ')}`})
`;

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
