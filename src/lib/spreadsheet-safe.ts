// The one rule for a CSV cell that a spreadsheet may open (OWASP CSV injection, CWE-1236; ASVS
// 1.2.10): text that starts with = + - @, a tab, CR, LF or NUL is read as a formula by Excel,
// LibreOffice and Google Sheets, so such text gets a leading apostrophe, which they show as
// text. Machine values keep their exact form: numbers (-12.5, +3, 1e-3) and ISO 8601 durations
// (-PT30M) cannot call a function. Used by every CSV writer (server exports and chart downloads).

const FORMULA_START = /^[=+\-@\t\r\n\0]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_DURATION =
	/^[+-]?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:[.,]\d+)?S)?)?$/;

export function spreadsheetSafe(text: string): string {
	if (!FORMULA_START.test(text)) return text;
	if (PLAIN_NUMBER.test(text) || ISO_DURATION.test(text)) return text;
	return `'${text}`;
}
