import { execSync } from 'node:child_process';
import fs from 'node:fs';

/** Linux counts CPU time in clock ticks of 10 ms. */
const TICK_MS = 10;

/** CPU time (user + system) a process, or one of its threads, has used so far, in ms. */
export function cpuMs(pid: number, tid?: number): number {
  const stat = fs.readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
  // The fields after the command name (which may hold spaces) start at its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** The local MariaDB (or MySQL) server's pid. */
export function databaseServerPid(): number {
  return Number(execSync('pgrep -o -x mariadbd || pgrep -o -x mysqld').toString().trim());
}

/** The machine's idle and total CPU ticks so far (all cores): the idle share between two readings is their ratio of differences. */
export function machineTicks(): { idle: number; total: number } {
  const [, ...counts] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const ticks = counts.map(Number);
  return { idle: ticks[3]! + ticks[4]!, total: ticks.reduce((a, b) => a + b, 0) };
}

/**
 * CPU time (ms) of a server and all its processes so far: its own, that of its children
 * that have exited and been waited for, and that of the children still running (a
 * PostgreSQL backend per connection). Between two readings the difference is what the
 * server spent, provided no child exits between its last reading and its parent's wait.
 */
export function processTreeCpuMs(pid: number): number {
  const fields = statFields(pid);
  if (!fields) return 0;
  // utime, stime, cutime, cstime: fields 14–17 of /proc/<pid>/stat.
  const own = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * TICK_MS;
  return own + childPids(pid).reduce((sum, child) => sum + processTreeCpuMs(child), 0);
}

function statFields(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // it exited since it was listed
  }
}

function childPids(pid: number): number[] {
  const tasks = fs.existsSync(`/proc/${pid}/task`) ? fs.readdirSync(`/proc/${pid}/task`) : [];
  return tasks.flatMap((tid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}
