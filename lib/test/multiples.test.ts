import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { figure, framesAsMultiples, lineTrace, planeFigure, smallMultiples } from '../src/viz';

const panel = (step: number) =>
  figure([lineTrace([0, 1], [0, step], { name: 'a' }), lineTrace([0, 1], [1, 0], { name: 'b' })], {
    title: `after ${step} steps`,
    xTitle: 'x',
    yTitle: 'y',
    yRange: [0, 9],
  });

test('smallMultiples: one axis pair per panel in a grid, panel titles, one legend, one shared y scale', () => {
  const fig = smallMultiples([1, 2, 3, 4, 5].map(panel), { title: 'Over training', columns: 2 });
  assert.deepEqual(
    fig.data.map((t) => [t.xaxis, t.yaxis, t.showlegend]),
    [
      ['x', 'y', true],
      ['x', 'y', true],
      ['x2', 'y2', false],
      ['x2', 'y2', false],
      ['x3', 'y3', false],
      ['x3', 'y3', false],
      ['x4', 'y4', false],
      ['x4', 'y4', false],
      ['x5', 'y5', false],
      ['x5', 'y5', false],
    ],
  );
  const l = fig.layout as { [k: string]: { [k: string]: unknown } } & { annotations: { text: string }[] };
  assert.deepEqual(
    l.annotations.map((a) => a.text),
    [1, 2, 3, 4, 5].map((s) => `after ${s} steps`),
  );
  // 3 rows of 2: panel 1 left of panel 2, panel 3 under panel 1
  const [d1, d2, d3] = ['xaxis', 'xaxis2', 'xaxis3'].map((k) => l[k].domain as number[]);
  assert.ok(d1[1] < d2[0] && d3[0] === d1[0]);
  assert.ok((l.yaxis3.domain as number[])[1] < (l.yaxis.domain as number[])[0]);
  // one y title, left of the middle row; x titles on the last panel of each column
  assert.deepEqual(l.yaxis3.title, { text: 'y' });
  assert.deepEqual(
    [l.yaxis.title, l.yaxis2.title, l.yaxis4.title, l.yaxis5.title],
    [undefined, undefined, undefined, undefined],
  );
  assert.deepEqual(l.xaxis5.title, { text: 'x' });
  assert.deepEqual(l.xaxis4.title, { text: 'x' }, 'nothing under panel 4 in its column');
  assert.equal(l.xaxis3.title, undefined);
  // one autoranged y scale for all panels (the panels' own fixed range dropped), or the range asked for
  assert.equal(l.yaxis.autorange, true);
  assert.equal(l.yaxis4.matches, 'y');
  const fixed = smallMultiples([panel(1), panel(2)], { title: 'T', yRange: [0, 2] }).layout as {
    [k: string]: { [k: string]: unknown };
  };
  assert.deepEqual(fixed.yaxis2.range, [0, 2]);
  assert.throws(() => smallMultiples([], { title: 'T' }), /at least one/);
  assert.throws(() => smallMultiples([panel(1)], { title: '' }), /title is required/);
  const twoAxes = figure([], { title: 'T', xTitle: 'x', yTitle: 'y', y2Title: 'z' });
  assert.throws(() => smallMultiples([twoAxes], { title: 'T' }), /one-axis figures/);
});

test('pictures of the plane as panels: one colour scale, each panel square against its own x axis', () => {
  const grid = [-1, 0, 1];
  const picture = (step: number) =>
    planeFigure(
      {
        gridX: grid,
        gridY: grid,
        d: grid.map(() => [0.2, 0.5, 0.8]),
        real: { x: [0], y: [1] },
        fake: { x: [step], y: [0] },
      },
      { title: `step ${step}` },
    );
  const fig = smallMultiples([0, 1, 2].map(picture), { title: 'A replay' });
  assert.deepEqual(
    fig.data.filter((t) => t.type === 'heatmap').map((t) => t.showscale),
    [true, false, false],
  );
  const l = fig.layout as { [k: string]: { scaleanchor?: string } };
  assert.deepEqual([l.yaxis.scaleanchor, l.yaxis2.scaleanchor, l.yaxis3.scaleanchor], ['x', 'x2', 'x3']);
});

test('framesAsMultiples: panels evenly spaced from the first frame to the last, titled by their labels', () => {
  const frames = Array.from({ length: 21 }, (_, i) => ({ label: `step ${i * 100}`, figure: panel(i) }));
  const titles = (f: ReturnType<typeof framesAsMultiples>) =>
    (f.layout as { annotations: { text: string }[] }).annotations.map((a) => a.text);
  assert.deepEqual(titles(framesAsMultiples(frames, { title: 'A replay' })), [
    'step 0',
    'step 400',
    'step 800',
    'step 1200',
    'step 1600',
    'step 2000',
  ]);
  assert.deepEqual(titles(framesAsMultiples(frames.slice(0, 2), { title: 'Two frames', panels: 4 })), [
    'step 0',
    'step 100',
  ]);
  assert.throws(() => framesAsMultiples([], { title: 'none' }), /at least one frame/);
  assert.throws(() => framesAsMultiples(frames, { title: 'x', panels: 0 }), /positive integer/);
});

test('framesAsMultiples draws the panels in the frames’ own y range unless told otherwise', () => {
  const frames = [0, 1].map((i) => ({ label: `step ${i}`, figure: panel(i) })); // yRange [0, 9]
  const y = (f: ReturnType<typeof smallMultiples>) => (f.layout as { yaxis: { range?: number[] } }).yaxis;
  assert.deepEqual(y(framesAsMultiples(frames, { title: 'own' })).range, [0, 9]);
  assert.deepEqual(y(framesAsMultiples(frames, { title: 'given', yRange: [0, 1] })).range, [0, 1]);
});
