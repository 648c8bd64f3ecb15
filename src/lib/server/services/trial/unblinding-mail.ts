// The e-mail to the study's unblinding contact after an emergency unblinding (E6(R3) §2.11:
// promptly documented and explained to the sponsor). Sent through the alert mailer (VIGIL_SMTP_URL)
// after the unblinding is committed, and audited like every alert. It names the participant, who,
// when and why, never the arm.

export interface UnblindingNotice {
	to: string;
	studyCode: string;
	subjectCode: string;
	siteCode: string;
	investigator: string;
	at: string;
	reason: string;
}

export type MailResult = { sent: true } | { sent: false; why: string };

export function unblindingMessage(n: UnblindingNotice) {
	return {
		to: n.to,
		subject: `[Vigil] Emergency unblinding: ${n.studyCode} participant ${n.subjectCode}`,
		text: [
			`An investigator unblinded one participant for a medical emergency.`,
			``,
			`Study: ${n.studyCode}`,
			`Site: ${n.siteCode}`,
			`Participant: ${n.subjectCode}`,
			`Unblinded by: ${n.investigator}`,
			`When (UTC): ${n.at}`,
			`Reason: ${n.reason}`,
			``,
			`The allocated arm is not in this message. Assess the impact on the trial (ICH E6(R3) §4.1.4).`
		].join('\n')
	};
}
