"""Chart functions: what each chart draws, its scales and tooltips, and the VegaFusion switch."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from claimkit import charts
from claimkit.table import empty_claims


def field_names(encoding_list: list[dict]) -> set[str]:
    return {item["field"] for item in encoding_list}


def test_value_distribution_draws_one_strip_per_kind_with_log_scale_where_values_span_magnitudes(seed_claims):
    spec = charts.value_distribution(seed_claims).to_dict()
    present = [k for k in ("speedup", "gain", "score", "reduction", "model_size", "data_size", "compute")
               if (seed_claims["kind"] == k).any()]
    assert [view["title"] for view in spec["vconcat"]] == present
    for view in spec["vconcat"]:
        scale = view["encoding"]["x"].get("scale", {})
        assert (scale.get("type") == "log") == (view["title"] in charts.LOG_KINDS)
        assert {"title", "text", "sentence"} <= field_names(view["encoding"]["tooltip"])


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


def test_leaderboard_shows_only_score_and_gain_claims_on_that_benchmark_with_baseline_on_hover(seed_claims):
    benchmark = charts.most_claimed_benchmark(seed_claims)
    chart = charts.leaderboard(seed_claims, benchmark)
    expected = seed_claims[(seed_claims["benchmark"] == benchmark) & seed_claims["kind"].isin(["score", "gain"])]
    assert len(chart.data) == len(expected) > 0
    assert set(chart.data["kind"]) <= {"score", "gain"}
    assert sorted(chart.data["value"]) == sorted(expected["high"])
    assert "baseline" in field_names(chart.to_dict()["encoding"]["tooltip"])


def test_most_claimed_benchmark_prefers_the_one_more_papers_claim_on():
    rows = pd.DataFrame({"paper": ["a", "a", "a", "b", "c"], "kind": ["score"] * 5,
                         "benchmark": ["X", "X", "X", "Y", "Y"]})
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
    lambda claims: charts.leaderboard(claims, "GLUE"),
])
def test_every_chart_compiles_on_an_empty_claims_table(make):
    assert make(empty_claims()).to_dict()


def big_claims(seed_claims: pd.DataFrame, rows: int) -> pd.DataFrame:
    repeats = -(-rows // len(seed_claims))
    return pd.concat([seed_claims] * repeats, ignore_index=True).iloc[:rows]


def test_a_chart_over_5000_rows_goes_through_vegafusion_and_a_small_one_stays_inline(seed_claims):
    big = charts.value_distribution(big_claims(seed_claims, charts.MAX_INLINE_ROWS + 1))
    small = charts.value_distribution(seed_claims)
    assert charts.data_rows(big) == charts.MAX_INLINE_ROWS + 1
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
