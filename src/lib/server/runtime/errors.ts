// Expected failures of a service, each with the HTTP status a door (page, API, CLI) should use.
// Anything else thrown is unexpected and reaches handleError, which shows only a request id.

export type FieldErrors = Record<string, string[]>;

export class ServiceError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
		this.name = new.target.name;
	}
}

/** Not there, or not yours: the same answer, so other sites' records are not disclosed. */
export class NotFoundError extends ServiceError {
	constructor(what = 'Record') {
		super(404, `${what} not found.`);
	}
}

export class ForbiddenError extends ServiceError {
	constructor(message = 'Your role does not allow this.') {
		super(403, message);
	}
}

export class ConflictError extends ServiceError {
	constructor(
		message: string,
		readonly fieldErrors: FieldErrors = {}
	) {
		super(409, message);
	}
}

export class ValidationError extends ServiceError {
	constructor(
		readonly fieldErrors: FieldErrors,
		message = 'Please correct the highlighted fields.'
	) {
		super(422, message);
	}
}

export class AuthenticationError extends ServiceError {
	constructor(message = 'Incorrect email or password.') {
		super(401, message);
	}
}

/** A request asking for more work at once than the server allows (a setting says how much). */
export class TooLargeError extends ServiceError {
	constructor(
		message: string,
		readonly fieldErrors: FieldErrors = {}
	) {
		super(413, message);
	}
}
