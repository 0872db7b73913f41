"""The notebooks run headless (nbclient) on the real extractor's output, five times in a row each.

Expected numbers come from running the same library calls here, never from constants, so the
tests follow the extractor as it improves. Each run must finish well within the cell timeout:
a client that misses the kernel's reply waits out its timeout and then carries on, so a run
that takes the timeout is a hang (notebook 02 once hung that way in 4 of 12 headless runs).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat
import papermill
import pandas as pd
import pytest
from nbclient import NotebookClient

from claimkit import charts, corpus, figures, read_papers
from claimkit import leaderboard as lb
from claimkit.corrections import apply_corrections, decision_for, read_corrections, record_decision
from claimkit.explore import NOTEBOOKS_DIR, ClaimIndex, Query, load_claims
from claimkit.readers import filter_papers

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CELL_TIMEOUT = 120  # seconds; a run is a hang if it needs this long
RUNS = 5


@pytest.fixture(scope="module")
def corpus_claims() -> pd.DataFrame:
    return load_claims().claims


def run_notebook(name: str, workdir: Path, **parameters) -> nbformat.NotebookNode:
    """Execute a notebook from notebooks/ in ``workdir`` (papermill fills its parameters cell)."""
    notebook = papermill.iorw.load_notebook_node(str(NOTEBOOKS_DIR / name))  # papermill's cell defaults
    if parameters:
        notebook = papermill.parameterize.parameterize_notebook(notebook, parameters)
    began = time.monotonic()
    NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(workdir)}}).execute()
    took = time.monotonic() - began
    assert took < CELL_TIMEOUT, f"{name} took {took:.0f} s: the client waited out its timeout (a hang)"
    return notebook


def outputs(notebook: nbformat.NotebookNode) -> list[dict]:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]



def widget_states(notebook: nbformat.NotebookNode) -> list[dict]:
    """The saved state of every widget model (nbclient stores it in the notebook metadata)."""
    return [model["state"] for model in notebook.metadata["widgets"][WIDGET_STATE]["state"].values()]


def with_class(notebook: nbformat.NotebookNode, css: str) -> list[dict]:
    return [s for s in widget_states(notebook) if css in s.get("_dom_classes", [])]


def count_widget_text(notebook: nbformat.NotebookNode) -> str:
    counts = with_class(notebook, "claimkit-count")
    assert len(counts) == 1
    return counts[0]["value"]


def test_every_notebook_has_a_parameters_cell_and_no_output_widget():
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name
        assert "inputs" in tagged[0].source
        code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
        assert "Output(" not in code and "clear_output" not in code, path.name  # see the module docstring
        assert sum(len(c.source.splitlines()) for c in notebook.cells if c.cell_type == "code") <= 25  # thin


def test_explorer_notebook_shows_the_explorer_on_the_default_corpus_five_times_in_a_row(tmp_path, corpus_claims):
    for _ in range(RUNS):
        notebook = run_notebook("01-explore-claims.ipynb", tmp_path)
        assert any(WIDGET_VIEW in o.get("data", {}) for o in outputs(notebook))
        assert f"<b>{len(corpus_claims):,}</b> of {len(corpus_claims):,} claims" in count_widget_text(notebook)
    chart_specs = [s["spec"] for s in widget_states(notebook) if s.get("spec")]
    assert len(chart_specs) == 3  # benchmarks, kinds, values: JupyterCharts with their data
    kinds = next(charts.spec_rows(spec) for spec in chart_specs if "pick_kind" in json.dumps(spec))
    assert kinds["claims"].sum() == len(corpus_claims)
    assert [s["description"] for s in widget_states(notebook) if s.get("_model_name") == "DatePickerModel"] \
        == ["since", "until"]  # the default corpus is dated
    assert not with_class(notebook, "claimkit-category")  # and has no arXiv categories


def test_explorer_notebook_reads_the_inputs_papermill_passes(tmp_path):
    papers = read_papers(corpus.SEED_PAPERS).head(40)
    source = tmp_path / "some-papers.jsonl"
    papers.to_json(source, orient="records", lines=True)
    expected = load_claims([str(source)]).claims
    notebook = run_notebook("01-explore-claims.ipynb", tmp_path, inputs=[str(source)])
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
    expected = load_claims([str(source)]).claims
    assert len(filter_papers(expected, categories="cs")) < len(expected)  # the filter has something to do
    notebook = run_notebook("01-explore-claims.ipynb", tmp_path, inputs=[str(source)])
    assert any(WIDGET_VIEW in o.get("data", {}) for o in outputs(notebook))
    assert f"<b>{len(expected):,}</b> of {len(expected):,} claims" in count_widget_text(notebook)
    (chips,) = with_class(notebook, "claimkit-category")
    states = {model_id: model["state"] for model_id, model in
              notebook.metadata["widgets"][WIDGET_STATE]["state"].items()}
    labels = [states[child.removeprefix("IPY_MODEL_")].get("description", "") for child in chips["children"]]
    present = {c for text in expected["categories"] for c in text.split()}
    assert {label.split(" (")[0] for label in labels if label} == present | {"cs.*"}
    pickers = sorted(st["description"] for st in states.values() if st.get("_model_name") == "DatePickerModel")
    assert pickers == ["since", "until"]
    (table,) = with_class(notebook, "claimkit-table")
    for published in expected["published"]:
        assert f"<td>{published}</td>" in table["value"]


def test_leaderboard_notebook_shows_and_exports_the_leaderboard_five_times_in_a_row(tmp_path, corpus_claims):
    benchmark = charts.most_claimed_benchmark(corpus_claims)
    assert benchmark, "the extractor should name benchmarks in the default corpus"
    expected = lb.leaderboard(corpus_claims, benchmark)
    for run in range(RUNS):
        out = tmp_path / f"board-{run}.csv"
        notebook = run_notebook("02-compare-benchmark.ipynb", tmp_path, export_to=str(out))
        exported = pd.read_csv(out, keep_default_na=False, dtype={"paper": str})
        assert exported["paper"].tolist() == expected["paper"].tolist()
        assert exported["value"].tolist() == expected["value"].tolist()
    (table,) = with_class(notebook, "claimkit-board")
    assert table["value"].count("<tr") == len(expected) + 1
    assert any(WIDGET_VIEW in o.get("data", {}) for o in outputs(notebook))
    assert not list(NOTEBOOKS_DIR.glob("*.csv"))  # nothing written beside the notebooks


def test_leaderboard_notebook_takes_a_benchmark_in_any_spelling_and_a_metric(tmp_path, corpus_claims):
    out = tmp_path / "gsm8k.csv"
    run_notebook("02-compare-benchmark.ipynb", tmp_path, benchmark="gsm-8k", metric="", export_to=str(out))
    exported = pd.read_csv(out, keep_default_na=False, dtype={"paper": str})
    assert exported["paper"].tolist() == lb.leaderboard(corpus_claims, "GSM8K", metric="")["paper"].tolist()


def reviewed_best_rows(claims: pd.DataFrame, papers: pd.DataFrame, benchmark: str, path: Path) -> float:
    """A person's review of a leaderboard in ``path``: the best row rejected, the second's value
    corrected to one better than the best (so it leads); that value."""
    board = lb.leaderboard(claims, benchmark)
    better = board["value"].iloc[0] / 2 if board.attrs["lower_is_better"] else board["value"].iloc[0] + 1
    texts = papers.set_index("paper")
    for (_, shown), action in zip(board.head(2).iterrows(), ("reject", "edit")):
        row = claims[(claims["paper"] == shown["paper"]) & (claims["text"] == shown["claim"])
                     & (claims["sentence"] == shown["sentence"])].iloc[0]
        changes = {"low": better, "high": better} if action == "edit" else None
        record_decision(path, decision_for(row, action, texts.at[row["paper"], str(row["field"])], changes))
    return float(better)


def test_review_notebook_exports_the_leaderboard_as_reviewed_five_times_in_a_row(tmp_path, corpus_claims):
    papers = load_claims().papers
    benchmark = charts.most_claimed_benchmark(corpus_claims)
    corrections = tmp_path / "corrections.jsonl"
    better = reviewed_best_rows(corpus_claims, papers, benchmark, corrections)
    expected = lb.leaderboard(apply_corrections(corpus_claims, corrections, papers), benchmark)
    assert expected.iloc[0]["value"] == better and expected.iloc[0]["review"] == "corrected"
    reviewed = apply_corrections(corpus_claims, corrections, papers, keep_rejected=True)
    unreviewed = int(ClaimIndex(reviewed).mask(Query(benchmark=benchmark, reviews=("extracted",))).sum())
    for run in range(RUNS):
        out = tmp_path / f"reviewed-{run}.csv"
        notebook = run_notebook("04-review-and-check.ipynb", tmp_path, corrections=str(corrections), export_to=str(out))
        exported = pd.read_csv(out, keep_default_na=False, dtype={"paper": str})
        assert exported["paper"].tolist() == expected["paper"].tolist()
        assert exported["value"].tolist() == expected["value"].tolist()
        assert exported["review"].tolist() == expected["review"].tolist()
    count = count_widget_text(notebook)
    assert f"<b>{unreviewed:,}</b> of {len(corpus_claims):,} claims match" in count  # the benchmark's unreviewed
    assert "<b>2</b> reviewed (1 corrected, 1 rejected)" in count
    assert len(read_corrections(corrections)) == 2  # running it wrote nothing


def test_figures_notebook_writes_svg_and_png_byte_identical_five_times_in_a_row(tmp_path, corpus_claims):
    expected = set(figures.readme_figures(corpus_claims))
    assert {"leaderboard", "best-over-time", "claims-per-month", "values-over-time"} <= expected
    runs = [tmp_path / f"run-{run}" for run in range(RUNS)]
    for folder in runs:
        run_notebook("03-reproduce-figures.ipynb", tmp_path, figures_dir=str(folder))
    first = runs[0]
    assert sorted(p.name for p in first.glob("*.svg")) == sorted(f"{name}.svg" for name in expected)
    assert sorted(p.name for p in first.glob("*.png")) == sorted(f"{name}.png" for name in expected)
    for folder in runs[1:]:
        for svg in first.glob("*.svg"):
            assert (folder / svg.name).read_bytes() == svg.read_bytes(), svg.name


def test_the_committed_figures_are_those_of_the_current_claims(tmp_path, corpus_claims):
    """docs/figures is what notebook 03 writes today: re-run it when the claims change."""
    written = figures.save_figures(figures.readme_figures(corpus_claims), tmp_path)
    committed = corpus.DATA_DIR.parent / "docs" / "figures"
    stale = [svg.name for svg in written if not (committed / svg.name).is_file()
             or (committed / svg.name).read_bytes() != svg.read_bytes()]
    assert not stale, f"stale figures in docs/figures (run notebooks/03-reproduce-figures.ipynb): {stale}"
