/** One entry point for scoring any administration, whatever the instrument. */
import { scoreCssrs, type CssrsScore } from './cssrs-score';
import { scoreScale, type ScaleScore } from './score';
import type { Answers, NumericScaleId, ScaleId } from './types';

export type AdministrationScore = ScaleScore | CssrsScore;

export function scoreAdministration(id: 'CSSRS', answers: Answers): CssrsScore;
export function scoreAdministration(id: NumericScaleId, answers: Answers): ScaleScore;
export function scoreAdministration(id: ScaleId, answers: Answers): AdministrationScore;
export function scoreAdministration(id: ScaleId, answers: Answers): AdministrationScore {
	return id === 'CSSRS' ? scoreCssrs(answers) : scoreScale(id, answers);
}
