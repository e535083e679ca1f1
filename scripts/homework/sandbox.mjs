// The operating-system sandbox a student's code runs in (issue 27). Node's permission model is used too, as a
// seat belt only. Three modes, chosen once per grading run:
//   root    bubblewrap as root: new PID, network, IPC and UTS namespaces, a private /proc, an empty tmpfs as
//           working directory, HOME and /tmp, read-only views of the system, node_modules and the library's
//           build only (never the checkout, homework/source, the submissions or the hidden cases), then
//           setpriv to a dedicated unprivileged uid (one per concurrent slot, locked in /run) with an
//           RLIMIT_NPROC; no capabilities, no new privileges, a scrubbed environment.
//   userns  the same without root, in a user namespace (where the kernel allows them): no dedicated uid.
//   none    neither works: the child runs as the teacher, in an empty directory with a scrubbed environment;
//           the grader says so loudly (README says what follows).
// In every mode: the child's whole process tree is killed at the end and at the time limit (the PID
// namespace's init dies with the sandbox; the slot's uid and the tree are swept as well), memory is bounded
// by polling the tree's resident size, and the parent never waits on a pipe a grandchild could hold.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { repoRoot } from './notebook.mjs';

const CHILD = path.join('lib', 'dist', 'homework', 'runtime', 'child.js');
const SANDBOX_ROOT = '/hw'; // where node_modules and lib/dist appear inside the sandbox
const HOME = '/home/student';
const UID_BASE = 1_900_000_000; // far above any uid a system hands out
const UID_SLOTS = 1000;
const LOCK_DIR = '/run/tsgan-homework';
const NPROC = 128; // threads count too: node alone uses ~12

const isRoot = () => process.getuid?.() === 0;
const which = (cmd) => ['/usr/bin', '/bin', '/usr/local/bin'].map((d) => path.join(d, cmd)).find((p) => fs.existsSync(p));

/** bwrap's arguments for a sandbox running `command` (inside paths). */
function bwrapArgs(mode, command) {
  const args = ['--die-with-parent', '--new-session', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try'];
  if (mode === 'userns') args.push('--unshare-user');
  for (const dir of ['/usr']) args.push('--ro-bind', dir, dir);
  for (const link of ['/bin', '/lib', '/lib64', '/sbin']) {
    try {
      const st = fs.lstatSync(link);
      if (st.isSymbolicLink()) args.push('--symlink', fs.readlinkSync(link), link);
      else args.push('--ro-bind', link, link);
    } catch {
      /* not on this system */
    }
  }
  // directories bwrap makes take the umask (root's may be 077): the slot's uid must be able to walk them
  for (const d of ['/etc', '/etc/ssl', '/home', SANDBOX_ROOT, `${SANDBOX_ROOT}/lib`]) args.push('--perms', '0755', '--dir', d);
  // the dynamic loader's cache and OpenSSL's configuration (node reads it at start): public system files
  for (const f of ['/etc/ld.so.cache', '/etc/ssl/openssl.cnf']) if (fs.existsSync(f)) args.push('--ro-bind', f, f);
  const nodePrefix = path.dirname(path.dirname(process.execPath));
  if (!process.execPath.startsWith('/usr/')) args.push('--ro-bind', nodePrefix, nodePrefix);
  args.push(
    '--proc', '/proc',
    '--dev', '/dev',
    '--perms', '1777', '--size', String(64 << 20), '--tmpfs', '/tmp',
    '--perms', '1777', '--size', String(64 << 20), '--tmpfs', HOME,
    '--ro-bind', path.join(repoRoot, 'node_modules'), `${SANDBOX_ROOT}/node_modules`,
    '--ro-bind', path.join(repoRoot, 'lib', 'dist'), `${SANDBOX_ROOT}/lib/dist`,
    '--chdir', HOME,
    '--clearenv', '--setenv', 'HOME', HOME, '--setenv', 'PATH', '/usr/bin:/bin', '--setenv', 'LANG', 'C.UTF-8',
    '--',
    ...command,
  );
  return args;
}

/** node with the permission model as a seat belt: it may read the runtime and nothing else. */
function nodeCommand(root) {
  // the runtime and its modules only (in the unsandboxed mode `root` is the checkout: not homework/source)
  const readable = [`${root}/node_modules/*`, `${root}/lib/dist/*`, '/etc/ssl/openssl.cnf'];
  const seatBelt =
    process.env.TSGAN_HOMEWORK_NO_SEAT_BELT === '1' ? [] : ['--experimental-permission', ...readable.map((p) => `--allow-fs-read=${p}`)];
  return [process.execPath, '--max-old-space-size=1024', ...seatBelt, path.join(root, CHILD)];
}

let detected;
/** { mode: 'root' | 'userns' | 'none', why }: tried once, with a real bwrap run. */
export function sandboxMode() {
  if (detected) return detected;
  // a teacher grading code they trust on a machine without bubblewrap may say so; tests use it for this mode
  if (process.env.TSGAN_HOMEWORK_SANDBOX === 'none') {
    detected = { mode: 'none', why: 'TSGAN_HOMEWORK_SANDBOX=none' };
    return detected;
  }
  const bwrap = which('bwrap');
  if (!bwrap) {
    detected = { mode: 'none', why: 'bubblewrap (bwrap) is not installed: apt-get install bubblewrap' };
    return detected;
  }
  const mode = isRoot() ? 'root' : 'userns';
  const probe = spawnSync(bwrap, bwrapArgs(mode, ['/usr/bin/true']), { encoding: 'utf8', timeout: 20_000 });
  detected =
    probe.status === 0
      ? { mode, why: mode === 'root' ? 'bubblewrap as root, a dedicated uid per slot' : 'bubblewrap in a user namespace' }
      : { mode: 'none', why: `bubblewrap cannot make a sandbox here (${(probe.stderr || probe.error?.message || '').trim().split('\n')[0]})` };
  return detected;
}

/** A uid no other grading holds: a lock file per uid in /run, taken with O_EXCL; a dead owner's lock is taken over. */
function lockUid() {
  fs.mkdirSync(LOCK_DIR, { recursive: true, mode: 0o700 });
  for (let n = 0; n < UID_SLOTS; n++) {
    const uid = UID_BASE + n;
    const lock = path.join(LOCK_DIR, `uid-${uid}`);
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      if (processesOfUid(uid).length === 0) return { uid, release: () => fs.rmSync(lock, { force: true }) };
      fs.rmSync(lock, { force: true }); // someone else's processes run as it: not a dedicated uid
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const owner = Number(fs.readFileSync(lock, 'utf8'));
      if (!alive(owner)) fs.rmSync(lock, { force: true });
    }
  }
  throw new Error(`no free sandbox uid in ${UID_BASE}…${UID_BASE + UID_SLOTS - 1} (see ${LOCK_DIR})`);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** [pid, ppid, uid, rssKb] of every process, read from /proc. */
function processTable() {
  const out = [];
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      const field = (k) => status.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm'))?.[1];
      out.push([Number(p), Number(field('PPid')), Number(field('Uid')), Number(field('VmRSS') ?? 0)]);
    } catch {
      /* it ended */
    }
  }
  return out;
}
const processesOfUid = (uid) => processTable().filter(([, , u]) => u === uid);
function descendants(root, table = processTable()) {
  const found = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of table) {
      if (found.has(ppid) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return table.filter(([pid]) => found.has(pid));
}

/** Kills the sandbox's tree and, as root, every process of its uid, until none is left. */
function killAll(rootPid, uid) {
  for (let round = 0; round < 20; round++) {
    const table = processTable();
    const victims = [...descendants(rootPid, table), ...(uid === undefined ? [] : table.filter(([, , u]) => u === uid))];
    if (victims.length === 0) return;
    for (const [pid] of victims) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
}

/**
 * Runs the child on `job` (what it reads from stdin) in the sandbox. onMessage gets each line it writes to fd 3
 * (decoded by the caller). Limits: startupMs until the first message, then perMessageMs between messages
 * (the caller passes the exercise time limit plus slack), wallMs in all, memoryMb resident for the whole tree.
 * Resolves { code, signal, killedFor: 'time' | 'memory' | null, stderr } once every process of it is gone.
 */
export function runSandboxed(job, { onMessage, startupMs = 90_000, perMessageMs, wallMs, memoryMb = 1536 }) {
  const { mode } = sandboxMode();
  const slot = mode === 'root' ? lockUid() : null;
  const inside = mode === 'none' ? repoRoot : SANDBOX_ROOT;
  let cmd;
  let args;
  let cwd;
  let env;
  if (mode === 'none') {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-homework-child-'));
    [cmd, ...args] = nodeCommand(inside);
    env = { HOME: cwd, PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };
  } else {
    const drop = slot
      ? [which('prlimit'), `--nproc=${NPROC}:${NPROC}`, '--', which('setpriv'), `--reuid=${slot.uid}`, `--regid=${slot.uid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs', '--']
      : [];
    cmd = which('bwrap');
    args = bwrapArgs(mode, [...drop, ...nodeCommand(inside)]);
    cwd = '/';
    env = {};
  }
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'], detached: mode === 'none' });
    let stderr = '';
    let killedFor = null;
    let buffered = '';
    let timer = null;
    const stop = (why) => {
      killedFor ??= why;
      killAll(child.pid, slot?.uid);
    };
    const arm = (ms) => {
      clearTimeout(timer);
      timer = setTimeout(() => stop('time'), ms);
    };
    arm(startupMs);
    const wall = setTimeout(() => stop('time'), wallMs);
    const memory = setInterval(() => {
      const kb = descendants(child.pid).reduce((t, [, , , rss]) => t + rss, 0);
      if (kb > memoryMb * 1024) stop('memory');
    }, 200);
    child.stdout.on('data', () => {}); // the student's prints: read and dropped
    child.stderr.on('data', (d) => {
      if (stderr.length < 20_000) stderr += d;
    });
    child.stdio[3].on('data', (d) => {
      buffered += d;
      if (buffered.length > 64 << 20) return stop('memory'); // a flood on the channel
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        arm(perMessageMs);
        onMessage(line);
      }
    });
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify(job));
    child.on('exit', (code, signal) => {
      // the sandbox's init is gone, and with it (PID namespace) every process it held; sweep anyway
      clearTimeout(timer);
      clearTimeout(wall);
      clearInterval(memory);
      killAll(child.pid, slot?.uid);
      if (mode === 'none') {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* the group is gone */
        }
      }
      // what the child wrote before it exited may still be in the pipe: read to its end, but wait no longer
      // than a moment (without a PID namespace a grandchild could hold the pipe open forever)
      const drained = new Promise((r) => {
        if (child.stdio[3].readableEnded) r();
        else child.stdio[3].once('end', r).once('error', r);
      });
      Promise.race([drained, new Promise((r) => setTimeout(r, 2000).unref())]).then(() => {
        for (const s of [child.stdout, child.stderr, child.stdio[3]]) s.destroy();
        slot?.release();
        if (mode === 'none') fs.rmSync(cwd, { recursive: true, force: true });
        resolve({ code, signal, killedFor, stderr });
      });
    });
  });
}
