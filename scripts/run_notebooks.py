"""Executes notebooks headless with the tslab kernel through Jupyter's own client (nbclient).

Called by scripts/notebooks.mjs (which sets JUPYTER_* so the project-local kernel spec is found);
setup calls it with --check. tslab reports a failing cell only through the execute_reply status and the
cell's stderr (no `error` output), so on failure this prints the notebook, the cell and that stderr.
Executed copies (partial ones too) are signed so Jupyter trusts their scripts and exported to HTML.
"""
import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat.sign import NotebookNotary

KERNEL = "tslab"


def log(msg=""):
    print(msg, flush=True)


def indent(text, prefix="    "):
    return "\n".join(prefix + line for line in text.rstrip("\n").split("\n"))


def stream_text(cell, name):
    return "".join(
        o.get("text", "")
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == name
    )


def first_line(source):
    line = source.strip().split("\n")[0] if source.strip() else ""
    return line if len(line) <= 70 else line[:67] + "..."


class Runner:
    def __init__(self, path, cwd, timeout):
        self.path = path
        self.nb = nbformat.read(path, as_version=4)
        self.cwd = cwd
        self.timeout = timeout
        self.current = None  # (index, cell) of the cell being executed
        self.started = 0.0
        self.code_cells = sum(1 for c in self.nb.cells if c.cell_type == "code" and c.source.strip())
        self.done_cells = 0

    def on_cell_start(self, cell, cell_index):
        self.current = (cell_index, cell)
        self.started = time.monotonic()

    def on_cell_executed(self, cell, cell_index, execute_reply=None):
        self.done_cells += 1
        took = time.monotonic() - self.started
        log("  [%d/%d] cell %d  %6.1f s  %s" % (self.done_cells, self.code_cells, cell_index, took, first_line(cell.source)))

    def execute(self):
        client = NotebookClient(
            self.nb,
            timeout=self.timeout,
            startup_timeout=120,
            kernel_name=KERNEL,  # every project notebook is TypeScript, whatever its metadata says
            resources={"metadata": {"path": self.cwd}},  # the kernel's working directory
            record_timing=True,
            on_cell_start=self.on_cell_start,
            on_cell_executed=self.on_cell_executed,
        )
        client.execute()


def describe_failure(runner, exc):
    lines = []
    if runner.current is None:
        lines.append("  the kernel did not start or failed before the first cell:")
        lines.append(indent(str(exc)))
        return "\n".join(lines)
    index, cell = runner.current
    total = len(runner.nb.cells)
    if isinstance(exc, CellTimeoutError):
        what = "timed out after %s s (raise TSGAN_CELL_TIMEOUT to allow longer cells)" % runner.timeout
    elif isinstance(exc, DeadKernelError):
        what = "killed the kernel (out of memory? a native crash?)"
    else:
        what = "failed"
    lines.append("  cell %d (of %d, counting from 0; execution_count %s) %s" % (index, total, cell.get("execution_count"), what))
    lines.append("  --- cell source ---")
    lines.append(indent(cell.source or "(empty)"))
    stderr = stream_text(cell, "stderr")
    lines.append("  --- cell stderr ---")
    lines.append(indent(stderr) if stderr.strip() else "    (empty)")
    if isinstance(exc, CellExecutionError) and not stderr.strip():
        # Not tslab's usual shape: show what the kernel's reply said instead.
        lines.append("  --- kernel reply ---")
        lines.append(indent("%s: %s" % (exc.ename, exc.evalue)))
    if not isinstance(exc, CellExecutionError):
        lines.append("  --- error ---")
        lines.append(indent("%s: %s" % (type(exc).__name__, str(exc).strip()[:2000])))
    stdout = stream_text(cell, "stdout")
    if stdout.strip():
        tail = stdout.rstrip("\n").split("\n")[-15:]
        lines.append("  --- cell stdout (last %d lines) ---" % len(tail))
        lines.append(indent("\n".join(tail)))
    return "\n".join(lines)


def save(nb, out_dir, name):
    """Signs (so Jupyter runs the plots' scripts) and writes .ipynb + .html; returns the paths."""
    from nbconvert import HTMLExporter

    os.makedirs(out_dir, exist_ok=True)
    NotebookNotary().sign(nb)  # secret and signature db live in JUPYTER_DATA_DIR (the project's .jupyter)
    ipynb = os.path.join(out_dir, name + ".ipynb")
    tmp = ipynb + ".tmp"
    nbformat.write(nb, tmp)
    os.replace(tmp, ipynb)
    body, _ = HTMLExporter().from_notebook_node(nb)
    html = os.path.join(out_dir, name + ".html")
    with open(html + ".tmp", "w", encoding="utf-8") as f:
        f.write(body)
    os.replace(html + ".tmp", html)
    return ipynb, html


def run_one(path, out_dir, cwd, timeout, repo):
    name = os.path.splitext(os.path.basename(path))[0]
    shown = os.path.relpath(path, repo) if os.path.abspath(path).startswith(repo + os.sep) else path
    log("=== %s" % shown)
    t0 = time.monotonic()
    try:
        runner = Runner(path, cwd, timeout)
    except Exception as exc:  # unreadable JSON, wrong format...
        log("FAIL %s: cannot read the notebook: %s" % (shown, exc))
        return False
    error = None
    try:
        runner.execute()
    except Exception as exc:  # CellExecutionError, CellTimeoutError, DeadKernelError, startup errors
        error = exc
    took = time.monotonic() - t0
    try:
        ipynb, html = save(runner.nb, out_dir, name)
        saved = "%s, %s" % (os.path.relpath(ipynb, repo), os.path.relpath(html, repo))
    except Exception as exc:
        saved = None
        save_error = "could not save the executed copy: %s: %s" % (type(exc).__name__, exc)
    if error is None and saved:
        log("PASS %s (%.1f s) -> %s" % (shown, took, saved))
        return True
    log("FAIL %s (%.1f s)" % (shown, took))
    if error is not None:
        log(describe_failure(runner, error))
    if saved:
        log("  executed copy%s: %s" % (" (partial)" if error is not None else "", saved))
    else:
        log("  " + save_error)
    return False


def check(repo):
    """Setup's smoke test: the kernel starts, compiles TypeScript and imports the built lib."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(
        "import * as gan from 'tsgan';\nconst kind: string = typeof gan.initBackend;\nconsole.log('tsgan import: ' + kind);"))
    cwd = os.path.join(repo, "notebooks")
    if not os.path.isdir(cwd):
        cwd = repo
    t0 = time.monotonic()
    client = NotebookClient(nb, timeout=120, startup_timeout=120, kernel_name=KERNEL, resources={"metadata": {"path": cwd}})
    try:
        client.execute()
    except Exception as exc:
        cell = nb.cells[0]
        log("kernel check failed: %s: %s" % (type(exc).__name__, str(exc)[:1000]))
        log("cell stderr:\n" + indent(stream_text(cell, "stderr") or "(empty)"))
        return 1
    out = stream_text(nb.cells[0], "stdout")
    if "tsgan import: function" not in out:
        log("kernel check failed: expected 'tsgan import: function', got stdout %r stderr %r" % (out, stream_text(nb.cells[0], "stderr")))
        return 1
    log("kernel check passed: tslab started, compiled TypeScript and imported tsgan (%.1f s)" % (time.monotonic() - t0))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("notebooks", nargs="*")
    ap.add_argument("--out", help="folder for executed copies (.ipynb signed, .html)")
    ap.add_argument("--timeout", type=int, default=1800, help="per-cell timeout in seconds")
    ap.add_argument("--repo", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--check", action="store_true", help="only check that the kernel runs a cell importing tsgan")
    args = ap.parse_args()
    repo = os.path.abspath(args.repo)
    if args.check:
        return check(repo)
    out_dir = os.path.abspath(args.out or os.path.join(repo, "build", "notebooks"))
    passed = failed = 0
    for path in args.notebooks:
        path = os.path.abspath(path)
        # The kernel runs in the notebook's folder (tslab resolves 'tsgan' from the nearest node_modules);
        # a notebook outside the checkout runs in notebooks/ so that 'tsgan' still resolves.
        cwd = os.path.dirname(path) if path.startswith(repo + os.sep) else os.path.join(repo, "notebooks")
        if run_one(path, out_dir, cwd, args.timeout, repo):
            passed += 1
        else:
            failed += 1
    log("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
