/**
 * The library's functions each exercise asks the student to write: a cell (or, in hw.check, a function's
 * source) that calls one of them through `gan` answers nothing, and scores 0 with a message that says so.
 * Reading the library's source and copying it is plagiarism, which no check can see (README's threat model).
 */
import { exercise } from './spec';

/** Comments removed (a comment that mentions gan.discriminatorLoss is no call); strings are kept. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1');
}

/** The reference `text` calls for exercise `id` (gan.name, gan['name'], or `{ name } = gan`), if any. */
export function referenceCalled(id: string, text: string): string | undefined {
  const code = withoutComments(text);
  return (exercise(id).references ?? []).find(
    (name) =>
      new RegExp(`\\bgan\\s*(?:\\?\\.|\\.)\\s*${name}\\b`).test(code) ||
      new RegExp(`\\bgan\\s*\\[\\s*['"\`]${name}['"\`]`).test(code) ||
      new RegExp(`\\{[^}]*\\b${name}\\b[^}]*\\}\\s*=\\s*gan\\b`).test(code),
  );
}
