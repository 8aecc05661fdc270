import type { Role } from '@hookgraph/client';
import { Option, type Command } from 'commander';
import { clientFor } from './connection';
import { usageError } from './exit-codes';
import { collect } from './pages';
import { jsonOption, parseLimit, printJson, printTable, refuseOnUserErrors } from './output';

const ROLES: readonly Role[] = ['ADMIN', 'PUBLISHER', 'VIEWER'];

function parseRole(text: string): Role {
  const role = text.toUpperCase() as Role;
  if (!ROLES.includes(role)) throw usageError(`--role must be one of ${ROLES.join(', ')}, got ${text}`);
  return role;
}

/** `hookgraph keys create | list | revoke`. */
export function keysCommand(program: Command): void {
  const keys = program.command('keys').description('API keys (needs an ADMIN key)');

  keys
    .command('create')
    .description('create a key; it is printed once')
    .addOption(new Option('--role <role>', `ADMIN, PUBLISHER or VIEWER`).argParser(parseRole).makeOptionMandatory())
    .option('--tenant <uid>', 'a key of this tenant only')
    .option('--name <name>', 'what the key is for', 'created by hookgraph keys create')
    .addOption(jsonOption())
    .action(async (opts: { role: Role; tenant?: string; name: string; json?: boolean }, command: Command) => {
      const created = await clientFor(command).keys.create({ role: opts.role, tenant: opts.tenant, name: opts.name });
      refuseOnUserErrors(created.userErrors);
      if (opts.json) return printJson({ apiKey: created.apiKey, key: created.key });
      process.stdout.write(`${created.key}\n`);
      process.stderr.write(`key ${created.apiKey?.id} (${opts.role}${opts.tenant ? `, tenant ${opts.tenant}` : ''}): shown once, store it now\n`);
    });

  keys
    .command('list')
    .description('list keys (never the keys themselves, only their last characters)')
    .option('--limit <n>', 'at most this many', parseLimit, 100)
    .addOption(jsonOption())
    .action(async (opts: { limit: number; json?: boolean }, command: Command) => {
      const client = clientFor(command);
      const nodes = await collect((page) => client.keys.list(page), opts.limit);
      if (opts.json) return printJson(nodes);
      printTable(
        ['ID', 'NAME', 'ROLE', 'HINT', 'TENANT', 'CREATED', 'REVOKED'],
        nodes.map((k) => [k.id, k.name, k.role, k.keyHint, k.tenantId, k.createdAt, k.revokedAt]),
      );
    });

  keys
    .command('revoke')
    .description('revoke a key: it stops working at once')
    .argument('<id>', 'the key id')
    .addOption(jsonOption())
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      const revoked = await clientFor(command).keys.revoke(id);
      refuseOnUserErrors(revoked.userErrors);
      if (opts.json) return printJson(revoked.apiKey);
      process.stdout.write(`revoked ${revoked.apiKey?.id}\n`);
    });
}
