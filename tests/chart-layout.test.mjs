// Issue 29: every chart readable as a picture. The lib's chart builders are drawn in headless Chromium with
// the notebook's plotly.js, and the bounding boxes of the title, legend, axis titles, tick labels and
// annotations must stay inside the figure, must not overlap each other, and the legend must not lie over a
// plot area (chartLayoutProblems in scripts/figure-pictures.mjs). Needs the built lib and Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { chartLayoutProblems, openPicturePage } from '../scripts/figure-pictures.mjs';

const viz = {
  ...createRequire(import.meta.url)('../lib/dist/viz/figure.js'),
  ...createRequire(import.meta.url)('../lib/dist/viz/multiples.js'),
  ...createRequire(import.meta.url)('../lib/dist/viz/plane.js'),
};
const { LEAST_SQUARES_OUTPUT } = (() => {
  const losses = createRequire(import.meta.url)('../lib/dist/losses/index.js');
  return { LEAST_SQUARES_OUTPUT: losses.leastSquaresLoss().output };
})();

let session;
before(async () => {
  session = await openPicturePage();
});
after(async () => {
  await session?.close();
});

/** A noisy training history of n steps with a spike, like a real run's. */
function history(n, output) {
  const step = Array.from({ length: n }, (_, i) => i + 1);
  const wave = (a, b, f) => step.map((s) => a + b * Math.sin(s * f) + (s === Math.floor(n / 3) ? 6 : 0));
  return {
    step,
    dLoss: wave(1.2, 0.2, 0.05),
    gLoss: wave(0.9, 0.4, 0.031),
    dReal: wave(0.6, 0.1, 0.02),
    dFake: wave(0.4, 0.1, 0.017),
    output,
  };
}

const readable = [
  [
    'training curves, 2,000 steps averaged',
    viz.trainingCurvesFigure(history(2000), { title: 'MLP GAN on MNIST: losses and mean D outputs' }),
  ],
  [
    'training curves, 300 steps, least squares',
    viz.trainingCurvesFigure(history(300, LEAST_SQUARES_OUTPUT), { title: 'The 1-D toy with the least-squares loss' }),
  ],
  [
    'two axes (a right axis) and a legend',
    viz.figure(
      [
        viz.lineTrace([1, 100, 200, 300], [0.5, 0.6, 0.7, 0.7], { name: 'momentum μ' }),
        {
          ...viz.lineTrace([1, 100, 200, 300], [0.1, 0.082, 0.067, 0.055], { name: 'learning rate (right axis)' }),
          yaxis: 'y2',
        },
      ],
      {
        title: "The paper's optimiser schedules (mnist.yaml)",
        xTitle: 'epoch (500 minibatches each)',
        yTitle: 'momentum μ',
        y2Title: 'learning rate',
        height: 340,
      },
    ),
  ],
  [
    'a line chart with long series names, log x',
    viz.lineChart(
      ['the trained generator (epoch 360)', 'real training digits', 'the mean digit, 10,000 times'].map((name, i) => ({
        name,
        x: [0.05, 0.1, 0.2, 0.5, 1],
        y: [200 - 100 * i, 230 - 100 * i, 150 - 100 * i, -300, -800],
      })),
      {
        title: 'Choosing σ: mean Parzen log-likelihood of the validation images',
        xTitle: 'kernel width σ (log scale)',
        yTitle: 'mean log-likelihood (nats)',
        logX: true,
        height: 360,
      },
    ),
  ],
  [
    'a right axis and a legend of four long names (two runs compared)',
    viz.figure(
      ['covering (D and G at 10⁻³)', 'collapsing (D at 10⁻⁴)'].flatMap((run, i) => [
        viz.lineTrace([0, 500, 1000, 2000], [1 + i, 4, 6 - i, 8 - 4 * i], {
          name: `${run}: modes covered`,
          mode: 'lines+markers',
        }),
        {
          ...viz.lineTrace([0, 500, 1000, 2000], [0.1, 0.5, 0.8, 0.9 - 0.7 * i], {
            name: `${run}: high-quality share`,
            dash: 'dot',
          }),
          yaxis: 'y2',
        },
      ]),
      {
        title: 'Modes covered and high-quality share over training',
        xTitle: 'training step',
        yTitle: 'modes covered (of 8)',
        yRange: [0, 8.5],
        y2Title: 'high-quality share',
        y2Range: [0, 1.0625],
      },
    ),
  ],
  [
    'small multiples: nine panels of densities and D, one legend',
    viz.smallMultiples(
      [0, 50, 100, 150, 200, 300, 400, 1000, 4000].map((step) =>
        viz.figure(
          [
            viz.lineTrace([-1, 1, 2, 3, 5], [0, 0.1, 0.8, 0.1, 0], { name: 'p_data (real)', dash: 'dot' }),
            viz.histogramTrace(
              Array.from({ length: 200 }, (_, i) => step / 1000 + i / 100),
              { name: 'p_g (histogram of G(z))', normalize: 'density', range: [-1, 5], bins: 80 },
            ),
            viz.lineTrace([-1, 5], [0.3, 0.7], { name: 'D(x)', dash: 'dash' }),
          ],
          {
            title: `after ${step} steps`,
            xTitle: 'x',
            yTitle: 'density (p_data, p_g) / probability (D)',
            xRange: [-1, 5],
          },
        ),
      ),
      { title: 'The game at fixed steps', yRange: [0, 1.3] },
    ),
  ],
  ...[480, 900].flatMap((width) => {
    // 07's live view: the chart shares a row with the samples, about 480 px wide; plotly never wraps a title
    const title = 'DCGAN on MNIST (Algorithm 1, Adam 2e-4, β1 0.5): losses and mean D outputs';
    const curves = viz.trainingCurvesFigure(history(1000), { title });
    curves.layout.width = width;
    const xy = viz.figure([viz.lineTrace([0, 1], [0, 1], { name: 'a line' })], {
      title,
      xTitle: 'x',
      yTitle: 'y',
      width,
    });
    return [
      [`a long title, training curves ${width} px wide`, curves],
      [`a long title, a chart ${width} px wide`, xy],
    ];
  }),
  [
    'small multiples of pictures of the plane (heat maps of D): one colour scale, square panels',
    viz.smallMultiples(
      [0, 400, 800, 1200, 1600, 2000].map((step) => {
        const grid = Array.from({ length: 21 }, (_, i) => -2 + i / 5);
        const ring = (r, n) => Array.from({ length: n }, (_, i) => [r * Math.cos(i), r * Math.sin(i)]);
        const cloud = ring(1.5 * (step / 2000), 40);
        return viz.planeFigure(
          {
            gridX: grid,
            gridY: grid,
            d: grid.map((y) => grid.map((x) => 1 / (1 + Math.exp(x * x + y * y - 2)))),
            real: { x: ring(1.5, 40).map((p) => p[0]), y: ring(1.5, 40).map((p) => p[1]) },
            fake: { x: cloud.map((p) => p[0]), y: cloud.map((p) => p[1]) },
            gradient: { x: cloud.slice(0, 10).map((p) => -p[0]), y: cloud.slice(0, 10).map((p) => -p[1]) },
          },
          { title: `ringGan(1), k = 1: step ${step} of 2000` },
        );
      }),
      { title: 'The replay at six steps', rowHeight: 300 },
    ),
  ],
];

for (const [name, fig] of readable) {
  test(`readable as a picture: ${name}`, async () => {
    assert.deepEqual(await chartLayoutProblems(session.page, fig), []);
  });
}

test('the check finds a legend over the curves, a clipped right-axis title and a title over the legend', async () => {
  const fig = viz.figure(
    [
      viz.lineTrace([0, 1, 2], [0, 1, 2], { name: 'a rising line with a long name' }),
      { ...viz.lineTrace([0, 1, 2], [0.001, 0.002, 0.0015], { name: 'a second line' }), yaxis: 'y2' },
    ],
    {
      title: 'A chart laid out by hand',
      xTitle: 'x',
      yTitle: 'y',
      layout: {
        margin: { l: 60, r: 20, t: 50, b: 50 },
        yaxis2: { title: { text: 'right axis' }, overlaying: 'y', side: 'right', automargin: false },
        legend: { x: 0.3, y: 0.5 },
      },
    },
  );
  const problems = await chartLayoutProblems(session.page, fig);
  assert.ok(problems.includes('the legend lies over a plot area (over the curves)'), problems.join('\n'));
  assert.ok(
    problems.some((p) => /y2 (axis title|tick label).*not inside the figure/.test(p)),
    problems.join('\n'),
  );
  const crowded = viz.figure([viz.lineTrace([0, 1], [0, 1], { name: 'line' })], {
    title: 'A title',
    xTitle: 'x',
    yTitle: 'y',
    layout: { legend: { orientation: 'h', x: 0, y: 1.3, yanchor: 'bottom' }, margin: { t: 30 } },
  });
  assert.ok(
    (await chartLayoutProblems(session.page, crowded)).some((p) => /not inside the figure|overlaps/.test(p)),
    'a legend pushed over the title',
  );
});
