// The display path inside a tslab kernel, with a stand-in for tslab's modules (its own file: once a
// kernel is found the process stays "in a kernel", which would change the other viz tests).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { figure, lineTrace, liveFigure, newOutputArea, inKernel, resetPlotly, PLOTLY_MIME } from '../src';

interface Written {
  content: { data: { [mime: string]: unknown }; metadata: object; transient: { display_id?: string } };
  update: boolean;
}

/** Writes a fake tslab (dist/jupyter.js with the internal writer, dist/public.js) and loads it like a kernel would. */
function fakeTslab() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-fake-tslab-'));
  const dist = path.join(dir, 'tslab', 'dist');
  fs.mkdirSync(dist, { recursive: true });
  fs.writeFileSync(path.join(dist, 'jupyter.js'), 'exports.lastWriteDisplayData = null;\n');
  fs.writeFileSync(
    path.join(dist, 'public.js'),
    'exports.calls = [];\n' +
      'const d = (id) => ({ html: (s) => exports.calls.push({ id, mime: "text/html", s }), png: (b) => exports.calls.push({ id, mime: "image/png", s: b }), text: (s) => exports.calls.push({ id, mime: "text/plain", s }) });\n' +
      'exports.display = d(null);\nlet n = 0;\nexports.newDisplay = () => d(`d${++n}`);\n',
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module written by this test at run time
  const jupyter = require(path.join(dist, 'jupyter.js')) as {
    lastWriteDisplayData: ((c: Written['content'], u: boolean) => void) | null;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module written by this test at run time
  const pub = require(path.join(dist, 'public.js')) as { calls: { id: string | null; mime: string }[] };
  return { dir, jupyter, pub };
}

describe('displays inside a tslab kernel', () => {
  const tslab = fakeTslab();
  after(() => fs.rmSync(tslab.dir, { recursive: true, force: true }));

  it('a figure is one display_data with text/html and the plotly JSON; its update replaces that output', () => {
    const written: Written[] = [];
    tslab.jupyter.lastWriteDisplayData = (content, update) => written.push({ content, update }); // a cell is executing
    assert.equal(inKernel(), true);
    resetPlotly();
    const fig = figure([lineTrace([0, 1], [1, 0])], { title: 'T', xTitle: 'x', yTitle: 'y' });
    liveFigure(fig).update(fig);
    assert.equal(written.length, 3, 'bundle of plotly.js, the figure, its update');
    assert.deepEqual(Object.keys(written[0].content.data), ['text/html']);
    assert.deepEqual(written[0].content.transient, {}, 'a one-off output has no display id');
    const [shown, updated] = [written[1], written[2]];
    assert.deepEqual(Object.keys(shown.content.data), ['text/html', PLOTLY_MIME]);
    assert.deepEqual((shown.content.data[PLOTLY_MIME] as { layout: unknown }).layout, fig.layout);
    assert.equal(typeof shown.content.transient.display_id, 'string');
    assert.equal(updated.content.transient.display_id, shown.content.transient.display_id);
    assert.deepEqual([shown.update, updated.update], [false, true]);
    assert.equal(tslab.pub.calls.length, 0, 'the public one-mime API is not used when the writer exists');
  });

  it('PNGs are sent as base64, like tslab does', () => {
    const written: Written[] = [];
    tslab.jupyter.lastWriteDisplayData = (content, update) => written.push({ content, update });
    newOutputArea().png(Buffer.from([1, 2, 3]));
    assert.equal(written[0].content.data['image/png'], Buffer.from([1, 2, 3]).toString('base64'));
  });

  it('an empty bundle is refused with a message', () => {
    assert.throws(() => newOutputArea().bundle({}), /bundle is empty/);
  });
});
