// Permuted blocks with random block sizes, one list per stratum (E9 §2.3.2; DOMAIN-2.md §1).
// Each stratum's list comes from its own PRNG stream named by the stratum, so a stratum opened
// later (a new site) gets its list from the same seed without changing any list already in use.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { NamedPrng, PRNG_NAME } from './prng';

export const ALLOCATION_ALGORITHM = `permuted-blocks/${PRNG_NAME}/v1` as const;

export interface ArmRatio {
	code: string;
	ratio: number;
}

export interface AllocationParameters {
	/** Hex from a CSPRNG, at least 128 bits. */
	seed: string;
	arms: readonly ArmRatio[];
	/** Each a whole multiple of the sum of the ratios. */
	blockSizes: readonly number[];
	/** At least this many slots; whole blocks only, so the list may run a little longer. */
	slotsPerStratum: number;
}

export interface AllocationSlot {
	stratum: string;
	/** 1, 2, … in the order slots are used. */
	sequence: number;
	block: number;
	blockSize: number;
	arm: string;
	/** What blinded users see: six digits that say nothing about the arm. */
	kit: string;
}

export function ratioSum(arms: readonly ArmRatio[]): number {
	return arms.reduce((s, a) => s + a.ratio, 0);
}

/** Why these parameters cannot make a balanced list, or null. */
export function allocationProblem(p: AllocationParameters): string | null {
	if (!/^[0-9a-f]{32,}$/.test(p.seed)) {
		return 'The seed must be at least 128 bits of lower-case hex.';
	}
	if (p.arms.length < 2) return 'Give at least two arms.';
	if (new Set(p.arms.map((a) => a.code)).size !== p.arms.length) return 'Arm codes must differ.';
	if (p.arms.some((a) => !Number.isInteger(a.ratio) || a.ratio < 1)) {
		return 'Each ratio is a whole number of at least 1.';
	}
	const unit = ratioSum(p.arms);
	if (p.blockSizes.length === 0) return 'Give at least one block size.';
	if (p.blockSizes.some((b) => !Number.isInteger(b) || b < unit || b % unit !== 0)) {
		return `Every block size must be a whole multiple of ${unit} (the sum of the ratios).`;
	}
	if (!Number.isInteger(p.slotsPerStratum) || p.slotsPerStratum < 1) {
		return 'Slots per stratum must be a whole number of at least 1.';
	}
	return null;
}

function oneBlock(prng: NamedPrng, arms: readonly ArmRatio[], size: number): string[] {
	const copies = size / ratioSum(arms);
	const filled = arms.flatMap((a) => Array<string>(a.ratio * copies).fill(a.code));
	return prng.shuffle(filled);
}

/** Six-digit kit numbers, distinct within the stratum's list, from their own stream. */
function kitNumbers(seed: string, stratum: string, count: number): string[] {
	const prng = new NamedPrng(seed, `kits/${stratum}`);
	const seen = new Set<number>();
	while (seen.size < count) seen.add(100000 + prng.below(900000));
	return [...seen].map(String);
}

/** One stratum's allocation list. Throws on parameters allocationProblem refuses. */
export function stratumAllocationList(p: AllocationParameters, stratum: string): AllocationSlot[] {
	const problem = allocationProblem(p);
	if (problem) throw new RangeError(problem);
	const prng = new NamedPrng(p.seed, `blocks/${stratum}`);
	const slots: Omit<AllocationSlot, 'kit'>[] = [];
	for (let block = 1; slots.length < p.slotsPerStratum; block++) {
		const size = p.blockSizes[prng.below(p.blockSizes.length)]!;
		for (const arm of oneBlock(prng, p.arms, size)) {
			slots.push({ stratum, sequence: slots.length + 1, block, blockSize: size, arm });
		}
	}
	// Kits are keyed by stratum and drawn after the arms, so no kit number tells an arm.
	const kits = kitNumbers(p.seed, stratum, slots.length);
	return slots.map((s, i) => ({ ...s, kit: `${kits[i]}` }));
}

/** SHA-256 over the list's canonical text, one slot a line: what the audit trail records. */
export function allocationDigest(slots: readonly AllocationSlot[]): string {
	const text = slots
		.map((s) => [s.stratum, s.sequence, s.block, s.blockSize, s.arm, s.kit].join(','))
		.join('\n');
	return encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
}
