// The start of every load under /participants/[id]: who is reading, their context, and the
// participant, which the service gives only to a reader at its site (else the page is a 404).
import type { RequestEvent } from '@sveltejs/kit';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { idParam } from '$lib/server/runtime/params';
import { getParticipant } from '$lib/server/services/capture/participants';

/** The roles that read a participant's record (each service checks the site as well). */
export const PARTICIPANT_READERS = [
	'coordinator',
	'investigator',
	'auditor',
	'monitor',
	'admin'
] as const;

export async function participantPage(event: RequestEvent<{ id: string }>) {
	const user = requirePageUser(event, ...PARTICIPANT_READERS);
	const ctx = contextOf(event);
	const id = idParam(event);
	const participant = await loadOr404(getParticipant(ctx, id));
	return { user, ctx, id, participant };
}
