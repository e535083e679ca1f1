// The program the sandboxed child runs for one exercise (lib/src/homework/runtime/child.ts): the student's cell
// inside an async function (tslab cells may use top-level await), after the functions of the exercises it
// depends on (the library's, handed in by the child), returning the function the cell defines. TypeScript is
// compiled here, types stripped; the parent never runs it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ts = require('typescript');
const { dependencies, exercise } = require('tsgan').homework;

const IMPORT_LINE = /^\s*import\s+(?:[\s\S]*?\s+from\s+)?['"]([^'"]+)['"];?\s*$/;

/** Import lines leave the cell (the program imports at the top); tf and gan are always there. */
function splitImports(text) {
  const imports = [];
  const body = text.split('\n').map((line) => {
    if (!IMPORT_LINE.test(line)) return line;
    const module = line.match(IMPORT_LINE)[1];
    if (module !== '@tensorflow/tfjs' && module !== 'tsgan') imports.push(line.trim());
    return ''; // keep the line count, so compile errors point at the student's own line
  });
  return { imports, body: body.join('\n') };
}

/** { code, studentFirstLine, studentLines, dependsOn } for exercise `id` and the student's cell text. */
export function buildProgram(id, studentCell) {
  const fn = exercise(id).fn;
  const dependsOn = dependencies(id);
  const names = dependsOn.map((d) => exercise(d).fn);
  const student = splitImports(studentCell);
  const head = [
    "import * as tf from '@tensorflow/tfjs';",
    "import * as gan from 'tsgan';",
    ...student.imports,
    'exports.__cells = async function (__deps: any): Promise<unknown> {',
    names.length ? `  const { ${names.join(', ')} } = __deps;` : '',
    '  const hw = gan.homework;',
    "{ // the student's cell, in a block of its own: names it declares again (hw, a helper) shadow instead of clashing",
  ].join('\n');
  const tail = [`  return typeof ${fn} === 'function' ? ${fn} : undefined;`, '}', '};'].join('\n');
  const code = `${head}\n${student.body}\n${tail}\n`;
  return { code, studentFirstLine: head.split('\n').length + 1, studentLines: student.body.split('\n').length, dependsOn };
}

/** TypeScript -> CommonJS, types stripped; syntax errors in the student's lines come back with their line number. */
export function compileProgram(p) {
  const out = ts.transpileModule(p.code, {
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    const d = errors[0];
    const line = d.start === undefined ? 0 : p.code.slice(0, d.start).split('\n').length - p.studentFirstLine + 1;
    const msg = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    return { error: line >= 1 && line <= p.studentLines ? `line ${line} of your cell: ${msg}` : msg };
  }
  return { js: out.outputText };
}
