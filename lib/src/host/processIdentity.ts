/**
 * Who holds a lock, in a form that proves it: a pid alone is not enough (after a reboot, or once the pid
 * is reused, a lock naming pid 1 or any other live process would block a run forever). The record also
 * holds the process's start time (field 22 of /proc/<pid>/stat, in clock ticks since boot) and the boot
 * id (/proc/sys/kernel/random/boot_id): the holder is alive only if a process with that pid runs now,
 * started at that moment, in this boot. Where /proc is missing (macOS), the pid check is all there is.
 */
import * as fs from 'fs';
import { randomBytes } from 'crypto';

export interface ProcessRecord {
  pid: number;
  /** Start time of the process in clock ticks since boot; null where /proc is missing. */
  start: string | null;
  boot: string | null;
  /** Distinguishes two claims made by one process. */
  token: string;
}

function readOr(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The start time of `pid` from /proc, or null (no /proc, or no such process). */
export function processStartTime(pid: number): string | null {
  const stat = readOr(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // the command name (field 2) is in parentheses and may hold spaces: count fields after its last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null; // field 22 overall; fields here start at field 3
}

export function bootId(): string | null {
  return readOr('/proc/sys/kernel/random/boot_id')?.trim() ?? null;
}

const hasProc = (): boolean => fs.existsSync('/proc/self/stat');

/** A record that names this process. */
export function thisProcess(): ProcessRecord {
  return {
    pid: process.pid,
    start: processStartTime(process.pid),
    boot: bootId(),
    token: randomBytes(8).toString('hex'),
  };
}

/** Whether process `pid` runs (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process a lock record names still runs. A record with start time and boot id must match
 * both; an old record that is a bare pid counts only if that process is alive and is a Node process
 * (which every tsgan trainer is), so pid 1 or a reused pid of another program never blocks a run.
 */
export function recordAlive(r: ProcessRecord | number): boolean {
  const pid = typeof r === 'number' ? r : r.pid;
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (!hasProc()) return processAlive(pid);
  const start = processStartTime(pid);
  if (start === null) return false;
  if (typeof r === 'number')
    return /(^|\/)node(\0|$)/.test((readOr(`/proc/${pid}/cmdline`) ?? '').split('\0')[0] + '\0');
  if (r.boot !== null && r.boot !== bootId()) return false;
  return r.start === start;
}

/** Parses a lock file's text: a JSON record, or the bare pid of older tsgan versions; null when it is neither. */
export function parseRecord(text: string): ProcessRecord | number | null {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  try {
    const r = JSON.parse(t);
    if (
      Number.isSafeInteger(r?.pid) &&
      (r.start === null || typeof r.start === 'string') &&
      (r.boot === null || typeof r.boot === 'string') &&
      typeof r.token === 'string'
    )
      return r as ProcessRecord;
  } catch {
    // not JSON: a damaged lock, which holds nothing
  }
  return null;
}
