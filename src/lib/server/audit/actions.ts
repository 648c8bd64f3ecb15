// The audit vocabulary. Each later feature adds its actions here, so the trail's filters know them.
export const AUDIT_ACTIONS = {
	signIn: 'auth.sign_in',
	signInFailed: 'auth.sign_in_failed',
	signInThrottled: 'auth.sign_in_throttled',
	signOut: 'auth.sign_out',
	sessionExpired: 'auth.session_expired',
	siteCreated: 'site.create',
	siteUpdated: 'site.update',
	userCreated: 'user.create',
	userUpdated: 'user.update',
	userDisabled: 'user.disable',
	userEnabled: 'user.enable',
	passwordChanged: 'user.password_change',
	passwordReset: 'user.password_reset'
} as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS];
