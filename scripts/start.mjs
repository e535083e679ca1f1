// `npm start [-- jupyter args]`: opens the Jupyter Notebook server with the project's tslab kernel.
// It serves the checkout and lands in notebooks/, so executed copies in build/notebooks/ (signed by
// the runner) open trusted too. Extra args go to Jupyter, e.g. `npm start -- --no-browser --port 8888`.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { repoRoot, jupyterEnv, readSetup, libBuildState } from './jupyter-env.mjs';

const { setup, problem } = readSetup();
if (!setup) {
  console.error(problem);
  process.exit(1);
}
const build = libBuildState();
if (!build.ok) console.warn(`warning: ${build.message}`);
if (!fs.existsSync(path.join(repoRoot, 'notebooks'))) fs.mkdirSync(path.join(repoRoot, 'notebooks'));

const major = Number(String(setup.versions?.notebook ?? '6').split('.')[0]);
const args = ['-m', 'notebook'];
if (major >= 7) {
  // Notebook 7 runs on jupyter_server.
  args.push(`--ServerApp.root_dir=${repoRoot}`, '--JupyterNotebookApp.default_url=/tree/notebooks', '--MappingKernelManager.default_kernel_name=tslab');
  if (process.getuid?.() === 0) args.push('--ServerApp.allow_root=True');
} else {
  args.push(`--NotebookApp.notebook_dir=${repoRoot}`, '--NotebookApp.default_url=/tree/notebooks', '--MappingKernelManager.default_kernel_name=tslab');
  if (process.getuid?.() === 0) args.push('--allow-root');
}
args.push(...process.argv.slice(2));

console.log(`Starting Jupyter Notebook ${setup.versions?.notebook ?? ''} (${setup.python}) with the TypeScript (tslab) kernel;` +
  ' choose "TypeScript" for new notebooks. Ctrl-C twice stops it.');
if (process.getuid?.() === 0) console.log('(running as root, so --allow-root is passed)');
const child = spawn(setup.python, args, { stdio: 'inherit', env: jupyterEnv(), cwd: repoRoot });
// Jupyter handles Ctrl-C itself (it asks for confirmation); the same signal reaches it via the process group.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(signal ? 1 : code ?? 1));
child.on('error', (e) => {
  console.error(`Cannot start ${setup.python}: ${e.message}. Run \`npm run setup\` again.`);
  process.exit(1);
});
