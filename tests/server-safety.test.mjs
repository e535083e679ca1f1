// The notebook server is not exposed (issue 14, item 2): the folders holding its token and secrets are
// owner-only, it listens on loopback with a token, and as root `npm start` says why it passes
// --allow-root and how to avoid it. Needs `npm run setup` (npm test's pretest runs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, jupyterDir, dataDir, configDir, runtimeDir } from '../scripts/jupyter-env.mjs';
import { freePort, startNotebookServer } from './notebook-server.mjs';
import { serverArgs } from '../scripts/server-args.mjs';

const isRoot = process.getuid?.() === 0;
const mode = (p) => fs.statSync(p).mode & 0o777;
const octal = (m) => m.toString(8).padStart(4, '0');

test('setup makes the folders holding secrets 0700, also when an older setup left them 0755', () => {
  for (const d of [runtimeDir, dataDir]) if (fs.existsSync(d)) fs.chmodSync(d, 0o755);
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'setup.mjs'), '--no-check', '--no-apt'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 180_000,
  });
  for (const d of [jupyterDir, dataDir, configDir, runtimeDir]) {
    assert.equal(octal(mode(d)), '0700', `${d} is ${octal(mode(d))} after setup:\n${r.stdout}${r.stderr}`);
  }
  assert.match(r.stdout, /made .*\.jupyter\/runtime.* private/, 'setup should say it tightened the runtime folder');
});

test('server arguments: loopback, and --allow-root only for root, with the reason and the way out', () => {
  const asRoot = serverArgs({ notebookMajor: 6, isRoot: true, extra: ['--no-browser'] });
  assert.ok(asRoot.args.includes('--allow-root'));
  assert.ok(asRoot.args.includes('--NotebookApp.ip=127.0.0.1'));
  assert.equal(asRoot.args.at(-1), '--no-browser', "the student's own flags come last, so they win");
  const said = asRoot.notes.join(' ');
  assert.match(said, /refuses to run as root unless told --allow-root/);
  assert.match(said, /run any command as root/);
  assert.match(said, /as an ordinary user/);
  assert.deepEqual(asRoot.warnings, []);

  const asUser = serverArgs({ notebookMajor: 6, isRoot: false, extra: [] });
  assert.ok(!asUser.args.includes('--allow-root'));
  assert.deepEqual(asUser.notes, []);

  const nb7 = serverArgs({ notebookMajor: 7, isRoot: true, extra: [] });
  assert.ok(nb7.args.includes('--ServerApp.allow_root=True') && nb7.args.includes('--ServerApp.ip=127.0.0.1'));
});

test('server arguments: widening the address or dropping the token is warned about', () => {
  for (const extra of [['--ip=0.0.0.0'], ['--ip', '192.168.1.5'], ['--NotebookApp.ip=*']]) {
    const { warnings, host } = serverArgs({ notebookMajor: 6, isRoot: false, extra });
    assert.equal(warnings.length, 1, `${extra.join(' ')}: ${warnings}`);
    assert.match(warnings[0], /reachable from other machines/);
    assert.notEqual(host, '127.0.0.1');
  }
  for (const extra of [['--ip=localhost'], ['--ip=127.0.0.1'], ['--ip=::1'], ['--port', '8888']]) {
    assert.deepEqual(serverArgs({ notebookMajor: 6, isRoot: false, extra }).warnings, [], extra.join(' '));
  }
  for (const extra of [['--NotebookApp.token='], ["--NotebookApp.token=''"]]) {
    const { warnings } = serverArgs({ notebookMajor: 6, isRoot: true, extra });
    assert.equal(warnings.length, 1, extra.join(' '));
    assert.match(warnings[0], /turns authentication off.*as root/);
  }
});

test('server arguments: 127.1 is loopback; allow_origin=*, disable_check_xsrf and an empty token from --config are warned about (issue 28)', () => {
  for (const extra of [['--ip=127.1'], ['--ip', '0x7f.0.0.1'], ['--NotebookApp.ip=[::1]']])
    assert.deepEqual(serverArgs({ notebookMajor: 6, isRoot: false, extra }).warnings, [], extra.join(' '));
  const cases = [
    [['--NotebookApp.allow_origin=*'], /allow_origin=\*: any web page open in your browser/],
    [['--NotebookApp.disable_check_xsrf=True'], /disable_check_xsrf: a web page you visit/],
  ];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-server-config-'));
  try {
    const py = path.join(dir, 'config.py');
    fs.writeFileSync(py, "c.NotebookApp.token = ''  # no password\nc.NotebookApp.ip = '0.0.0.0'\n");
    const json = path.join(dir, 'config.json');
    fs.writeFileSync(json, JSON.stringify({ NotebookApp: { token: '', allow_origin: '*' } }));
    cases.push([['--config', py], /an empty token \(set in .*config\.py\) turns authentication off/]);
    cases.push([[`--config=${json}`], /an empty token \(set in .*config\.json\) turns authentication off/]);
    for (const [extra, warning] of cases) {
      const { warnings } = serverArgs({ notebookMajor: 6, isRoot: false, extra });
      assert.ok(
        warnings.some((w) => warning.test(w)),
        `${extra.join(' ')}: ${warnings.join(' | ')}`,
      );
    }
    assert.equal(
      serverArgs({ notebookMajor: 6, isRoot: false, extra: ['--config', py] }).warnings.length,
      2,
      'token and ip',
    );
    assert.equal(
      serverArgs({ notebookMajor: 6, isRoot: false, extra: [`--config=${json}`] }).warnings.length,
      2,
      'token and origin',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Local addresses of the sockets listening on `port` (Linux /proc), e.g. ['127.0.0.1']. */
function listeners(port) {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local?.endsWith(`:${hexPort}`)) continue; // 0A = LISTEN
      const hex = local.split(':')[0];
      found.push(
        hex.length === 8
          ? hex
              .match(/../g)
              .reverse()
              .map((b) => parseInt(b, 16))
              .join('.')
          : hex,
      );
    }
  }
  return found;
}

test(
  'npm start: listens on 127.0.0.1 only, with a token kept in a 0700 folder; as root it says why --allow-root',
  { timeout: 90_000 },
  async () => {
    const port = await freePort();
    const server = await startNotebookServer(port);
    const { info, infoFile } = server;
    const output = server.output();
    try {
      assert.ok(info, `no server info file for port ${port} appeared in ${runtimeDir}:\n${output}`);
      assert.equal(info.hostname, '127.0.0.1');
      assert.ok(info.token.length >= 32, 'the server should have a random token');
      assert.equal(octal(mode(runtimeDir)), '0700', `${infoFile} holds the token; its folder must be owner-only`);
      if (isRoot) {
        // The probe of issue 14, as another local user (nobody): the token file cannot be read.
        const other = spawnSync('cat', [path.join(runtimeDir, infoFile)], { uid: 65534, gid: 65534, encoding: 'utf8' });
        assert.notEqual(other.status, 0, 'another user read the token file');
        assert.match(other.stderr, /Permission denied/);
        assert.doesNotMatch(other.stdout, new RegExp(info.token));
      }
      const addrs = listeners(port);
      if (fs.existsSync('/proc/net/tcp')) assert.deepEqual(addrs, ['127.0.0.1'], `listening on ${addrs}`);

      const url = `http://127.0.0.1:${port}/api/kernels`;
      assert.equal((await fetch(url)).status, 403, 'without the token the API must refuse');
      assert.equal((await fetch(url, { headers: { Authorization: `token ${info.token}` } })).status, 200);

      if (isRoot) {
        assert.match(output, /You are root\. Jupyter refuses to run as root unless told --allow-root/);
        assert.match(output, /as an ordinary user/);
      } else {
        assert.doesNotMatch(output, /allow-root/);
      }
      assert.match(output, /listens on 127\.0\.0\.1/);
    } finally {
      await server.stop();
    }
  },
);
