// The command line `npm start` gives Jupyter Notebook, and what it must tell the student about it:
// the server listens on loopback only, keeps its token, and says why and how it runs as root.
// A module of its own so tests check the exact arguments and messages without starting a server.
import { repoRoot, jupyterDir, rel } from './jupyter-env.mjs';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i;

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

  const ip = lastValue(extra, ['--ip', `--${app}.ip`]);
  if (ip !== undefined && !LOOPBACK.test(ip.replace(/^['"]|['"]$/g, ''))) {
    warnings.push(
      `--ip=${ip}: the server is reachable from other machines, not only this one. Anyone who ` +
        `gets the token can run code as ${isRoot ? 'root' : 'you'}; keep the token secret, or drop --ip to stay on 127.0.0.1.`,
    );
  }
  const token = lastValue(extra, [`--${app}.token`, '--IdentityProvider.token']);
  if (token !== undefined && token.replace(/^['"]|['"]$/g, '') === '') {
    warnings.push(
      `an empty token turns authentication off: every user of this machine can run code on this server as ${isRoot ? 'root' : 'you'}. ` +
        'Drop that option to get a random token.',
    );
  }
  return { args, host: ip ?? '127.0.0.1', notes, warnings };
}
