import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

/** Where Debian's `postgresql` package puts a major version's binaries. */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
/** PostgreSQL refuses to run as root: the bench runs the cluster as this user then (Debian's package creates it). */
const POSTGRES_USER = 'postgres';

/** The newest installed PostgreSQL's bin directory with initdb and pg_ctl, or null when there is none. */
export function postgresBinDir(root = DEBIAN_POSTGRES_ROOT): string | null {
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')) && fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0]!, 'bin') : null;
}

export const POSTGRES_SKIP_MESSAGE = `no PostgreSQL binaries under ${DEBIAN_POSTGRES_ROOT}/<version>/bin: run bench/tools/setup-postgres.sh`;

/**
 * A throw-away PostgreSQL cluster in a temporary directory (initdb, then pg_ctl), on a free
 * loopback port, with trust authentication for its own superuser; `stop()` shuts it down
 * and removes the directory. Durability settings are PostgreSQL's defaults (fsync and
 * synchronous commit on), as MariaDB's are left at theirs.
 */
export class PostgresCluster {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    private readonly user: { uid: number; gid: number } | null,
    readonly url: string,
    readonly pid: number,
  ) {}

  static async start(bin: string): Promise<PostgresCluster> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-bench-pg-'));
    const user = process.getuid?.() === 0 ? systemUser(POSTGRES_USER) : null;
    if (user) fs.chownSync(dir, user.uid, user.gid);
    const run = (tool: string, args: string[]) => execFileSync(path.join(bin, tool), args, { stdio: ['ignore', 'ignore', 'pipe'], ...(user ?? {}), cwd: dir });
    const data = path.join(dir, 'data');
    try {
      run('initdb', ['-D', data, '-U', 'bench', '--auth=trust', '-E', 'UTF8', '--no-sync']);
      const port = await freePort();
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
      run('pg_ctl', ['start', '-w', '-D', data, '-l', path.join(dir, 'server.log'), '-o', options]);
      const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return new PostgresCluster(bin, dir, user, `postgres://bench@127.0.0.1:${port}/postgres`, pid);
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  stop(): void {
    try {
      execFileSync(path.join(this.bin, 'pg_ctl'), ['stop', '-w', '-m', 'fast', '-D', path.join(this.dir, 'data')], {
        stdio: 'ignore',
        ...(this.user ?? {}),
        cwd: this.dir,
      });
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

function systemUser(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, name]).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}
