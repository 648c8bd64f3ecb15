// PHQ-9 wording, shipped because Pfizer made the PHQ screeners free to use without copyright
// restriction (announcement of 23 Jul 2010; DOMAIN-2.md §5). Kroenke, Spitzer & Williams 2001.
import type { EproText } from './settings';

const FREQUENCY = [
	{ value: '0', label: 'Not at all' },
	{ value: '1', label: 'Several days' },
	{ value: '2', label: 'More than half the days' },
	{ value: '3', label: 'Nearly every day' }
];

const item = (text: string) => ({ text, options: FREQUENCY });

export const PHQ9_TEXT: EproText = {
	instructions:
		'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
	recallDays: 14, // PHQ-9 recall window: the last 2 weeks (DOMAIN-2.md §5)
	items: {
		'1': item('Little interest or pleasure in doing things'),
		'2': item('Feeling down, depressed, or hopeless'),
		'3': item('Trouble falling or staying asleep, or sleeping too much'),
		'4': item('Feeling tired or having little energy'),
		'5': item('Poor appetite or overeating'),
		'6': item(
			'Feeling bad about yourself — or that you are a failure or have let yourself or your family down'
		),
		'7': item(
			'Trouble concentrating on things, such as reading the newspaper or watching television'
		),
		'8': item(
			'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual'
		),
		'9': item('Thoughts that you would be better off dead or of hurting yourself in some way'),
		'10': {
			text: 'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?',
			options: [
				{ value: '0', label: 'Not difficult at all' },
				{ value: '1', label: 'Somewhat difficult' },
				{ value: '2', label: 'Very difficult' },
				{ value: '3', label: 'Extremely difficult' }
			],
			optional: true
		}
	}
};
