import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config';
import { parseSecretKey } from '../../config';

/**
 * The master key for secrets at rest. Production must configure it; development
 * generates one into the data folder on first start and reuses it afterwards.
 */
export function resolveMasterKey(config: Config): { key: Buffer; generatedAt?: string } {
  if (config.secretKey) return { key: config.secretKey };
  const file = path.join(config.dataDir, 'secret.key');
  if (fs.existsSync(file)) {
    const key = parseSecretKey(fs.readFileSync(file, 'utf8'));
    if (key) return { key };
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600 });
  return { key, generatedAt: file };
}
