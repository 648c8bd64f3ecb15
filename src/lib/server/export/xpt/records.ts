// The fixed records of a SAS XPORT v5 file (SAS TS-140): 80-byte ASCII header records, the member
// descriptor, and one 140-byte NAMESTR per variable.
import type { DatasetSpec } from '../../../domain/sdtm';

export const RECORD = 80;
export const NAMESTR_LENGTH = 140;

const ascii = (text: string, width: number): Buffer => {
	const b = Buffer.alloc(width, 0x20);
	b.write(text.slice(0, width), 'latin1');
	return b;
};

const header = (kind: string, digits: string) =>
	ascii(`HEADER RECORD*******${kind.padEnd(8)}HEADER RECORD!!!!!!!${digits}`, RECORD);

const MONTHS = 'JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC'.split(' ');
const two = (n: number) => String(n).padStart(2, '0');

/** ddMMMyy:hh:mm:ss in UTC, as SAS writes creation and modification times. */
export function sasDateTime(d: Date): string {
	return (
		`${two(d.getUTCDate())}${MONTHS[d.getUTCMonth()]}${two(d.getUTCFullYear() % 100)}:` +
		`${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
	);
}

/** Library header, then the real header with the SAS version and times. */
export function libraryHeader(created: Date): Buffer {
	const stamp = sasDateTime(created);
	return Buffer.concat([
		header('LIBRARY', '0'.repeat(30) + '  '),
		ascii(`${'SAS'.padEnd(8)}${'SAS'.padEnd(8)}${'SASLIB'.padEnd(8)}${'9.4'.padEnd(8)}`, 48),
		ascii('', 16),
		ascii(stamp, 16),
		ascii(stamp, RECORD)
	]);
}

export interface XptVariable {
	name: string;
	label: string;
	numeric: boolean;
	/** Bytes in each observation: 8 for numbers, the longest value (at least 1) for text. */
	length: number;
}

/** One NAMESTR: type, length, number, name, label, formats (none) and position in the row. */
function namestr(v: XptVariable, number: number, position: number): Buffer {
	const b = Buffer.alloc(NAMESTR_LENGTH, 0);
	b.writeInt16BE(v.numeric ? 1 : 2, 0); // ntype
	b.writeInt16BE(0, 2); // nhfun
	b.writeInt16BE(v.length, 4); // nlng
	b.writeInt16BE(number, 6); // nvar0
	ascii(v.name, 8).copy(b, 8); // nname
	ascii(v.label, 40).copy(b, 16); // nlabel
	ascii('', 8).copy(b, 56); // nform
	// nfl, nfd, nfj (0: left), nfill: zero
	ascii('', 8).copy(b, 72); // niform
	// nifl, nifd: zero
	b.writeInt32BE(position, 84); // npos
	return b;
}

const padTo = (b: Buffer, size: number) =>
	b.length % size === 0 ? b : Buffer.concat([b, Buffer.alloc(size - (b.length % size), 0x20)]);

/** Member, descriptor and NAMESTR headers, up to and with the OBS header. */
export function memberHeader(spec: DatasetSpec, variables: XptVariable[], created: Date): Buffer {
	const stamp = sasDateTime(created);
	let position = 0;
	const namestrs = variables.map((v, i) => {
		const n = namestr(v, i + 1, position);
		position += v.length;
		return n;
	});
	return Buffer.concat([
		header('MEMBER', `${'0'.repeat(17)}16${'0'.repeat(8)}${NAMESTR_LENGTH}  `),
		header('DSCRPTR', '0'.repeat(30) + '  '),
		ascii(`${'SAS'.padEnd(8)}${spec.name.padEnd(8)}${'SASDATA'.padEnd(8)}${'9.4'.padEnd(8)}`, 40),
		ascii('', 24),
		ascii(stamp, 16),
		ascii(stamp, 16),
		ascii('', 16),
		ascii(spec.label, 40),
		ascii('', 8),
		header('NAMESTR', `000000${String(variables.length).padStart(4, '0')}${'0'.repeat(20)}  `),
		padTo(Buffer.concat(namestrs), RECORD),
		header('OBS', '0'.repeat(30) + '  ')
	]);
}

export { padTo };
