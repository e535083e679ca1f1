import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  animatedFigure,
  animationHtml,
  showAnimation,
  figure,
  lineTrace,
  setDisplaySink,
  type DisplayMessage,
} from '../src';

const frame = (k: number) => ({
  label: `step ${k}`,
  figure: figure([lineTrace([0, 1], [k, k + 1], { name: 'line' })], {
    title: `after ${k} steps`,
    xTitle: 'x',
    yTitle: 'y',
    layout: { annotations: [{ text: `a${k}` }] },
  }),
});

describe('animatedFigure', () => {
  test('one frame per snapshot, named by its label; slider steps and a play button that animate them', () => {
    const fig = animatedFigure([frame(0), frame(10), frame(20)], { frameMs: 250, prefix: 'after ' });
    assert.deepEqual(
      fig.frames.map((f) => f.name),
      ['step 0', 'step 10', 'step 20'],
    );
    assert.deepEqual(fig.frames[2].data[0].y, [20, 21]);
    assert.deepEqual(fig.frames[1].layout, { title: { text: 'after 10 steps' }, annotations: [{ text: 'a10' }] });
    assert.deepEqual(fig.data, frame(0).figure.data, 'the figure shows the first frame');
    const slider = (fig.layout.sliders as { steps: { label: string; method: string; args: unknown[] }[] }[])[0];
    assert.deepEqual(
      slider.steps.map((s) => [s.label, s.method, (s.args[0] as string[])[0]]),
      [
        ['step 0', 'animate', 'step 0'],
        ['step 10', 'animate', 'step 10'],
        ['step 20', 'animate', 'step 20'],
      ],
    );
    const play = (
      fig.layout.updatemenus as { buttons: { label: string; args: [unknown, { frame: { duration: number } }] }[] }[]
    )[0].buttons[0];
    assert.match(play.label, /Play/);
    assert.equal(play.args[0], null, 'null plays every frame');
    assert.equal(play.args[1].frame.duration, 250);
    // JSON round trip: what goes into the page
    assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig);
  });

  test('refuses frames that differ in their traces, repeated labels and no frames', () => {
    const odd = {
      label: 'odd',
      figure: figure([{ type: 'heatmap', z: [[1]] }], { title: 't', xTitle: 'x', yTitle: 'y' }),
    };
    assert.throws(() => animatedFigure([frame(0), odd]), /same traces/);
    assert.throws(() => animatedFigure([frame(0), frame(0)]), /distinct labels/);
    assert.throws(() => animatedFigure([]), /at least one frame/);
  });

  test('HTML: the first frame drawn like every figure, the frames added by a script that cannot close early', () => {
    const fig = animatedFigure([frame(0), { label: '</script>', figure: frame(1).figure }]);
    const html = animationHtml(fig);
    assert.match(html, /<div class="tsgan-animation" data-frames="2">/);
    assert.match(html, /class="tsgan-plot"/);
    assert.match(html, /Plotly\.addFrames/);
    assert.equal(html.split('</script>').length - 1, 2, 'only the two scripts close');
    assert.throws(() => animationHtml({ data: [], layout: {}, frames: [] }), /frames/);
  });

  test('showAnimation sends one HTML output (plus the plotly bundle once) to the notebook', () => {
    const messages: DisplayMessage[] = [];
    const previous = setDisplaySink((m) => messages.push(m));
    try {
      showAnimation(animatedFigure([frame(0), frame(1)]));
    } finally {
      setDisplaySink(previous);
    }
    const animations = messages.filter((m) => m.data.includes('tsgan-animation'));
    assert.equal(animations.length, 1);
    assert.ok(messages.every((m) => m.mime === 'text/html'));
  });
});
