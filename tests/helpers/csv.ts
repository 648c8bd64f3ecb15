// Reading CSV back in tests: RFC 4180 (quoted fields, doubled quotes, CRLF records).

export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i]!;
		if (quoted && ch === '"' && text[i + 1] === '"') {
			field += '"';
			i++;
		} else if (ch === '"') {
			quoted = !quoted;
		} else if (!quoted && ch === ',') {
			row.push(field);
			field = '';
		} else if (!quoted && ch === '\r' && text[i + 1] === '\n') {
			rows.push([...row, field]);
			row = [];
			field = '';
			i++;
		} else {
			field += ch;
		}
	}
	// Every record ends with CRLF, so nothing may be left over.
	if (field !== '' || row.length > 0) throw new Error(`CSV does not end with CRLF: ${field}`);
	return rows;
}
