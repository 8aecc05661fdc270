import type { Command } from 'commander';
import { clientFor } from './connection';
import { deliveryLine } from './delivery-line';
import { addFilterOptions, toFilter, type FilterOptions } from './delivery-filter';
import { jsonOption, printJson } from './output';

/**
 * `hookgraph tail`: every delivery change live from the deliveryUpdated subscription, a
 * line each (NDJSON with --json). The client reconnects by itself; Ctrl-C (or SIGTERM)
 * stops it and exits 0. It ends with an error only when the server refuses the key.
 */
export function tailCommand(program: Command): void {
  addFilterOptions(program.command('tail').description('print every delivery change live (Ctrl-C stops)'))
    .addOption(jsonOption())
    .action(async (opts: FilterOptions & { json?: boolean }, command: Command) => {
      let connectedBefore = false;
      let stopping = false;
      const client = clientFor(command, {
        onConnectionChange: (state) => {
          if (state === 'connected') {
            process.stderr.write(connectedBefore ? 'tail: connected again\n' : 'tail: connected, waiting for deliveries\n');
            connectedBefore = true;
          } else if (connectedBefore && !stopping) process.stderr.write('tail: connection lost, reconnecting\n');
        },
      });
      try {
        await new Promise<void>((resolve, reject) => {
          const stop = client.subscribeDeliveries(
            toFilter(opts),
            (delivery) => (opts.json ? printJson(delivery) : process.stdout.write(deliveryLine(delivery) + '\n')),
            {
              error: reject,
              complete: resolve,
            },
          );
          const interrupt = () => {
            stopping = true;
            stop();
            resolve();
          };
          process.once('SIGINT', interrupt);
          process.once('SIGTERM', interrupt);
        });
      } finally {
        await client.dispose();
      }
    });
}
