import type { UserActor } from '$lib/server/runtime/context';

declare global {
	namespace App {
		interface Locals {
			requestId: string;
			user: UserActor | null;
			mustChangePassword: boolean;
		}
		interface Error {
			message: string;
			/** Quote this to the administrator; the details are in the server log. */
			id?: string;
		}
	}
}

export {};
