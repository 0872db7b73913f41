"""``claimkit explore`` as a real process: inputs checked before any server, the doors of the
running server (token, Host and Origin checks, idle kernels culled, a kernel cap), and a clean
stop on SIGTERM that keeps the user's notebooks."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import psutil
import pytest

from claimkit import corpus
from claimkit.explore import launch

SEED = str(corpus.SEED_PAPERS)
GOOD = json.dumps({"title": "Fast", "abstract": "We are 2.5x faster than the baseline."})


def free_port() -> int:
    return launch.free_port()


def listening(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # something answered
    except OSError:
        return False


@dataclass
class Explore:
    """A running ``claimkit explore``: its process, port, token and what it printed."""

    process: subprocess.Popen
    port: int
    notebooks: Path
    lines: list[str] = field(default_factory=list)
    token: str = ""

    def wait_for_url(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [re.search(r"token=([0-9a-f]+)", line) for line in self.lines if "explorer: http" in line]
            if found:
                self.token = found[0].group(1)
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        pytest.fail("claimkit explore did not start:\n" + "".join(self.lines[-40:]))

    def request(self, path: str, method: str = "GET", headers: dict | None = None, token: bool = True,
                timeout: float = 240) -> tuple[int, dict, str]:
        """(status, headers, body) of a request to the server, with the token unless told not to."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        separator = "&" if "?" in path else "?"
        connection.request(method, path + (f"{separator}token={self.token}" if token else ""), headers=headers or {})
        reply = connection.getresponse()
        body = reply.read().decode(errors="replace")
        connection.close()
        return reply.status, dict(reply.getheaders()), body

    def kernels(self) -> list[dict]:
        return json.loads(self.request("/api/kernels")[2])


def start_explore(tmp_path: Path, *args: str) -> Explore:
    port = free_port()
    notebooks = tmp_path / "my-notebooks"
    command = [sys.executable, "-m", "claimkit.cli", "explore", *args, "--no-browser", "--port", str(port),
               "--notebooks", str(notebooks)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config")))
    explore = Explore(process, port, notebooks)
    threading.Thread(target=lambda: explore.lines.extend(iter(process.stdout.readline, "")), daemon=True).start()
    return explore


def stop(explore: Explore) -> None:
    if explore.process.poll() is None:
        explore.process.send_signal(signal.SIGINT)
        try:
            explore.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            explore.process.kill()
            explore.process.wait()


# -- inputs are checked before any server starts -------------------------------------------------

@pytest.mark.parametrize("name, content, message", [
    ("missing.jsonl", None, "missing.jsonl: no such file"),
    ("a-folder", "dir", "a-folder: is a directory, not a file of papers"),
    ("empty.jsonl", b"", "empty.jsonl: file is empty"),
    ("broken.jsonl", f"{GOOD}\n{{\"title\": \n".encode(), "broken.jsonl:2: broken JSON record"),
    ("binary.jsonl", bytes(range(256)), "binary.jsonl:1: binary data, not text"),
])
def test_bad_inputs_stop_explore_before_any_server_starts(tmp_path, name, content, message):
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    port = free_port()
    done = subprocess.run([sys.executable, "-m", "claimkit.cli", "explore", str(path), "--no-browser",
                           "--port", str(port), "--notebooks", str(tmp_path / "nb")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr and done.stderr.startswith("claimkit: error: ")
    assert not listening(port) and not (tmp_path / "nb").exists()


def test_the_server_command_closes_the_doors():
    command = launch.server_command(Path("/nb"), 8123, "t0ken", max_kernels=3, idle_timeout=600)
    assert "--ServerApp.ip=127.0.0.1" in command and "--IdentityProvider.token=t0ken" in command
    assert "--ServerApp.allow_remote_access=False" in command and "--ServerApp.allow_origin=" in command
    assert "--CappedKernelManager.max_kernels=3" in command
    assert "--MappingKernelManager.cull_idle_timeout=600" in command
    assert "--VoilaConfiguration.template=claimkit" in command
    assert "mathjax_url=null" in command  # Voila's bundled MathJax, not the CDN's


# -- the running server ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Explore]:
    """``claimkit explore`` on the seed papers, capped at 2 kernels, culling after 8 idle seconds."""
    explore = start_explore(tmp_path_factory.mktemp("explore"), SEED, "--max-kernels", "2", "--idle-timeout", "8")
    try:
        explore.wait_for_url()
        yield explore
    finally:
        stop(explore)


DASHBOARD = "/voila/render/01-explore-claims.ipynb"


def test_the_dashboard_needs_the_token_and_starts_no_kernel_without_it(server):
    status, headers, _ = server.request(DASHBOARD, token=False)
    assert status == 302 and headers["Location"].startswith("/login")
    assert server.request("/api/kernels", token=False)[0] == 403
    assert server.kernels() == []


@pytest.mark.parametrize("path", ["/api/status", DASHBOARD, "/lab/tree/01-explore-claims.ipynb"])
def test_a_foreign_host_header_is_refused_dns_rebinding(server, path):
    status, _, _ = server.request(path, headers={"Host": f"attacker.example:{server.port}"})
    assert status == 403
    assert server.kernels() == []


def test_cross_origin_requests_with_the_session_cookie_are_refused(server):
    raw = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)  # logs in: session and XSRF cookies
    raw.request("GET", f"/lab?token={server.token}")
    reply = raw.getresponse()
    reply.read()
    cookie_values = [value.split(";", 1)[0] for key, value in reply.getheaders() if key.lower() == "set-cookie"]
    cookie = "; ".join(cookie_values)
    xsrf = next(value.split("=", 1)[1] for value in cookie_values if value.startswith("_xsrf="))
    base = {"Cookie": cookie, "X-XSRFToken": xsrf, "Content-Type": "application/json"}
    foreign = server.request("/api/kernels", headers={**base, "Origin": "http://attacker.example"}, token=False)
    assert foreign[0] in (403, 404)
    same = server.request("/api/kernels", headers={**base, "Origin": f"http://127.0.0.1:{server.port}"}, token=False)
    assert same[0] == 200  # the same cookie from the server's own origin works
    assert server.kernels() == []


def test_dashboards_beyond_the_cap_start_no_kernel_and_idle_ones_are_culled(server):
    results: list[tuple[int, str]] = []

    def visit() -> None:
        status, _, body = server.request(DASHBOARD)
        results.append((status, body))

    visitors = [threading.Thread(target=visit) for _ in range(3)]
    for visitor in visitors:
        visitor.start()
        time.sleep(1.0)
    running = []
    for _ in range(60):  # while the dashboards render: never more than the cap
        running.append(len(server.kernels()))
        if not any(v.is_alive() for v in visitors):
            break
        time.sleep(0.5)
    for visitor in visitors:
        visitor.join(timeout=300)
    assert max(running) <= 2
    rendered = [body for status, body in results if status == 200 and "application/vnd.jupyter.widget-view+json" in body]
    refused = [body for status, body in results if "kernels are running, the most this server allows" in body
               or status == 503]
    assert len(rendered) == 2 and len(refused) == 1, [(s, b[-300:]) for s, b in results]
    # Nobody keeps these pages open: their kernels are culled once idle for 8 s.
    deadline = time.monotonic() + 90
    while server.kernels() and time.monotonic() < deadline:
        time.sleep(1)
    assert server.kernels() == []


def test_the_dashboard_loads_nothing_from_a_cdn_and_hides_the_jupyterlab_prose(server):
    status, _, body = server.request(DASHBOARD)
    assert status == 200
    assert "cdn.jsdelivr.net" not in body and "unpkg.com" not in body
    assert "Run all cells" not in body  # the notebook's JupyterLab-only markdown
    deadline = time.monotonic() + 90
    while server.kernels() and time.monotonic() < deadline:
        time.sleep(1)


# -- stopping, and the user's notebooks ---------------------------------------------------------------

def workdirs_of(pid: int) -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"claimkit-explore-{pid}-*"))


def test_sigterm_stops_the_server_and_cleans_up_and_the_notebooks_stay_the_users(tmp_path):
    explore = start_explore(tmp_path, SEED)
    try:
        explore.wait_for_url()
        children = psutil.Process(explore.process.pid).children(recursive=True)
        assert children and workdirs_of(explore.process.pid)
        notebook = explore.notebooks / "01-explore-claims.ipynb"
        edited = json.loads(notebook.read_text())
        edited["cells"].append({"cell_type": "markdown", "id": "mine", "metadata": {}, "source": "my own notes"})
        notebook.write_text(json.dumps(edited))  # a person's edit, as JupyterLab saves it
        explore.process.send_signal(signal.SIGTERM)  # to claimkit only, as `kill` or a service manager does
        assert explore.process.wait(timeout=60) == 128 + signal.SIGTERM
    finally:
        stop(explore)
    time.sleep(0.5)
    assert not [child for child in children if child.is_running() and child.status() != psutil.STATUS_ZOMBIE]
    assert not workdirs_of(explore.process.pid) and not listening(explore.port)
    assert "my own notes" in notebook.read_text()
    again = start_explore(tmp_path, SEED)  # the same folder: the edit survives a second launch
    try:
        again.wait_for_url()
        assert any("kept your 01-explore-claims.ipynb" in line for line in again.lines)
        assert "my own notes" in notebook.read_text()
    finally:
        stop(again)


def test_a_killed_launcher_takes_its_server_along_and_the_next_run_removes_its_folder(tmp_path):
    explore = start_explore(tmp_path, SEED)
    try:
        explore.wait_for_url()
        children = psutil.Process(explore.process.pid).children(recursive=True)
        leftovers = workdirs_of(explore.process.pid)
        explore.process.kill()  # SIGKILL: no clean-up of its own
        explore.process.wait(timeout=30)
        psutil.wait_procs(children, timeout=60)
        assert not [child for child in children if child.is_running() and child.status() != psutil.STATUS_ZOMBIE]
        assert leftovers and all(folder.exists() for folder in leftovers)
        launch.remove_stale_workdirs()  # what the next `claimkit explore` does first
        assert not any(folder.exists() for folder in leftovers)
    finally:
        stop(explore)
