// Per test file: a key directory of its own (signing keys made by one file are not another's) and
// no witness log unless a test names one.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.VIGIL_KEY_DIR = mkdtempSync(join(tmpdir(), 'vigil-test-keys-'));
process.env.VIGIL_WITNESS_FILE = 'none';
