import { z } from 'zod';
import { reasonText } from './input';
import { ROLES } from '../roles';

export const email = z
	.string({ error: 'Enter an email address.' })
	.trim()
	.toLowerCase()
	.pipe(z.email('Enter a valid email address.'));

const role = z.enum(ROLES, { error: `Choose a role: ${ROLES.join(', ')}.` });
const siteCodes = z.array(z.string().trim().toUpperCase().min(1)).default([]);

export const userInput = z.object({
	email,
	name: z.string({ error: 'Enter the full name.' }).trim().min(1, 'Enter the full name.').max(200),
	role,
	sites: siteCodes
});
export type UserInput = z.infer<typeof userInput>;

export const userUpdate = z.object({
	name: z.string().trim().min(1, 'Enter the full name.').max(200),
	role,
	sites: siteCodes,
	reason: reasonText('Give a reason for the change.')
});
export type UserUpdate = z.infer<typeof userUpdate>;

export const reasonInput = z.object({
	reason: reasonText('Give a reason.')
});

export const signInInput = z.object({
	email: z.string().trim().toLowerCase().min(1, 'Enter your email address.'),
	password: z.string().min(1, 'Enter your password.')
});

/** A six-digit authenticator code, or one of the recovery codes (xxxx-xxxx-xxxx-xxxx). */
export const secondFactorCodeInput = z.object({
	code: z
		.string()
		.trim()
		.min(1, 'Enter the code from your authenticator app, or a recovery code.')
		.max(64, 'That is not a code Vigil gave you.')
});

export const passwordChangeInput = z
	.object({
		currentPassword: z.string().min(1, 'Enter your current password.'),
		newPassword: z.string().min(1, 'Enter a new password.'),
		confirmPassword: z.string()
	})
	.refine((v) => v.newPassword === v.confirmPassword, {
		path: ['confirmPassword'],
		message: 'The two new passwords differ.'
	});
