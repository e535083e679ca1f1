// `npm run homework -- <command>`: the course homework's teacher tools (homework/ at the top of the repo).
//   cases [--seed N] [--hidden] [--out file]   reference cases of every assignment from the lib's functions (default:
//                                              the public homework/cases/public.json, seed 1; --hidden: your own seed, keep the file private)
//   release [--check]                          homework/source/<assignment>.ipynb -> homework/release/ (--check: fail if out of date)
//   grade <notebook | folder> [--csv grades.csv] [--hidden cases.json] [--manual scores.csv] [--out dir]
//         [--timeout seconds] [--jobs N] [--memory MB] [--isolate]
//                                              grade submissions of any assignments, mixed: one row per student and
//                                              assignment; each student's code in a sandbox (one process
//                                              per student, each exercise with a time limit; --isolate: one
//                                              process per exercise; --memory: per student, default 1536)
import { main } from './homework/cli.mjs';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`homework: ${e.message}`);
    process.exit(1);
  },
);
