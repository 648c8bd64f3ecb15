// The public half of the signing key and the latest checkpoint, for an admin to compare with a
// bundle's key. Reading never creates the key: the server makes it when it starts.
import { checkpointMinutes } from '../../audit/checkpoints';
import { existingSigningKey, signingKeyPath } from '../../audit/signing-key';
import { requireRole } from '../../auth/access';
import { latestCheckpoint } from '../../repositories/audit-checkpoints';
import type { ServiceContext } from '../../runtime/context';
import { NotFoundError } from '../../runtime/errors';

export interface SigningKeyOverview {
	fingerprint: string;
	publicKeyPem: string;
	keyFile: string;
	checkpointMinutes: number;
	lastCheckpoint: { id: number; seq: number; hash: string; at: string } | null;
}

export async function signingKeyOverview(ctx: ServiceContext): Promise<SigningKeyOverview> {
	requireRole(ctx.actor, 'admin');
	const keyFile = signingKeyPath();
	const key = existingSigningKey(keyFile);
	if (!key) throw new NotFoundError('Signing key');
	const last = await latestCheckpoint(ctx.db);
	return {
		fingerprint: key.fingerprint,
		publicKeyPem: key.publicKeyPem,
		keyFile,
		checkpointMinutes: checkpointMinutes(),
		lastCheckpoint: last
			? { id: last.id, seq: last.seq, hash: last.hash, at: last.signed_at }
			: null
	};
}
