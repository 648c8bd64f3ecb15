// The second core's share of building the bench's trial: the copied audit rows' hashes, computed
// in order while the builder inserts the rows (trial-chain.ts). One message per batch of copies.
import { parentPort, workerData } from 'node:worker_threads';
import { chainHashes, type ChainJob } from './trial-chain';

for (const batch of chainHashes(workerData as ChainJob)) parentPort!.postMessage(batch);
