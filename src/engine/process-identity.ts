// Who runs a run: pid, host and the start of the process, recorded in run_history so that a later
// command can tell a run whose process is gone (SIGKILL, crash, full disk) from one still working,
// even after the pid has been reused by an unrelated process.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  readonly pid: number;
  readonly hostname: string;
  /** Opaque start stamp of the process (see processStart); null where the OS does not tell. */
  readonly start: string | null;
}

interface ProcStat {
  readonly state: string;
  readonly start: string;
}

function procStat(pid: number): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)" start at field 3 (state); starttime is field 22. comm may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const ticks = fields[19];
    return ticks && fields[0] ? { state: fields[0], start: `${bootId}/${ticks}` } : null;
  } catch {
    return null;
  }
}

/**
 * Linux: boot id + start time in clock ticks since boot (/proc/PID/stat field 22). A pid is reused
 * only by a process started later, and a reboot changes the boot id, so the pair names one process.
 * Exact, unlike a wall-clock time, which clock adjustments move. Null on systems without /proc.
 */
export function processStart(pid: number): string | null {
  return procStat(pid)?.start ?? null;
}

let self: ProcessIdentity | undefined;

export function currentProcess(): ProcessIdentity {
  self ??= { pid: process.pid, hostname: hostname(), start: processStart(process.pid) };
  return self;
}

/**
 * `gone`: the process that ran it has ended (or its pid now belongs to another process);
 * `alive`: it may still be working; `other_host`: it ran elsewhere and cannot be checked from here;
 * `unknown`: no process was recorded (a run started before courtside recorded one).
 */
export type Liveness = 'alive' | 'gone' | 'other_host' | 'unknown';

export function liveness(p: { readonly pid: number | null; readonly hostname: string | null; readonly start: string | null }): Liveness {
  if (p.pid === null || p.hostname === null) return 'unknown';
  if (p.hostname !== currentProcess().hostname) return 'other_host';
  try {
    process.kill(p.pid, 0); // signal 0: only asks whether the pid exists
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return 'gone';
    // EPERM: the pid exists but belongs to another user; its identity decides below.
  }
  if (p.start === null) return 'alive'; // nothing to tell a reused pid by: assume the run lives
  const now = procStat(p.pid);
  if (now === null) return 'alive'; // cannot look (no /proc): never declare a live run dead
  // A zombie has ended; only its parent has not collected it yet.
  return now.start === p.start && now.state !== 'Z' && now.state !== 'X' ? 'alive' : 'gone';
}
