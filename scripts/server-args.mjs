// The command line `npm start` gives Jupyter Notebook, and what it must tell the student about it:
// the server listens on loopback only, keeps its token, and says why and how it runs as root.
// A module of its own so tests check the exact arguments and messages without starting a server.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, jupyterDir, rel } from './jupyter-env.mjs';

/**
 * Whether a host Jupyter is told to listen on is this machine only. IPv4 as inet_aton reads it (what
 * Python's socket layer accepts): 1 to 4 parts, decimal, 0x hex or 0 octal, the last part filling the
 * remaining bytes, so 127.1 and 0x7f.1 are 127.0.0.1; loopback is 127.0.0.0/8.
 */
export function isLoopback(host) {
  const h = host
    .replace(/^['"]|['"]$/g, '')
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  if (h === 'localhost' || h === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(h)) return true;
  const parts = h.split('.');
  if (parts.length < 1 || parts.length > 4) return false;
  const nums = parts.map((p) =>
    /^0x[0-9a-f]+$/.test(p)
      ? parseInt(p, 16)
      : /^0[0-7]*$/.test(p)
        ? parseInt(p, 8)
        : /^[1-9]\d*$/.test(p)
          ? Number(p)
          : NaN,
  );
  if (nums.some((n) => !Number.isFinite(n))) return false;
  const firstByte = parts.length === 1 ? Math.floor(nums[0] / 2 ** 24) : nums[0];
  return firstByte === 127 && nums.every((n, i) => n <= (i < parts.length - 1 ? 255 : 2 ** (8 * (4 - i)) - 1));
}

/**
 * The settings a `--config FILE` sets that matter here ({app}.ip, .token, .allow_origin,
 * .disable_check_xsrf), from a JSON config or, read line by line, a Python one (`c.NotebookApp.token = ''`).
 */
function configFileSettings(file, app) {
  let text;
  try {
    text = fs.readFileSync(path.resolve(file), 'utf8');
  } catch {
    return {}; // Jupyter itself says that it cannot read it
  }
  const out = {};
  const classes = [app, 'NotebookApp', 'ServerApp', 'IdentityProvider'];
  try {
    const json = JSON.parse(text);
    for (const c of classes) for (const [k, v] of Object.entries(json?.[c] ?? {})) out[k] = String(v);
    return out;
  } catch {
    // a Python config file
  }
  for (const m of text.matchAll(/^\s*c\.(\w+)\.(\w+)\s*=\s*(.+?)\s*(#.*)?$/gm))
    if (classes.includes(m[1])) out[m[2]] = m[3].replace(/^u?(['"])(.*)\1$/, '$2');
  return out;
}

/** The value of the last `--name=v` / `--name v` among `args` for any of `names`, or undefined. */
function lastValue(args, names) {
  let value;
  args.forEach((a, i) => {
    for (const n of names) {
      if (a.startsWith(`${n}=`)) value = a.slice(n.length + 1);
      else if (a === n && i + 1 < args.length) value = args[i + 1];
    }
  });
  return value;
}

/**
 * @param {{ notebookMajor: number, isRoot: boolean, extra: string[] }} o  extra: the student's own flags (they win)
 * @returns {{ args: string[], host: string, notes: string[], warnings: string[] }} args for `python -m notebook ...`
 */
export function serverArgs({ notebookMajor, isRoot, extra }) {
  const app = notebookMajor >= 7 ? 'ServerApp' : 'NotebookApp'; // Notebook 7 runs on jupyter_server
  const args = ['-m', 'notebook'];
  if (notebookMajor >= 7) {
    args.push(`--ServerApp.root_dir=${repoRoot}`, '--JupyterNotebookApp.default_url=/tree/notebooks');
  } else {
    args.push(`--NotebookApp.notebook_dir=${repoRoot}`, '--NotebookApp.default_url=/tree/notebooks');
  }
  // Loopback said explicitly (Jupyter's default is 'localhost'), so no config file can widen it unseen.
  args.push('--MappingKernelManager.default_kernel_name=tslab', `--${app}.ip=127.0.0.1`);
  const notes = [];
  const warnings = [];
  if (isRoot) {
    args.push(notebookMajor >= 7 ? '--ServerApp.allow_root=True' : '--allow-root');
    notes.push(
      'You are root. Jupyter refuses to run as root unless told --allow-root, so npm start passes it: every',
      "cell then runs with root's rights, and whoever gets this server's token can run any command as root.",
      `The server listens on 127.0.0.1 only, and its token files in ${rel(jupyterDir)}/runtime are readable by`,
      'their owner alone (0700). To avoid root: install Jupyter first (sudo apt-get install jupyter-notebook',
      'jupyter-nbconvert python3-nbclient), then, as an ordinary user in a checkout that user owns, run',
      '`npm ci && npm run setup && npm start`.',
    );
  }
  args.push(...extra);

  const configFile = lastValue(extra, ['--config', `--${app}.config_file`]);
  const fromFile = configFile === undefined ? {} : configFileSettings(configFile.replace(/^['"]|['"]$/g, ''), app);
  const setting = (flags, key) => lastValue(extra, flags) ?? fromFile[key];
  const who = isRoot ? 'root' : 'you';

  const ip = setting(['--ip', `--${app}.ip`], 'ip');
  if (ip !== undefined && !isLoopback(ip)) {
    warnings.push(
      `--ip=${ip}: the server is reachable from other machines, not only this one. Anyone who ` +
        `gets the token can run code as ${who}; keep the token secret, or drop --ip to stay on 127.0.0.1.`,
    );
  }
  const token = setting([`--${app}.token`, '--IdentityProvider.token'], 'token');
  if (token !== undefined && token.replace(/^['"]|['"]$/g, '') === '') {
    warnings.push(
      `an empty token${configFile !== undefined && fromFile.token !== undefined ? ` (set in ${configFile})` : ''} turns authentication off: every user of this machine can run code on this server as ${who}. ` +
        'Drop that option to get a random token.',
    );
  }
  const origin = setting([`--${app}.allow_origin`], 'allow_origin');
  if (origin !== undefined && origin.replace(/^['"]|['"]$/g, '') === '*') {
    warnings.push(
      `allow_origin=*: any web page open in your browser may send requests to this server and run code as ${who}. ` +
        "Drop that option (the default allows this server's own pages only).",
    );
  }
  const xsrf = setting([`--${app}.disable_check_xsrf`], 'disable_check_xsrf');
  if (xsrf !== undefined && /^(true|1)$/i.test(xsrf.replace(/^['"]|['"]$/g, ''))) {
    warnings.push(
      `disable_check_xsrf: a web page you visit can make your browser run code on this server as ${who} (no cross-site request check). ` +
        'Drop that option.',
    );
  }
  return { args, host: ip ?? '127.0.0.1', notes, warnings };
}
