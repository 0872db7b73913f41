"""``claimkit explore``: check the inputs, start one Jupyter server, open the explorer already run.

1. The inputs are checked and read, and their claims extracted (through the cache, with a
   progress bar the first time), before any server starts: a missing file, a directory or a
   broken record ends with one line and exit 2.
2. The notebooks are copied into a folder the user owns (``./claimkit-notebooks`` unless
   ``--notebooks DIR``). A notebook already there is the user's and is never overwritten.
3. JupyterLab starts on 127.0.0.1 with Voila's server extension, serving that folder: a random
   token (the dashboards need it too), Jupyter Server's Host and Origin checks (DNS
   rebinding), idle kernels culled after ``--idle-timeout`` seconds, at most
   ``--max-kernels`` kernels at once (:mod:`claimkit.explore.kernels`). Its runtime files go
   to a temporary folder.
4. The browser opens notebook 01 as a Voila dashboard (its cells already run), or in
   JupyterLab with ``--lab``; every notebook is reachable from the same server at
   ``/voila/render/NAME`` and ``/lab/tree/NAME``.
5. Ctrl-C, SIGTERM or SIGHUP stop the server (and its kernels) and remove the temporary
   folder; if claimkit itself is killed, the server gets SIGTERM from the kernel (Linux) and
   the next run removes the stale folder.

This module imports no widgets and no charts: the command starts fast and fails fast.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from .. import corpus
from ..errors import InputError
from ..io import process_running
from .inputs import CORRECTIONS_ENV, DEFAULT_CORRECTIONS, FAST_KERNEL_ENV, INPUTS_ENV, SERVER_ENV

NOTEBOOKS_DIR = corpus.DATA_DIR.parent / "notebooks"
EXPLORER_NOTEBOOK = NOTEBOOKS_DIR / "01-explore-claims.ipynb"
#: Where the notebooks are copied unless ``--notebooks`` says otherwise (in the current directory).
DEFAULT_NOTEBOOKS = Path("claimkit-notebooks")
#: Voila template folder (``voila/templates/claimkit``), put on the server's JUPYTER_PATH.
JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter"
DEFAULT_MAX_KERNELS = 8
DEFAULT_IDLE_TIMEOUT = 3600  # seconds
_TEMP_PREFIX = "claimkit-explore-"


@dataclass
class Server:
    """A started server: its process, port, token and temporary folder."""

    process: subprocess.Popen
    port: int
    token: str
    workdir: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, notebook: str, lab: bool = False) -> str:
        """The address that opens ``notebook`` as a dashboard, or in JupyterLab."""
        path = f"lab/tree/{notebook}" if lab else f"voila/render/{notebook}"
        return f"{self.base}/{path}?token={self.token}"


class Stopped(Exception):
    """A signal asked the launcher to stop (its number in ``signum``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


# -- 1. inputs --------------------------------------------------------------------------------

def check_inputs(inputs: Sequence[str]) -> list[Path]:
    """The inputs as absolute paths; an InputError for one that is missing, a directory or unreadable."""
    paths = []
    for item in inputs:
        path = Path(item).expanduser()
        if path.is_dir():
            raise InputError(path, "is a directory, not a file of papers")
        if not path.exists():
            raise InputError(path, "no such file")
        if not os.access(path, os.R_OK):
            raise InputError(path, "permission denied")
        paths.append(path.resolve())
    return paths


def prepare_claims(paths: Sequence[Path]) -> str:
    """Read and extract the inputs, so bad content fails here; returns a one-line summary.

    With the inputs' claims in the cache (same files, same extractor) nothing is read: they
    were read and checked when they were cached.
    """
    from ..cache import cached_summary, corpus_summary, load_corpus

    inputs = list(paths) or [corpus.DEFAULT_CORPUS]
    summary = cached_summary(inputs)
    source = "cached"
    if summary is None:
        loaded = load_corpus(inputs, progress=sys.stderr.isatty())
        summary = corpus_summary(loaded.papers, loaded.claims)
        source = "cached" if loaded.cached else "extracted"
    return (f"{summary['claims']:,} claims from {summary['papers_with_claims']:,} of {summary['papers']:,} papers "
            f"({source})")


def check_corrections(path: Path) -> None:
    """A corrections file the review buttons can write to: an existing one must read cleanly
    (file:line otherwise), a new one needs its folder."""
    from ..corrections import read_corrections  # a small module: no widgets

    if path.exists():
        read_corrections(path)
    elif not path.parent.is_dir():
        raise InputError(path, f"no such directory: {path.parent} (the corrections file goes there)")


# -- 2. notebooks -----------------------------------------------------------------------------

def packaged_notebooks() -> list[Path]:
    """The notebooks that ship with claimkit (``notebooks/NN-*.ipynb``)."""
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))


def install_notebooks(folder: Path) -> list[str]:
    """Copy the packaged notebooks into ``folder``, never over one that is there; notes on those kept.

    A kept notebook whose cells differ from the packaged one is named, so a person knows a
    newer version exists (delete theirs, or copy from ``notebooks/``, to get it).
    """
    if folder.exists() and not folder.is_dir():
        raise InputError(folder, "is not a directory (the notebooks go there)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(folder, f"cannot create the notebooks folder ({err.strerror or err})") from None
    notes = []
    for source in packaged_notebooks():
        target = folder / source.name
        if not target.exists():
            shutil.copyfile(source, target)
        elif _cell_sources(target) != _cell_sources(source):
            notes.append(f"kept your {target.name} (the packaged one differs: {source})")
    return notes


def _cell_sources(path: Path) -> list[str]:
    """A notebook's cell sources (outputs and metadata left out), [] when unreadable."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return []
    return ["".join(cell.get("source", "")) for cell in cells]


# -- 3. the server ----------------------------------------------------------------------------

def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_command(folder: Path, port: int, token: str, max_kernels: int = DEFAULT_MAX_KERNELS,
                   idle_timeout: int = DEFAULT_IDLE_TIMEOUT) -> list[str]:
    """The ``jupyter lab`` command line: loopback only, a token, Host/Origin checks, culled
    idle kernels, a kernel cap, the claimkit Voila template."""
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
        "--ServerApp.allow_remote_access=False",  # Host header must name this machine (DNS rebinding)
        "--ServerApp.allow_origin=",  # no cross-origin API or websocket requests
        "--ServerApp.kernel_manager_class=claimkit.explore.kernels.CappedKernelManager",
        f"--CappedKernelManager.max_kernels={max_kernels}",
        f"--MappingKernelManager.cull_idle_timeout={idle_timeout}",
        f"--MappingKernelManager.cull_interval={max(1, min(60, idle_timeout // 2))}",
        "--MappingKernelManager.cull_connected=False",  # a kernel with an open page stays
        "--VoilaConfiguration.template=claimkit", "--VoilaConfiguration.show_tracebacks=True",
        # "null" makes Voila's page typeset math with the MathJax it bundles, not one from a CDN.
        "--ServerApp.tornado_settings", "mathjax_url=null", "--ServerApp.tornado_settings", "mathjax_config=null",
        "--ServerApp.log_level=WARN", "--LabApp.log_level=WARN",
        "--ServerApp.jpserver_extensions", "jupyter_lsp=False",  # no language servers here: a faster start
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--ServerApp.allow_root=True")  # as root the server refuses to start otherwise
    return command


def server_env(paths: Sequence[Path], workdir: Path, corrections: Path | None = None) -> dict[str, str]:
    """The server's environment: the inputs and the corrections file for the notebooks, the
    template, runtime files in ``workdir``."""
    jupyter_path = os.pathsep.join(filter(None, [str(JUPYTER_DATA), os.environ.get("JUPYTER_PATH", "")]))
    return dict(os.environ, **{
        INPUTS_ENV: json.dumps([str(path) for path in paths]),
        **({CORRECTIONS_ENV: str(corrections)} if corrections is not None else {}),
        SERVER_ENV: "/",
        FAST_KERNEL_ENV: "1",  # the kernels skip a slow import
        "JUPYTER_PATH": jupyter_path,
        "JUPYTER_RUNTIME_DIR": str(workdir / "runtime"),
    })


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the server gets SIGTERM if claimkit dies, even by SIGKILL (no orphaned server)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_server(paths: Sequence[Path], folder: Path, port: int | None = None,
                 max_kernels: int = DEFAULT_MAX_KERNELS, idle_timeout: int = DEFAULT_IDLE_TIMEOUT,
                 corrections: Path | None = None) -> Server:
    """Start the server in its own session (a terminal's Ctrl-C reaches only claimkit, which stops it)."""
    remove_stale_workdirs()
    workdir = Path(tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}{os.getpid()}-"))
    port = port or free_port()
    token = secrets.token_hex(24)
    try:
        process = subprocess.Popen(
            server_command(folder, port, token, max_kernels, idle_timeout),
            env=server_env(paths, workdir, corrections),
            cwd=folder, start_new_session=True, preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return Server(process, port, token, workdir)


def wait_until_ready(server: Server, timeout: float = 90.0) -> bool:
    """Poll the server's status until it answers (True), it exits or ``timeout`` passes (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{server.base}/api/status?token={server.token}", timeout=3) as reply:
                if reply.status == 200:
                    return True
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    return False


def stop_server(server: Server, timeout: float = 15.0) -> int:
    """Stop the server (SIGTERM: it shuts its kernels down), then remove its temporary folder."""
    try:
        if server.process.poll() is None:
            server.process.terminate()
            try:
                server.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(server.process.pid, signal.SIGKILL)
                server.process.wait()
        return server.process.returncode
    finally:
        shutil.rmtree(server.workdir, ignore_errors=True)


def remove_stale_workdirs() -> None:
    """Remove temporary folders left by launchers that were killed (their process is gone)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_TEMP_PREFIX}*"):
        pid = folder.name[len(_TEMP_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not process_running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`Stopped` while inside (Ctrl-C is KeyboardInterrupt already)."""
    def stop(signum: int, _frame: object) -> None:
        raise Stopped(signum)

    wanted = [sig for sig in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if sig]
    previous = {sig: signal.signal(sig, stop) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


# -- all together -----------------------------------------------------------------------------

def launch_explorer(inputs: Sequence[str], port: int | None = None, no_browser: bool = False, lab: bool = False,
                    notebooks: str | Path | None = None, max_kernels: int = DEFAULT_MAX_KERNELS,
                    idle_timeout: int = DEFAULT_IDLE_TIMEOUT, corrections: str | Path | None = None) -> int:
    """Open the explorer on ``inputs`` (none: the default corpus); block until stopped; the exit code.

    The review buttons write to ``corrections`` (default: ``corrections.jsonl`` in the notebooks
    folder). Bad inputs, and a bad corrections file, raise :class:`~claimkit.errors.InputError`
    before any server starts.
    """
    paths = check_inputs(inputs)
    if corrections is not None:
        check_corrections(Path(corrections))
    if not EXPLORER_NOTEBOOK.is_file():
        raise InputError(EXPLORER_NOTEBOOK, "explorer notebook not found (claimkit installed without its notebooks?)")
    summary = prepare_claims(paths)
    folder = Path(notebooks or DEFAULT_NOTEBOOKS).expanduser().resolve()
    notes = install_notebooks(folder)
    decisions = Path(corrections).expanduser().resolve() if corrections is not None else folder / DEFAULT_CORRECTIONS
    check_corrections(decisions)
    say(summary)
    say(f"notebooks in {folder} (yours: claimkit never overwrites them)")
    say(f"review decisions go to {decisions}")
    for note in notes:
        say(note)
    server: Server | None = None
    with stopped_by_signals():
        try:
            server = start_server(paths, folder, port, max_kernels, idle_timeout, decisions)
            if not wait_until_ready(server):
                say(f"the server did not start (exit code {server.process.poll()})")
                return 1
            target = server.url(EXPLORER_NOTEBOOK.name, lab)
            say(f"explorer: {server.url(EXPLORER_NOTEBOOK.name)}")
            say(f"JupyterLab: {server.url(EXPLORER_NOTEBOOK.name, lab=True)}")
            say("Ctrl-C stops the server")
            if not no_browser:
                webbrowser.open(target)
            return server.process.wait()
        except KeyboardInterrupt:
            return 130
        except Stopped as stop:
            return 128 + stop.signum
        finally:
            if server is not None:
                with signals_ignored():  # a second Ctrl-C must not cut the clean-up short
                    stop_server(server)


@contextlib.contextmanager
def signals_ignored() -> Iterator[None]:
    """Ignore Ctrl-C, SIGTERM and SIGHUP while inside."""
    wanted = [sig for sig in (signal.SIGINT, getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if sig]
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def say(message: str) -> None:
    print(f"claimkit: {message}", file=sys.stderr, flush=True)
