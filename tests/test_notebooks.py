"""The notebooks run headless (nbclient) on the real extractor's output, and `claimkit explore` starts.

Expected numbers come from running the same library calls here, never from constants, so the
tests follow the extractor as it improves.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import papermill
import pandas as pd
import pytest
from nbclient import NotebookClient

from claimkit import charts, corpus, extract_claims, read_papers
from claimkit.explore import NOTEBOOKS_DIR, lab_command
from claimkit.readers import filter_papers, with_paper_metadata

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


@pytest.fixture(scope="module")
def corpus_claims() -> pd.DataFrame:
    return extract_claims(read_papers(corpus.DEFAULT_PAGE))


def run_notebook(name: str, workdir: Path, **parameters) -> nbformat.NotebookNode:
    """Execute a notebook from notebooks/ in ``workdir`` (papermill fills its parameters cell)."""
    notebook = papermill.iorw.load_notebook_node(str(NOTEBOOKS_DIR / name))  # papermill's cell defaults
    if parameters:
        notebook = papermill.parameterize.parameterize_notebook(notebook, parameters)
    NotebookClient(notebook, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(workdir)}}).execute()
    return notebook


def outputs(notebook: nbformat.NotebookNode) -> list[dict]:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]


def printed(notebook: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in outputs(notebook) if o["output_type"] == "stream")


def widget_states(notebook: nbformat.NotebookNode) -> list[dict]:
    """The saved state of every widget model (nbclient stores it in the notebook metadata)."""
    return [model["state"] for model in notebook.metadata["widgets"][WIDGET_STATE]["state"].values()]


def count_widget_text(notebook: nbformat.NotebookNode) -> str:
    counts = [s["value"] for s in widget_states(notebook) if "claimkit-count" in s.get("_dom_classes", [])]
    assert len(counts) == 1
    return counts[0]


def test_every_notebook_has_a_parameters_cell():
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name
        assert "inputs" in tagged[0].source


def test_explorer_notebook_shows_the_explorer_on_the_embedded_corpus(tmp_path, corpus_claims):
    notebook = run_notebook("01-explore-claims.ipynb", tmp_path)
    assert f"{len(corpus_claims):,} claims from {corpus_claims['paper'].nunique():,}" in printed(notebook)
    assert any(WIDGET_VIEW in o.get("data", {}) for o in outputs(notebook))
    assert f"<b>{len(corpus_claims):,}</b> of {len(corpus_claims):,} claims" in count_widget_text(notebook)
    chart_specs = [s["spec"] for s in widget_states(notebook) if s.get("spec")]
    assert len(chart_specs) == 3  # benchmarks, kinds, values: JupyterCharts with their data
    kinds = next(charts.spec_rows(spec) for spec in chart_specs if "pick_kind" in json.dumps(spec))
    assert kinds["claims"].sum() == len(corpus_claims)
    # no paper metadata in the embedded corpus: no category or date filter
    assert not [st for st in widget_states(notebook) if st.get("_model_name") == "DatePickerModel"
                or "claimkit-category" in st.get("_dom_classes", [])]


def test_explorer_notebook_reads_the_inputs_papermill_passes(tmp_path):
    papers = read_papers(corpus.SEED_PAPERS).head(40)
    source = tmp_path / "some-papers.jsonl"
    papers.to_json(source, orient="records", lines=True)
    expected = extract_claims(read_papers(source))
    notebook = run_notebook("01-explore-claims.ipynb", tmp_path, inputs=[str(source)])
    assert f"{len(expected):,} claims from {expected['paper'].nunique():,} of 40 papers" in printed(notebook)
    assert f"<b>{len(expected):,}</b> of {len(expected):,} claims" in count_widget_text(notebook)


def write_snapshot(path: Path) -> Path:
    """A few papers as lines of the arXiv OAI metadata snapshot, with categories and dates."""
    papers = [  # id, categories, v1 date, abstract
        ("2401.00001", "cs.LG cs.CL", "Mon, 15 Jan 2024 10:00:00 GMT",
         "Our kernel achieves a 2.5x speedup over FlashAttention on A100 GPUs."),
        ("2402.00002", "cs.CL", "Thu, 1 Feb 2024 09:00:00 GMT",
         "The model outperforms BERT by 3.1% on GLUE and reaches 91.2% accuracy on SST-2."),
        ("2311.00004", "math.OC", "Mon, 20 Nov 2023 12:00:00 GMT",
         "Our solver achieves a 4x speedup and outperforms Adam by 1.2% on ImageNet."),
    ]
    lines = [json.dumps({"id": arxiv_id, "submitter": "A. Author", "authors": "A. Author", "title": f"Paper {arxiv_id}",
                         "categories": categories, "abstract": abstract, "update_date": "2024-06-01",
                         "versions": [{"version": "v1", "created": created}],
                         "authors_parsed": [["Author", "A.", ""]]})
             for arxiv_id, categories, created, abstract in papers]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_explorer_notebook_filters_a_snapshot_corpus_by_category_and_date(tmp_path):
    source = write_snapshot(tmp_path / "arxiv-metadata-oai-snapshot.json")
    papers = read_papers(source)
    expected = with_paper_metadata(extract_claims(papers), papers)
    assert len(filter_papers(expected, categories="cs")) < len(expected)  # the filter has something to do
    notebook = run_notebook("01-explore-claims.ipynb", tmp_path, inputs=[str(source)])
    assert f"{len(expected):,} claims from {expected['paper'].nunique():,} of {len(papers)} papers" in printed(notebook)
    assert any(WIDGET_VIEW in o.get("data", {}) for o in outputs(notebook))
    assert f"<b>{len(expected):,}</b> of {len(expected):,} claims" in count_widget_text(notebook)
    states = widget_states(notebook)
    category = [st for st in states if "claimkit-category" in st.get("_dom_classes", [])]
    assert len(category) == 1
    present = {c for text in expected["categories"] for c in text.split()}
    assert {label.split(" (")[0] for label in category[0]["_options_labels"]} == present | {"cs.*"}
    pickers = sorted(st["description"] for st in states if st.get("_model_name") == "DatePickerModel")
    assert pickers == ["since", "until"]
    table = next(st["value"] for st in states if "claimkit-table" in st.get("_dom_classes", []))
    for published in expected["published"]:
        assert f"<td>{published}</td>" in table


def test_compare_notebook_charts_and_exports_the_benchmarks_claims(tmp_path, corpus_claims):
    benchmark = charts.most_claimed_benchmark(corpus_claims)
    assert benchmark, "the extractor should name benchmarks in the embedded corpus"
    notebook = run_notebook("02-compare-benchmark.ipynb", tmp_path, export_to=str(tmp_path / "out.csv"))
    exported = pd.read_csv(tmp_path / "out.csv", keep_default_na=False)
    assert len(exported) == (corpus_claims["benchmark"] == benchmark).sum()
    assert set(exported["paper"]) == set(corpus_claims.loc[corpus_claims["benchmark"] == benchmark, "title"])
    assert any(WIDGET_VIEW in o.get("data", {}) for o in outputs(notebook))


def test_figures_notebook_writes_svg_and_png_byte_identical_across_runs(tmp_path, corpus_claims):
    first, second = tmp_path / "first", tmp_path / "second"
    run_notebook("03-reproduce-figures.ipynb", tmp_path, figures_dir=str(first))
    run_notebook("03-reproduce-figures.ipynb", tmp_path, figures_dir=str(second))
    svgs = sorted(p.name for p in first.glob("*.svg"))
    expected = {"value-distribution", "top-benchmarks", "claims-per-kind", "size-vs-gain"}
    if charts.most_claimed_benchmark(corpus_claims):
        expected.add("leaderboard")
    assert svgs == sorted(f"{name}.svg" for name in expected)
    assert sorted(p.name for p in first.glob("*.png")) == sorted(f"{name}.png" for name in expected)
    for name in svgs:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_lab_command_opens_the_notebook_from_its_own_directory(tmp_path):
    notebook = tmp_path / "01-explore-claims.ipynb"
    command = lab_command(notebook, 8899, no_browser=True)
    assert command[:3] == [sys.executable, "-m", "jupyterlab"] and str(notebook) in command
    assert f"--ServerApp.root_dir={tmp_path}" in command
    assert "--ServerApp.port=8899" in command and "--no-browser" in command
    assert not any(c.startswith("--ServerApp.port") for c in lab_command(notebook, None, False))


def test_launch_explorer_serves_jupyterlab_and_leaves_the_repository_alone(tmp_path):
    port = free_port()
    before = sorted(p.name for p in NOTEBOOKS_DIR.iterdir())
    code = ("import sys; from claimkit.explore import launch_explorer; "
            f"sys.exit(launch_explorer([{str(corpus.SEED_PAPERS)!r}], {port}, True))")
    server = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              env=dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime")),
                              start_new_session=True)
    try:
        version = wait_for_json(f"http://127.0.0.1:{port}/api", timeout=60)
        assert "version" in version
    finally:
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C does in a terminal
        try:
            log = server.communicate(timeout=30)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            log = server.communicate()[0].decode(errors="replace")
    served = re.search(r"Serving notebooks from local directory: (\S+)", log)
    assert served, log
    assert Path(served.group(1)).name.startswith("claimkit-explore-")
    assert not Path(served.group(1)).exists()  # the temporary copy is gone once the server stops
    assert sorted(p.name for p in NOTEBOOKS_DIR.iterdir()) == before


def test_claimkit_explore_dashboard_serves_the_explorer_with_voila(tmp_path):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "claimkit.cli", "explore", str(corpus.SEED_PAPERS),
                               "--dashboard", "--no-browser", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                              env=dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime")))
    try:
        page = wait_for_page(f"http://127.0.0.1:{port}/", timeout=120)
        assert "claimkit-count" in page or "application/vnd.jupyter.widget-view+json" in page
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.communicate()
    assert server.returncode is not None


def wait_for_page(url: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=90) as response:
                return response.read().decode(errors="replace")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def wait_for_json(url: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.loads(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
