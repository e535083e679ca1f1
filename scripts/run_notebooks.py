"""Executes notebooks headless with the tslab kernel through Jupyter's own client (nbclient).

Called by scripts/notebooks.mjs (which sets JUPYTER_* so the project-local kernel spec is found);
setup calls it with --check. tslab reports a failing cell only through the execute_reply status and the
cell's stderr (no `error` output), so on failure this prints the notebook, the cell and that stderr.

Every output is cleared before executing, so the executed copy holds only what this run produced. A
notebook passes when every code cell runs and no claim failed: the lib's gan.claim/gan.claimTrue write
"TSGAN-CLAIM-FAILED: <what>" to stderr when TSGAN_CLAIM_MARKERS is set (this runner sets it for its
kernels); the marker is removed from the saved copy, where the claim's own "✘ ..." line remains.
Only a passing copy is signed (trusted, so Jupyter runs its plots' scripts); a failed or interrupted one is
saved unsigned. --rerun executes every code cell twice in a row (cells must be safe to re-run).
Ctrl-C stops the running notebook, shuts its kernel down and exits with 130.
"""
import argparse
import asyncio
import os
import signal
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat.sign import NotebookNotary

KERNEL = "tslab"
CLAIM_MARKER = "TSGAN-CLAIM-FAILED:"  # lib/src/claims/claim.ts
CROSS = "\u2718"  # ✘, how a failed claim's line starts
# Seconds to wait for a cell's outputs after its execute_reply. When 07 once "needed" more than 120 s, its
# kernel had lost them (zeromq 6 threw EBUSY; patches/tslab+1.0.22.patch): no wait would have been enough.
IOPUB_TIMEOUT = 120


class Interrupted(Exception):
    """Ctrl-C (SIGINT) or SIGTERM arrived while a notebook ran."""


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


def clear_outputs(nb):
    """Nothing from an earlier run may survive into the executed copy (a stale <script> would run once signed)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)


def take_claim_failures(cell):
    """The claims that failed in this cell's latest execution; removes the markers from its stderr."""
    if cell.cell_type != "code":
        return []  # a markdown cell has no outputs (an `outputs` key would make the notebook invalid)
    failed = []
    kept = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            lines = out.get("text", "").split("\n")
            rest = [l for l in lines if not l.startswith(CLAIM_MARKER)]
            failed += [l[len(CLAIM_MARKER):].strip() for l in lines if l.startswith(CLAIM_MARKER)]
            out["text"] = "\n".join(rest)
            if not out["text"].strip():
                continue
        kept.append(out)
    cell.outputs = kept
    if not failed:
        # A lib built before the markers existed (or a hand-written cross) still prints the friendly line.
        failed = [l.strip() for l in stream_text(cell, "stdout").split("\n") if l.startswith(CROSS + " ")]
    return failed


class Runner:
    def __init__(self, path, cwd, timeout, rerun=False):
        self.path = path
        self.nb = nbformat.read(path, as_version=4)
        clear_outputs(self.nb)
        self.cwd = cwd
        self.timeout = timeout
        self.rerun = rerun
        self.current = None  # (index, cell) of the cell being executed
        self.started = 0.0
        self.code_cells = sum(1 for c in self.nb.cells if c.cell_type == "code" and c.source.strip())
        self.done_cells = 0
        self.scanned = True
        self.run_of_cell = 1  # 1, or 2 for the re-run
        self.claim_failures = []  # (cell index, run, what)
        self.cell_times = []  # (cell index, seconds) of the first run of each code cell

    def on_cell_start(self, cell, cell_index):
        self.current = (cell_index, cell)
        self.started = time.monotonic()
        self.scanned = False  # on_cell_executed does not run when a cell times out or kills the kernel

    def on_cell_executed(self, cell, cell_index, execute_reply=None):
        took = time.monotonic() - self.started
        self.scanned = True
        if self.run_of_cell == 1:
            self.done_cells += 1
            self.cell_times.append((cell_index, took))
        for what in take_claim_failures(cell):
            self.claim_failures.append((cell_index, self.run_of_cell, what))
        again = " (re-run)" if self.run_of_cell == 2 else ""
        log("  [%d/%d] cell %d%s  %6.1f s  %s" % (self.done_cells, self.code_cells, cell_index, again, took, first_line(cell.source)))

    async def execute(self, interrupted):
        """Runs every cell (twice with rerun); raises the first execution error, or Interrupted."""
        client = NotebookClient(
            self.nb,
            timeout=self.timeout,
            startup_timeout=120,
            kernel_name=KERNEL,  # every project notebook is TypeScript, whatever its metadata says
            resources={"metadata": {"path": self.cwd}},  # the kernel's working directory
            record_timing=True,
            # nbclient's default gives up waiting for a cell's outputs 4 s after its reply and drops the rest
            # silently; on a loaded machine, after a cell that sent plotly's 4.8 MB bundle, that lost the claim
            # lines printed after it. Wait much longer, and fail loudly if it ever happens.
            iopub_timeout=IOPUB_TIMEOUT,
            raise_on_iopub_timeout=True,
            shutdown_kernel="immediate",
            on_cell_start=self.on_cell_start,
            on_cell_executed=self.on_cell_executed,
        )
        # The kernel set-up of nbclient's own execute() installs SIGINT handlers that shut the kernel down
        # under the running cell (an AssertionError and asyncio noise on Ctrl-C): set up by hand instead.
        client.km = client.create_kernel_manager()
        try:
            await client.async_start_new_kernel()
            await client.async_start_new_kernel_client()
            info = await client.async_wait_for_reply(await ensure(client.kc.kernel_info()))
            if info is not None and "language_info" in info["content"]:
                self.nb.metadata["language_info"] = info["content"]["language_info"]
            for index, cell in enumerate(self.nb.cells):
                runs = 2 if self.rerun and cell.cell_type == "code" and cell.source.strip() else 1
                for run in range(1, runs + 1):
                    self.run_of_cell = run
                    await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                    if interrupted():
                        raise Interrupted()
        except (DeadKernelError, asyncio.CancelledError):
            if interrupted():
                raise Interrupted()
            raise
        finally:
            if self.current is not None and not self.scanned:  # claims of a cell that then timed out
                index, cell = self.current
                for what in take_claim_failures(cell):
                    self.claim_failures.append((index, self.run_of_cell, what))
            try:
                await asyncio.shield(client._async_cleanup_kernel())
            except Exception:
                pass


async def ensure(value):
    return (await value) if asyncio.iscoroutine(value) or isinstance(value, asyncio.Future) else value


def output_kinds(cell):
    """The outputs a cell has, in order: stream names, or output types with their MIME types; repeats counted."""
    kinds = []  # [kind, count]: a run of the same kind counted once
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            kind = out.get("name", "stream")
        else:
            kind = "%s(%s)" % (out.get("output_type"), "+".join(sorted(out.get("data", {}).keys())))
        if kinds and kinds[-1][0] == kind:
            kinds[-1][1] += 1
        else:
            kinds.append([kind, 1])
    return [kind if n == 1 else "%s ×%d" % (kind, n) for kind, n in kinds]


def describe_failure(runner, exc):
    lines = []
    if runner.current is None:
        lines.append("  the kernel did not start or failed before the first cell:")
        lines.append(indent(str(exc)))
        return "\n".join(lines)
    index, cell = runner.current
    total = len(runner.nb.cells)
    if isinstance(exc, CellTimeoutError) and "IOPub" in str(exc):
        what = "finished, but its outputs did not all arrive within %d s (a machine overloaded?)" % IOPUB_TIMEOUT
    elif isinstance(exc, CellTimeoutError):
        what = "timed out after %s s (raise TSGAN_CELL_TIMEOUT to allow longer cells)" % runner.timeout
    elif isinstance(exc, DeadKernelError):
        what = "killed the kernel (out of memory? a native crash?)"
    else:
        what = "failed"
    lines.append("  cell %d (of %d, counting from 0; execution_count %s) %s" % (index, total, cell.get("execution_count"), what))
    # The cause before the cell's source: a log that keeps only the start of this still shows it.
    if not isinstance(exc, CellExecutionError):
        lines.append("  --- error ---")
        text = str(exc).split("Here is a preview of the cell contents")[0]  # nbclient's copy of the source, shown below
        lines.append(indent("%s: %s" % (type(exc).__name__, text.strip()[:2000])))
    stderr = stream_text(cell, "stderr")
    lines.append("  --- cell stderr ---")
    lines.append(indent(stderr) if stderr.strip() else "    (empty)")
    if isinstance(exc, CellExecutionError) and not stderr.strip():
        # Not tslab's usual shape: show what the kernel's reply said instead.
        lines.append("  --- kernel reply ---")
        lines.append(indent("%s: %s" % (exc.ename, exc.evalue)))
    stdout = stream_text(cell, "stdout")
    if stdout.strip():
        tail = stdout.rstrip("\n").split("\n")[-15:]
        lines.append("  --- cell stdout (last %d lines) ---" % len(tail))
        lines.append(indent("\n".join(tail)))
    lines.append("  --- outputs that arrived: %s ---" % (", ".join(output_kinds(cell)) or "none"))
    lines.append("  --- cell source ---")
    lines.append(indent(cell.source or "(empty)"))
    return "\n".join(lines)


def save(nb, out_dir, name, trusted):
    """Writes .ipynb + .html; signs the .ipynb only when trusted (a complete, passing run). Returns the paths."""
    from nbconvert import HTMLExporter

    os.makedirs(out_dir, exist_ok=True)
    notary = NotebookNotary()  # secret and signature db live in JUPYTER_DATA_DIR (the project's .jupyter)
    if trusted:
        notary.sign(nb)
    else:
        notary.unsign(nb)
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


async def run_one(path, out_dir, cwd, timeout, repo, rerun, interrupted):
    """Executes one notebook; returns True (passed), False (failed); raises Interrupted after saving."""
    name = os.path.splitext(os.path.basename(path))[0]
    shown = os.path.relpath(path, repo) if os.path.abspath(path).startswith(repo + os.sep) else path
    log("=== %s%s" % (shown, " (every code cell twice: re-run test)" if rerun else ""))
    t0 = time.monotonic()
    try:
        runner = Runner(path, cwd, timeout, rerun)
    except Exception as exc:  # unreadable JSON, wrong format...
        log("FAIL %s: cannot read the notebook: %s" % (shown, exc))
        return False
    error = None
    try:
        await runner.execute(interrupted)
    except Interrupted as exc:
        error = exc
    except Exception as exc:  # CellExecutionError, CellTimeoutError, DeadKernelError, startup errors
        error = exc
    took = time.monotonic() - t0
    passed = error is None and not runner.claim_failures
    try:
        ipynb, html = save(runner.nb, out_dir, name, trusted=passed)
        saved = "%s, %s" % (os.path.relpath(ipynb, repo), os.path.relpath(html, repo))
    except Exception as exc:
        saved = None
        save_error = "could not save the executed copy: %s: %s" % (type(exc).__name__, exc)
    if passed and saved:
        log("PASS %s (%.1f s) -> %s" % (shown, took, saved))
        return True
    if isinstance(error, Interrupted):
        where = " in cell %d" % runner.current[0] if runner.current else ""
        log("INTERRUPTED %s%s after %.1f s; its kernel was shut down" % (shown, where, took))
    else:
        log("FAIL %s (%.1f s)" % (shown, took))
    for index, run, what in runner.claim_failures:
        log("  claim failed in cell %d (counting from 0)%s: %s" % (index, ", on its re-run" if run == 2 else "", what))
    if error is not None and not isinstance(error, Interrupted):
        log(describe_failure(runner, error))
    if saved:
        log("  executed copy (%s, not signed): %s" % ("partial" if error is not None else "complete", saved))
    else:
        log("  " + save_error)
    if isinstance(error, Interrupted):
        raise error
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


async def run_all(paths, out_dir, timeout, repo, rerun):
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    stop = {"by": None}

    def on_signal(name):
        if stop["by"] is None:
            stop["by"] = name
            log("\n%s: stopping; shutting the kernel down (press Ctrl-C again to quit at once)" % name)
            task.cancel()
        else:
            os._exit(130)

    loop.add_signal_handler(signal.SIGINT, on_signal, "Ctrl-C")
    loop.add_signal_handler(signal.SIGTERM, on_signal, "SIGTERM")
    interrupted = lambda: stop["by"] is not None
    passed = failed = 0
    for path in paths:
        path = os.path.abspath(path)
        # The kernel runs in the notebook's folder (tslab resolves 'tsgan' from the nearest node_modules);
        # a notebook outside the checkout runs in notebooks/ so that 'tsgan' still resolves.
        cwd = os.path.dirname(path) if path.startswith(repo + os.sep) else os.path.join(repo, "notebooks")
        try:
            ok = await run_one(path, out_dir, cwd, timeout, repo, rerun, interrupted)
        except (Interrupted, asyncio.CancelledError):
            failed += 1
            break
        if ok:
            passed += 1
        else:
            failed += 1
    if interrupted():
        log("%d passed, %d failed, %d not run (interrupted)" % (passed, failed, len(paths) - passed - failed))
        return 130
    log("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("notebooks", nargs="*")
    ap.add_argument("--out", help="folder for executed copies (.ipynb signed when the notebook passed, .html)")
    ap.add_argument("--timeout", type=int, default=1800, help="per-cell timeout in seconds")
    ap.add_argument("--repo", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--rerun", action="store_true", help="execute every code cell twice in a row (re-run test)")
    ap.add_argument("--check", action="store_true", help="only check that the kernel runs a cell importing tsgan")
    args = ap.parse_args()
    repo = os.path.abspath(args.repo)
    if args.check:
        return check(repo)
    out_dir = os.path.abspath(args.out or os.path.join(repo, "build", "notebooks"))
    os.environ["TSGAN_CLAIM_MARKERS"] = "1"  # the kernels inherit it: failed claims also print a marker on stderr
    return asyncio.run(run_all(args.notebooks, out_dir, args.timeout, repo, args.rerun))


if __name__ == "__main__":
    sys.exit(main())
