"""Chart functions: what each chart draws, its scales and tooltips, and the VegaFusion switch."""

from __future__ import annotations

import sys
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from claimkit import charts, trends
from claimkit import leaderboard as lb
from claimkit.table import empty_claims

sys.path.insert(0, str(Path(__file__).parent))
from _board import BOARD  # noqa: E402


def field_names(encoding_list: list[dict]) -> set[str]:
    return {item["field"] for item in encoding_list}


def test_value_distribution_draws_a_strip_per_kind_and_unit_on_its_own_axis(seed_claims):
    spec = charts.value_distribution(seed_claims).to_dict()
    log_part, linear_part = spec["vconcat"]
    for part, log in ((log_part, True), (linear_part, False)):
        assert part["facet"]["row"]["field"] == "strip"
        assert part["resolve"]["scale"]["x"] == "independent"  # a score in tokens leaves the % scores alone
        assert (part["spec"]["encoding"]["x"]["scale"].get("type") == "log") == log
        assert {"title", "text", "sentence"} <= field_names(part["spec"]["encoding"]["tooltip"])
    rows = charts.value_rows(seed_claims)
    units = rows.groupby("kind")["unit"].nunique()
    assert (units <= charts.UNITS_PER_KIND).all()
    assert set(rows["strip"]) == {f"{k} ({u})" if u else k for k, u in zip(rows["kind"], rows["unit"])}


@pytest.mark.parametrize("kind, units, kept", [
    ("score", ["%"] * 5 + ["tokens"] + [""] * 2 + ["pt"] * 3 + ["s"], {"%", "pt", ""}),
    ("gain", ["pt", "%"], {"pt", "%"}),
])
def test_each_kind_keeps_its_most_claimed_units(kind, units, kept):
    rows = pd.DataFrame({"kind": [kind] * len(units), "unit": units})
    assert set(rows.loc[charts.in_top_units(rows), "unit"]) == kept


def test_log_scaled_strips_leave_out_values_a_log_axis_cannot_place(seed_claims):
    speedups = seed_claims[seed_claims["kind"] == "speedup"].copy()
    speedups.loc[speedups.index[0], "high"] = 0.0
    with alt.data_transformers.enable("vegafusion"):  # evaluates the chart's transforms in Python
        spec = charts.kind_values(speedups, "speedup").to_dict(format="vega")
    drawn = [len(d["values"]) for d in spec["data"] if isinstance(d.get("values"), list)]
    assert max(drawn) == len(speedups) - 1


def test_top_benchmarks_counts_named_benchmarks_most_claimed_first(seed_claims):
    chart = charts.top_benchmarks(seed_claims, top=5)
    named = seed_claims.loc[seed_claims["benchmark"] != "", "benchmark"].value_counts()
    assert list(chart.data["claims"]) == sorted(named.values, reverse=True)[:5]
    assert dict(zip(chart.data["benchmark"], chart.data["claims"])) == {b: named[b] for b in chart.data["benchmark"]}
    assert "" not in set(chart.data["benchmark"])
    assert chart.to_dict()["params"][0]["name"] == "pick_benchmark"


def test_leaderboard_chart_draws_the_comparable_rows_best_first_with_the_sentence_on_hover():
    board = lb.leaderboard(BOARD, "GSM8K")
    chart = charts.leaderboard(board)
    assert chart.data["paper"].tolist() == board.loc[board["comparable"], "paper"].tolist()
    spec = chart.to_dict()
    assert spec["encoding"]["y"]["sort"] == {"field": "rank", "order": "ascending"}
    assert "sentence" in field_names(spec["encoding"]["tooltip"])
    assert spec["title"] == "GSM8K: claimed scores" and "accuracy (%)" == spec["encoding"]["x"]["title"]


def test_the_state_of_the_art_chart_steps_through_the_records():
    board = lb.leaderboard(BOARD, "GSM8K")
    records = lb.best_over_time(board)
    chart = charts.state_of_the_art(board, records)
    rows = chart.data
    assert rows.loc[rows["record"], "paper"].tolist() == records["paper"].tolist()
    assert len(rows) == (board["comparable"] & (board["published"] != "")).sum()
    line = chart.to_dict()["layer"][1]
    assert line["mark"]["interpolate"] == "step-after"


@pytest.mark.parametrize("make, count_axis", [
    (lambda c: charts.claims_per_month(trends.claims_per_month(c)), "y"),
    (lambda c: charts.benchmarks_per_quarter(trends.benchmarks_per_quarter(c)), "x"),
    (lambda c: charts.claims_per_kind(c), "x"),
])
def test_count_axes_have_whole_number_ticks(make, count_axis):
    spec = make(BOARD).to_dict()
    encoding = spec.get("spec", spec)["encoding"]
    assert encoding[count_axis]["axis"] == {"format": "d", "tickMinStep": 1}


def test_values_over_time_draws_a_log_panel_per_kind_and_unit(seed_claims):
    table = trends.values_over_time(seed_claims.assign(published="2024-05-01"))
    spec = charts.values_over_time(table).to_dict()
    assert len(spec["vconcat"]) == len(charts.value_panels(table)) > 0
    assert all(view["layer"][0]["encoding"]["y"]["scale"]["type"] == "log" for view in spec["vconcat"])


def test_most_claimed_benchmark_prefers_the_one_more_papers_claim_on():
    rows = pd.DataFrame({"paper": ["a", "a", "a", "b", "c"], "kind": ["score"] * 5,
                         "benchmark": ["X", "X", "X", "Y", "Y"], "benchmark_key": ["X", "X", "X", "Y", "Y"]})
    assert charts.most_claimed_benchmark(rows) == "Y"
    assert charts.most_claimed_benchmark(rows.iloc[:0]) is None


def test_size_vs_gain_pairs_each_papers_largest_model_with_its_largest_gain(seed_claims):
    chart = charts.size_vs_gain(seed_claims)
    sizes = seed_claims[(seed_claims["kind"] == "model_size") & (seed_claims["unit"] == "params")]
    gains = seed_claims[seed_claims["kind"] == "gain"]
    both = set(sizes["paper"]) & set(gains["paper"])
    assert set(chart.data["paper"]) == both and both
    for row in chart.data.itertuples():
        assert row.params == sizes.loc[sizes["paper"] == row.paper, "high"].max()
        assert row.value == gains.loc[gains["paper"] == row.paper, "high"].max()
    assert chart.to_dict()["encoding"]["x"]["scale"]["type"] == "log"


@pytest.mark.parametrize("make", [
    charts.value_distribution, charts.top_benchmarks, charts.claims_per_kind, charts.size_vs_gain,
    lambda claims: charts.leaderboard(lb.leaderboard(claims, "GLUE")),
    lambda claims: charts.state_of_the_art(lb.leaderboard(claims, "GLUE"), lb.best_over_time(lb.leaderboard(claims, "GLUE"))),
    lambda claims: charts.claims_per_month(trends.claims_per_month(claims)),
    lambda claims: charts.values_over_time(trends.values_over_time(claims)),
    lambda claims: charts.benchmarks_per_quarter(trends.benchmarks_per_quarter(claims)),
])
def test_every_chart_compiles_on_an_empty_claims_table(make):
    assert make(empty_claims()).to_dict()


def big_claims(seed_claims: pd.DataFrame, rows: int) -> pd.DataFrame:
    repeats = -(-rows // len(seed_claims))
    return pd.concat([seed_claims] * repeats, ignore_index=True).iloc[:rows]


def test_a_chart_over_5000_rows_goes_through_vegafusion_and_a_small_one_stays_inline(seed_claims):
    big = charts.top_benchmarks(big_claims(seed_claims, charts.MAX_INLINE_ROWS + 1)).properties()
    big.data = pd.concat([big.data] * (charts.MAX_INLINE_ROWS // len(big.data) + 1), ignore_index=True)
    small = charts.value_distribution(seed_claims)
    assert charts.data_rows(big) > charts.MAX_INLINE_ROWS
    with pytest.raises(alt.MaxRowsError):
        big.to_dict()  # what plain Altair does with it
    widget = charts.jupyter_chart(big)
    assert "/vega/" in widget.spec["$schema"]  # a VegaFusion pre-transformed Vega spec
    assert "vega-lite" in charts.jupyter_chart(small).spec["$schema"]


def test_save_figure_writes_svg_and_png_even_for_big_charts(seed_claims, tmp_path):
    chart = charts.top_benchmarks(big_claims(seed_claims, 6000))
    svg = charts.save_figure(chart, tmp_path / "bench.svg")
    png = charts.save_figure(chart, tmp_path / "bench.png")
    assert svg.read_text().lstrip().startswith("<svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_spec_template_refills_with_new_rows_and_reads_them_back(seed_claims):
    counts = charts.count_by(seed_claims, "kind")
    template = charts.spec_template(charts.count_bars(counts, "kind", "pick_kind", "kinds"))
    fewer = counts.head(2)
    spec = charts.spec_with_rows(template, fewer)
    pd.testing.assert_frame_equal(charts.spec_rows(spec), fewer)
    assert charts.spec_rows(template).shape[0] == len(counts)  # the template itself is untouched
