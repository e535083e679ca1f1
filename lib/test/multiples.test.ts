import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { figure, lineTrace, smallMultiples } from '../src/viz';

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
