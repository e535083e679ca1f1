// `node scripts/homework-bench.mjs [--students 30] [--isolate] [--assignment gan_homework]`: times the grader on a
// class of submissions made from the assignment's solution notebook (every exercise attempted; each student's copy has one exercise blanked, in turn,
// so that the notebooks differ). Prints the time per student, the total, and the load average it ran under.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cellsById, notebookText, readNotebook, releaseDir, sourceDir } from './homework/notebook.mjs';
import { gradeNotebooks } from './homework/grade.mjs';
import { createRequire } from 'node:module';
import { readCommandLine } from './args.mjs';

const { autograded } = createRequire(import.meta.url)('tsgan').homework;

const USAGE = 'usage: node scripts/homework-bench.mjs [--students 30] [--isolate] [--assignment gan_homework]';
const flags = readCommandLine(
  process.argv.slice(2),
  {
    students: { type: 'string', default: '30' },
    isolate: { type: 'boolean' },
    assignment: { type: 'string', default: 'gan_homework' },
  },
  { usage: USAGE },
).values;
const n = Number(flags.students);
if (!Number.isInteger(n) || n < 1) {
  console.error(`--students must be a whole number ≥ 1, got "${flags.students}".\n${USAGE}`);
  process.exit(2);
}
const isolate = Boolean(flags.isolate);
const { assignment } = flags;
const ids = autograded(assignment).map((e) => e.id);
const source = readNotebook(path.join(sourceDir, `${assignment}.ipynb`));
const released = cellsById(readNotebook(path.join(releaseDir, `${assignment}.ipynb`)));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-homework-bench-'));
try {
  for (let i = 0; i < n; i++) {
    const nb = structuredClone(source);
    const blank = ids[i % ids.length];
    for (const c of nb.cells) if (c.metadata.nbgrader.grade_id === blank) c.source = released.get(blank).source;
    fs.writeFileSync(path.join(dir, `student${String(i + 1).padStart(2, '0')}.ipynb`), notebookText(nb));
  }
  const load = os.loadavg()[0];
  const t0 = Date.now();
  const { students } = await gradeNotebooks(
    fs.readdirSync(dir).map((f) => path.join(dir, f)),
    dir,
    { isolate },
  );
  const wall = (Date.now() - t0) / 1000;
  const perStudent = students.map((s) => s.seconds).sort((a, b) => a - b);
  const ok = students.every((s) => s.results.filter((r) => r.status === 'pass').length === ids.length - 1);
  console.log(
    `${n} submissions of ${assignment}, ${isolate ? 'one process per exercise' : 'one process per student'}, ${os.availableParallelism?.() ?? os.cpus().length} cores, load average ${load.toFixed(1)} at the start`,
  );
  console.log(
    `total ${wall.toFixed(1)} s = ${(wall / n).toFixed(1)} s per student of wall time; one student's grading took ` +
      `${perStudent[0].toFixed(1)}-${perStudent[perStudent.length - 1].toFixed(1)} s (median ${perStudent[Math.floor(n / 2)].toFixed(1)} s)`,
  );
  console.log(`every submission scored as expected (all but its blank exercise pass): ${ok ? 'yes ✔' : 'NO ✘'}`);
  process.exitCode = ok ? 0 : 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
