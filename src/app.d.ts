import type { UserActor } from '$lib/server/runtime/context';

declare global {
	namespace App {
		interface Locals {
			requestId: string;
			user: UserActor | null;
			mustChangePassword: boolean;
			/** The role needs a second factor and the user has not set one up yet. */
			mustEnrolSecondFactor: boolean;
		}
		interface Error {
			message: string;
			/** Quote this to the administrator; the details are in the server log. */
			id?: string;
		}
	}
}

export {};
