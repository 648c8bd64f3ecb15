// Stratification (DOMAIN-2.md §1 [D]): site × baseline MADRS band, below 35 and 35 or more
// (Snaith 1986's "severe" cut, DOMAIN.md §2). Few factors, as E9 §2.3.2 asks for small sites.
import type { RandomisationSettings } from './settings';

export interface StratumInput {
	siteCode: string;
	/** The baseline total of the stratifying scale; required when the protocol stratifies by it. */
	baselineScore: number | null;
}

export type StratumResult = { ok: true; stratum: string } | { ok: false; message: string };

/** "01|MADRS<35", "02|MADRS>=35", or "01" / "all" when a factor is not used. */
export function stratumOf(settings: RandomisationSettings, input: StratumInput): StratumResult {
	const parts: string[] = [];
	if (settings.stratifyBySite) parts.push(input.siteCode);
	const band = settings.severityBand;
	if (band) {
		if (input.baselineScore === null || !Number.isFinite(input.baselineScore)) {
			return {
				ok: false,
				message: `A complete baseline ${band.scale} is needed to choose the stratum.`
			};
		}
		parts.push(
			input.baselineScore >= band.cut ? `${band.scale}>=${band.cut}` : `${band.scale}<${band.cut}`
		);
	}
	return { ok: true, stratum: parts.length ? parts.join('|') : 'all' };
}
