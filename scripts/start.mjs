// `npm start [-- jupyter args]`: opens the Jupyter Notebook server with the project's tslab kernel.
// It serves the checkout and lands in notebooks/, so executed copies in build/notebooks/ (signed by
// the runner) open trusted too. Extra args go to Jupyter, e.g. `npm start -- --no-browser --port 8888`.
// It listens on 127.0.0.1 with a token; as root it says why it passes --allow-root (server-args.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { repoRoot, jupyterEnv, readSetup, libBuildState, makePrivateDirs, rel } from './jupyter-env.mjs';
import { serverArgs } from './server-args.mjs';

const { setup, problem } = readSetup();
if (!setup) {
  console.error(problem);
  process.exit(1);
}
const build = libBuildState();
if (!build.ok) console.warn(`warning: ${build.message}`);
if (!fs.existsSync(path.join(repoRoot, 'notebooks'))) fs.mkdirSync(path.join(repoRoot, 'notebooks'));

const { args, host, notes, warnings } = serverArgs({
  notebookMajor: Number(String(setup.versions?.notebook ?? '6').split('.')[0]),
  isRoot: process.getuid?.() === 0,
  extra: process.argv.slice(2),
});
try {
  // A checkout set up before runtime/ was made private gets fixed here too.
  const tightened = makePrivateDirs();
  if (tightened.length)
    console.log(`made ${tightened.map(rel).join(', ')} private (0700): the server's token is written there.`);
} catch (e) {
  console.error(e.message);
  process.exit(1);
}

console.log(
  `Starting Jupyter Notebook ${setup.versions?.notebook ?? ''} (${setup.python}) with the TypeScript (tslab) kernel;` +
    ` choose "TypeScript" for new notebooks. It listens on ${host}; open the URL with the token it prints. Ctrl-C twice stops it.`,
);
for (const line of notes) console.log(line);
for (const w of warnings) console.warn(`warning: ${w}`);
const child = spawn(setup.python, args, { stdio: 'inherit', env: jupyterEnv(), cwd: repoRoot });
// Jupyter handles Ctrl-C itself (it asks for confirmation); the same signal reaches it via the process group.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
child.on('error', (e) => {
  console.error(`Cannot start ${setup.python}: ${e.message}. Run \`npm run setup\` again.`);
  process.exit(1);
});
