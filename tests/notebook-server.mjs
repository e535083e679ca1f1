// `npm start`'s notebook server for the tests that need one (server-safety, ui-charts): a free loopback
// port, the server started by scripts/start.mjs, and its info file (port, token) from the runtime folder.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot, runtimeDir } from '../scripts/jupyter-env.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts `npm start -- --no-browser` on `port` and waits (≤ 60 s) for its info file. Returns
 * { info, infoFile, output(), stop() }; info is null when the server did not start (output() says why).
 * `env` is added to the server's environment, which its kernels inherit (e.g. TSGAN_QUICK).
 */
export async function startNotebookServer(port, env = {}) {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'scripts', 'start.mjs'), '--no-browser', `--port=${port}`, '--port-retries=0'],
    { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let info = null;
  let infoFile = null;
  for (let waited = 0; !info && waited < 60_000 && child.exitCode === null; waited += 250) {
    await new Promise((r) => setTimeout(r, 250));
    for (const f of fs.existsSync(runtimeDir) ? fs.readdirSync(runtimeDir) : []) {
      if (!/^nbserver-\d+\.json$/.test(f)) continue;
      try {
        const j = JSON.parse(fs.readFileSync(path.join(runtimeDir, f), 'utf8'));
        if (j.port === port) [info, infoFile] = [j, f];
      } catch {
        /* being written */
      }
    }
  }
  return {
    info,
    infoFile,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
