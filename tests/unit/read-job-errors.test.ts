// A service's expected failure thrown inside a read job reaches the request thread as its own
// class, with its status and field errors: a page or the API answers it as if the job had run
// in-process (a 404 stays a 404, a bad filter keeps its field errors).
import { describe, expect, it } from 'vitest';
import { ReadJobError, workerFailure } from '../../src/lib/server/reads/pool';
import { workerError } from '../../src/lib/server/reads/messages';
import {
	ConflictError,
	ForbiddenError,
	NotFoundError,
	ServiceError,
	TooLargeError,
	ValidationError
} from '../../src/lib/server/runtime/errors';

/** As a worker sends it (structured clone) and the pool turns it back. */
const across = (e: unknown) => workerFailure(structuredClone(workerError(e)));

describe('read job failures', () => {
	it('come back as the service error thrown, with status, message and field errors', () => {
		const cases: ServiceError[] = [
			new NotFoundError('Participant'),
			new ForbiddenError('Not for you.'),
			new ConflictError('Changed meanwhile.', { version: ['stale'] }),
			new ValidationError({ after: ['This is not a page of overdue visits.'] }),
			new TooLargeError('Too many.', { readings: ['at most 500'] })
		];
		for (const thrown of cases) {
			const got = across(thrown);
			expect(got).toBeInstanceOf(thrown.constructor);
			expect(got).toMatchObject({
				name: thrown.name,
				message: thrown.message,
				status: thrown.status
			});
			if ('fieldErrors' in thrown) {
				expect((got as ValidationError).fieldErrors).toEqual(thrown.fieldErrors);
			}
		}
	});

	it('anything else is a ReadJobError with the message, never a service error', () => {
		const got = across(new TypeError('boom'));
		expect(got).toBeInstanceOf(ReadJobError);
		expect(got).not.toBeInstanceOf(ServiceError);
		expect(got).toMatchObject({ name: 'TypeError', message: 'boom' });
		expect(across('plain')).toMatchObject({ name: 'ReadJobError', message: 'plain' });
	});
});
