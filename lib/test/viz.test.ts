import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import {
  initBackend,
  figure,
  lineChart,
  histogram,
  lineTrace,
  figureHtml,
  showFigure,
  liveFigure,
  resetPlotly,
  setDisplaySink,
  canDisplay,
  inKernel,
  imageGridPng,
  imageGridSize,
  showPng,
  writePng,
  progress,
  progressLine,
  liveTrainingView,
  leastSquaresLoss,
  rateAndEta,
  labelledStepMetrics,
  STEP_METRIC_LABELS,
  PLOTLY_MIME,
  plotlyJson,
  wrapTitle,
  TITLE_LINE_CHARS,
  type DisplayMessage,
} from '../src';

before(async () => {
  await initBackend();
});

/** Collects what would be sent to the notebook. */
function capture(fn: () => void): DisplayMessage[] {
  const messages: DisplayMessage[] = [];
  const previous = setDisplaySink((m) => messages.push(m));
  try {
    fn();
  } finally {
    setDisplaySink(previous);
  }
  return messages;
}

const BUNDLE_MARK = 'window.__tsganSavedDefine = window.define';

describe('figures', () => {
  it('breaks a long title into lines of at most TITLE_LINE_CHARS, at a colon first, and widens the top margin', () => {
    const long = 'DCGAN on MNIST (Algorithm 1, Adam 2e-4, β1 0.5): losses and mean D outputs';
    const w = wrapTitle(long);
    assert.deepEqual(w.text.split('<br>'), [
      'DCGAN on MNIST (Algorithm 1, Adam 2e-4, β1 0.5):',
      'losses and mean D outputs',
    ]);
    assert.equal(w.lines, 2);
    const many = wrapTitle('word '.repeat(40).trim());
    assert.ok(many.text.split('<br>').every((line) => line.length <= TITLE_LINE_CHARS));
    assert.equal(many.text.replace(/<br>/g, ' '), 'word '.repeat(40).trim(), 'no word lost or cut');
    assert.deepEqual(wrapTitle('Densities'), { text: 'Densities', lines: 1 });
    const unbreakable = 'x'.repeat(TITLE_LINE_CHARS + 5);
    assert.deepEqual(wrapTitle(unbreakable), { text: unbreakable, lines: 1 }, 'a word longer than a line stays whole');
    const [short, wrapped] = ['Short', long].map((title) =>
      figure([lineTrace([0, 1], [0, 1])], { title, xTitle: 'x', yTitle: 'y' }),
    );
    const margin = (f: typeof short) => (f.layout.margin as { t: number }).t;
    assert.equal(margin(wrapped) - margin(short), 22);
    assert.equal((wrapped.layout.height as number) - (short.layout.height as number), 22);
  });

  it('builds plain JSON with titles, and survives a JSON round trip', () => {
    const x = new Float32Array([0, 0.1, 0.2]);
    const fig = figure([lineTrace(x, [1, NaN, 3], { name: 'p_data', dash: 'dot' })], {
      title: 'Densities',
      xTitle: 'x',
      yTitle: 'density',
    });
    assert.deepEqual(Object.keys(fig).sort(), ['data', 'layout']);
    assert.deepEqual(fig.layout.title, { text: 'Densities' });
    assert.deepEqual((fig.layout.xaxis as { title: unknown }).title, { text: 'x' });
    assert.deepEqual((fig.layout.yaxis as { title: unknown }).title, { text: 'density' });
    // typed arrays become plain arrays (JSON would make {"0":…}); float32 noise is rounded; NaN becomes a gap
    assert.deepEqual(fig.data[0].x, [0, 0.1, 0.2]);
    assert.deepEqual(fig.data[0].y, [1, null, 3]);
    assert.equal(fig.data[0].line?.dash, 'dot');
    assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig);
    const ranged = figure([], { title: 'T', xTitle: 'x', yTitle: 'y', layout: { yaxis: { range: [0, 1] } } });
    assert.deepEqual(ranged.layout.yaxis, { title: { text: 'y' }, zeroline: false, automargin: true, range: [0, 1] });
  });

  it('requires a title and axis titles, with a message saying so', () => {
    assert.throws(() => figure([], { title: '', xTitle: 'x', yTitle: 'y' }), /options\.title is required/);
    assert.throws(
      () => lineChart([{ name: 'a', y: [1] }], { title: 't', xTitle: 'x' } as never),
      /options\.yTitle is required/,
    );
    assert.throws(() => lineTrace([1, 2], [1]), /x has 2 values but y has 1/);
  });

  it('lineChart and histogram give one trace per series', () => {
    const lc = lineChart(
      [
        { name: 'D loss', y: [3, 2, 1] },
        { name: 'G loss', x: [5, 6, 7], y: [1, 2, 3] },
      ],
      { title: 'Losses', xTitle: 'step', yTitle: 'loss' },
    );
    assert.equal(lc.data.length, 2);
    assert.deepEqual(lc.data[0].x, [0, 1, 2]);
    const h = histogram([{ name: 'G(z)', values: new Float32Array([0.5, 1, 1.5]) }], {
      title: 'Samples',
      xTitle: 'x',
      yTitle: 'density',
      normalize: 'density',
      bins: 10,
      range: [0, 2],
    });
    assert.equal(h.data[0].type, 'histogram');
    assert.equal(h.data[0].histnorm, 'probability density');
    assert.deepEqual(h.data[0].xbins, { start: 0, end: 2, size: 0.2 });
    assert.equal(h.layout.barmode, 'overlay');
  });

  it('figureHtml has a tsgan-plot div and JSON that cannot close the script early', () => {
    const fig = figure([lineTrace([0, 1], [0, 1], { name: '</script><b>' })], { title: 'T', xTitle: 'x', yTitle: 'y' });
    const html = figureHtml(fig, { id: 'plot-1' });
    assert.match(html, /<div class="tsgan-plot" id="plot-1"/);
    assert.equal(html.match(/<\/script>/g)?.length, 1);
    const json = /fig = (\{.*?\}), config/.exec(html)?.[1];
    assert.ok(json);
    assert.deepEqual(JSON.parse(json), fig);
    assert.ok(!html.includes(BUNDLE_MARK));
  });

  it('inlines the plotly bundle once across several figures, as its own output', () => {
    resetPlotly();
    const fig = figure([lineTrace([0, 1], [1, 0])], { title: 'T', xTitle: 'x', yTitle: 'y' });
    const messages = capture(() => {
      showFigure(fig);
      liveFigure(fig).update(fig);
    });
    const html = messages.map((m) => m.data);
    assert.equal(html.filter((h) => h.includes(BUNDLE_MARK)).length, 1);
    assert.ok(
      html[0].includes('window.Plotly = Plotly') || html[0].includes('Plotly'),
      'the first output is the bundle',
    );
    assert.ok(html[0].length > 1e6, 'the bundle is the real plotly.js');
    assert.equal(html.filter((h) => h.includes('class="tsgan-plot"')).length, 3);
    // the update replaces the second figure's output instead of adding one
    assert.deepEqual(
      messages.map((m) => m.update),
      [false, false, false, true],
    );
    assert.equal(messages[2].displayId, messages[3].displayId);
  });

  it('sends every figure as one output with its HTML and its plotly JSON (not the bundle output)', () => {
    resetPlotly();
    const fig = figure([lineTrace([0, 1], [1, 0], { name: 'a' })], { title: 'T', xTitle: 'x', yTitle: 'y' });
    const next = figure([lineTrace([0, 1], [0, 1], { name: 'b' })], { title: 'T2', xTitle: 'x', yTitle: 'y' });
    const messages = capture(() => liveFigure(fig).update(next));
    assert.equal(messages[0].alternatives, undefined, 'the plotly.js bundle is HTML only');
    for (const [m, f] of [
      [messages[1], fig],
      [messages[2], next],
    ] as const) {
      assert.equal(m.mime, 'text/html');
      assert.match(m.data, /class="tsgan-plot"/);
      assert.deepEqual(Object.keys(m.alternatives ?? {}), [PLOTLY_MIME]);
      assert.deepEqual(m.alternatives![PLOTLY_MIME], {
        data: f.data,
        layout: f.layout,
        config: { responsive: true, displaylogo: false },
      });
    }
    assert.equal(messages[2].update, true, 'the update replaces both representations in the same output');
    assert.deepEqual(plotlyJson({ ...fig, frames: [{ name: 'f' }] }).frames, [{ name: 'f' }]);
    assert.equal(plotlyJson({ ...fig, frames: [] }).frames, undefined);
  });

  it('is a no-op outside a kernel', () => {
    assert.equal(inKernel(), false);
    assert.equal(canDisplay(), false);
    resetPlotly();
    const fig = figure([], { title: 'T', xTitle: 'x', yTitle: 'y' });
    showFigure(fig);
    liveFigure(fig).update(fig);
    showPng(imageGridPng(new Float32Array(4), { rows: 1, cols: 1, imageRows: 2, imageCols: 2 }));
  });
});

describe('PNG grids', () => {
  /** 2×3 images of 2×2 pixels: image k has pixel value (k % 2) at (0,0), checkerboard elsewhere. */
  const rows = 2;
  const cols = 3;
  const imageRows = 2;
  const imageCols = 2;
  const images = new Float32Array(rows * cols * 4);
  for (let k = 0; k < rows * cols; k++) images.set([k % 2, 1, 0, 1.7 /* clamped to 1 */], k * 4);

  it('writes a PNG with the right size and pixels', () => {
    const scale = 3;
    const padding = 2;
    const buf = imageGridPng(images, { rows, cols, imageRows, imageCols, scale, padding, padValue: 0.5 });
    assert.equal(buf.readUInt32BE(0), 0x89504e47); // \x89PNG
    assert.equal(buf.subarray(12, 16).toString('ascii'), 'IHDR');
    const width = cols * imageCols * scale + (cols + 1) * padding;
    const height = rows * imageRows * scale + (rows + 1) * padding;
    assert.equal(buf.readUInt32BE(16), width);
    assert.equal(buf.readUInt32BE(20), height);
    assert.deepEqual(imageGridSize({ rows, cols, imageRows, imageCols, scale, padding }), { width, height });
    assert.equal(buf[25], 0, 'colour type 0: 8-bit grayscale');

    const png = PNG.sync.read(buf);
    const gray = (x: number, y: number) => png.data[(y * width + x) * 4];
    assert.equal(gray(0, 0), 128, 'padding');
    for (let k = 0; k < rows * cols; k++) {
      const top = padding + Math.floor(k / cols) * (imageRows * scale + padding);
      const left = padding + (k % cols) * (imageCols * scale + padding);
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          assert.equal(gray(left + dx, top + dy), (k % 2) * 255, `image ${k} pixel (0,0)`);
          assert.equal(gray(left + scale + dx, top + dy), 255, `image ${k} pixel (0,1)`);
          assert.equal(gray(left + dx, top + scale + dy), 0, `image ${k} pixel (1,0)`);
          assert.equal(gray(left + scale + dx, top + scale + dy), 255, `image ${k} pixel (1,1) clamped`);
        }
      }
      assert.equal(gray(left - 1, top), 128, 'padding left of each image');
    }
  });

  it('reads tensors (without disposing them or leaking) and maps a [-1, 1] range', () => {
    const before = tf.memory().numTensors;
    const t = tf.tensor4d([-1, 0, 1, 3], [1, 2, 2, 1]);
    const buf = imageGridPng(t, { rows: 1, cols: 1, imageRows: 2, imageCols: 2, padding: 0, range: [-1, 1] });
    assert.equal(t.isDisposed, false);
    t.dispose();
    assert.equal(tf.memory().numTensors, before);
    const png = PNG.sync.read(buf);
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => png.data[i * 4]),
      [0, 128, 255, 255],
    );
  });

  it('MNIST-sized default: 4×5 digits', () => {
    const buf = imageGridPng(new Float32Array(20 * 784).fill(0.25), { rows: 4, cols: 5 });
    const png = PNG.sync.read(buf);
    assert.equal(png.width, 5 * 28 + 6);
    assert.equal(png.height, 4 * 28 + 5);
    assert.equal(png.data[((1 + 3) * png.width + 1 + 3) * 4], 64);
  });

  it('rejects sizes that do not match rows·cols images, saying what was expected', () => {
    assert.throws(
      () => imageGridPng(new Float32Array(10 * 784), { rows: 4, cols: 4 }),
      /got 7840 values = 10 images, but rows×cols×imageRows×imageCols = 4×4×28×28 = 12544/,
    );
    const t = tf.zeros([3, 784]);
    assert.throws(() => imageGridPng(t, { rows: 2, cols: 2 }), /a tensor of shape \[3, 784\]/);
    t.dispose();
    assert.throws(() => imageGridPng(new Float32Array(784), { rows: 0, cols: 1 }), /rows must be a positive integer/);
    assert.throws(() => imageGridPng(new Float32Array(784), { rows: 1, cols: 1, range: [1, 0] }), /high > low/);
  });

  it('writePng writes atomically into a new folder and leaves no temporary file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-viz-'));
    try {
      const file = path.join(dir, 'sub', 'grid.png');
      const buf = imageGridPng(images, { rows, cols, imageRows, imageCols });
      writePng(file, buf);
      assert.deepEqual(fs.readFileSync(file), buf);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'sub')), ['grid.png']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('showPng shows one image/png output in a kernel and refuses non-PNG data', () => {
    const buf = imageGridPng(images, { rows, cols, imageRows, imageCols });
    const messages = capture(() => showPng(buf));
    assert.equal(messages.length, 1);
    assert.equal(messages[0].mime, 'image/png');
    assert.deepEqual(Buffer.from(messages[0].data, 'base64'), buf);
    assert.throws(() => showPng(Buffer.from('not a png')), /expected a PNG Buffer/);
  });
});

describe('progress and live view', () => {
  after(() => setDisplaySink(null));

  it('progress in plain node does not crash or print', () => {
    const p = progress(3, { label: 'test' });
    p.update(1, { dLoss: 1.386 });
    p.update(3);
    p.done();
    p.update(4); // after done: ignored
  });

  it('progress updates one output in place, throttled, and always draws the end', () => {
    const messages = capture(() => {
      const p = progress(1000, { label: 'train', minIntervalMs: 60_000 });
      for (let i = 1; i <= 1000; i++) p.update(i, { dLoss: 1.2345678 });
      p.done();
    });
    // the empty bar at creation, no update within the interval, then the final one
    assert.equal(messages.length, 2);
    assert.equal(new Set(messages.map((m) => m.displayId)).size, 1);
    assert.deepEqual(
      messages.map((m) => m.update),
      [false, true],
    );
    assert.match(messages[1].data, /1000\/1000 \(100%\)/);
    assert.match(messages[1].data, /dLoss<\/b> 1\.235/);
  });

  it('progressLine shows step, percent and metrics', () => {
    const line = progressLine('fit', {
      step: 50,
      total: 200,
      elapsedSeconds: 10,
      metrics: { gLoss: 0.5 },
      done: false,
    });
    assert.match(line, /^fit \[#{6}\.{18}\] 50\/200 25% · 5 steps\/s · ETA 0:30 · gLoss 0\.5$/);
  });

  it('liveTrainingView sends the bundle once, outside the updated output, and throttles redraws', () => {
    resetPlotly();
    const png = imageGridPng(new Float32Array(4 * 784), { rows: 2, cols: 2 });
    let view: ReturnType<typeof liveTrainingView> | undefined;
    const messages = capture(() => {
      view = liveTrainingView({ total: 100, minIntervalMs: 60_000 });
      for (let step = 1; step <= 100; step++)
        view.update({ step, dLoss: 1.4, gLoss: 0.7, dReal: 0.5, dFake: 0.5 }, step === 50 ? png : undefined);
      view.done();
    });
    assert.equal(view!.history.length, 100);
    assert.equal(messages.filter((m) => m.data.includes(BUNDLE_MARK)).length, 1);
    const live = messages.filter((m) => m.displayId !== null);
    assert.equal(live.length, 2, 'the initial view and the final one');
    assert.ok(live.every((m) => !m.data.includes(BUNDLE_MARK) && m.data.length < 200_000));
    assert.match(live[1].data, /<img class="tsgan-samples" alt="samples" src="data:image\/png;base64,/);
    assert.match(live[1].data, /class="tsgan-plot"/);
  });

  it("the live view draws trainingCurvesFigure of its history, labelled by the loss's output, and the step's metrics by name", () => {
    const messages = capture(() => {
      const view = liveTrainingView({ minIntervalMs: 0, output: leastSquaresLoss().output });
      view.update({ step: 1, dLoss: 0.25, gLoss: 0.125, dReal: 0.5, dFake: 0.75 });
      view.done();
    });
    const last = messages.filter((m) => m.displayId !== null).pop()!.data;
    assert.match(last, /a least-squares score/);
    assert.match(last, /step 1 · D loss 0\.25 · G loss 0\.125 · D\(x\) 0\.5 · D\(G\(z\)\) 0\.75/);
  });

  it('rate and ETA count only the steps timed (a resumed run), and STEP_METRIC_LABELS name the four numbers', () => {
    assert.deepEqual(
      rateAndEta({ step: 150, startStep: 100, total: 300, elapsedSeconds: 10, metrics: {}, done: false }),
      { rate: '5 steps/s', eta: 'ETA 0:30' },
    );
    assert.deepEqual(
      rateAndEta({ step: 100, startStep: 100, total: 300, elapsedSeconds: 10, metrics: {}, done: false }),
      { rate: '–', eta: 'ETA ?' },
    );
    assert.deepEqual(rateAndEta({ step: 2, total: 10, elapsedSeconds: 5, metrics: {}, done: false }), {
      rate: '2.5 s/step',
      eta: 'ETA 0:20',
    });
    assert.deepEqual(labelledStepMetrics({ dLoss: 1, gLoss: 2, dReal: 3, dFake: 4 }), {
      'D loss': 1,
      'G loss': 2,
      'D(x)': 3,
      'D(G(z))': 4,
    });
    assert.deepEqual(Object.keys(STEP_METRIC_LABELS), ['dLoss', 'gLoss', 'dReal', 'dFake']);
  });
});
