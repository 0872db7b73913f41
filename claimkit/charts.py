"""Charts of a claims table: pure functions from a claims DataFrame to an Altair chart.

The chart builders (:func:`value_distribution`, :func:`top_benchmarks`, :func:`claims_per_kind`,
:func:`leaderboard`, :func:`size_vs_gain`, ...) take the claims table (see
:mod:`claimkit.table`) and return a chart; they display, save and change nothing. Row-level
charts carry the paper title, the claim text and its sentence in their tooltips. Values that
span orders of magnitude (speed-ups, parameter counts, dataset sizes) are drawn on a log scale.

The helpers at the end turn a chart into something shown or saved. Charts with more than
:data:`MAX_INLINE_ROWS` rows must go through the VegaFusion data transformer (Altair refuses
to inline them); :func:`jupyter_chart` and :func:`save_figure` choose the transformer from the
chart's row count, so callers never have to.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator

import altair as alt
import pandas as pd
from altair.utils.data import to_values

from .table import KINDS

#: Kinds whose values span orders of magnitude, drawn on a log scale.
LOG_KINDS = ("speedup", "model_size", "data_size")
#: Above this many rows a chart is rendered through VegaFusion (Altair's inline limit).
MAX_INLINE_ROWS = 5000
#: Kinds a leaderboard compares: absolute scores and gains over a baseline.
LEADERBOARD_KINDS = ("score", "gain")

_TOOLTIP = [
    alt.Tooltip("title:N", title="paper"),
    alt.Tooltip("text:N", title="claim"),
    alt.Tooltip("sentence:N", title="sentence"),
]
ROW_COLUMNS = ["paper", "title", "kind", "text", "value", "low", "high", "unit", "qualifier",
                "metric", "benchmark", "baseline", "sentence"]


def chart_rows(claims: pd.DataFrame) -> pd.DataFrame:
    """The columns row-level charts need, as plain strings and floats.

    ``value`` is the headline number: the top of a range ("1.75-2.39x" -> 2.39), as papers
    headline it. Categoricals become strings so Vega-Lite sees nominal fields.
    """
    rows = claims.assign(value=claims["high"])
    rows = rows.reindex(columns=ROW_COLUMNS)
    for column in ("kind", "unit", "qualifier"):
        rows[column] = rows[column].astype("str")
    return rows.reset_index(drop=True)


def value_scale(kind: str) -> alt.Scale:
    """A log scale for kinds that span orders of magnitude, else a linear one."""
    return alt.Scale(type="log") if kind in LOG_KINDS else alt.Scale(zero=False)


def _kind_strip(base: alt.Chart, kind: str) -> alt.Chart:
    """One kind's strip plot drawn from ``base``'s shared rows, a row per unit."""
    keep = (alt.datum.kind == kind) & (alt.datum.value > 0) if kind in LOG_KINDS else alt.datum.kind == kind
    return (
        base.transform_filter(keep)  # a log scale cannot place zero or negatives
        .mark_circle(size=60, opacity=0.7)
        .encode(
            x=alt.X("value:Q", scale=value_scale(kind), title=f"{kind} value"),
            y=alt.Y("unit:N", title=None),
            color=alt.Color("unit:N", legend=None),
            tooltip=[*_TOOLTIP, "value:Q", "unit:N", "benchmark:N", "metric:N", "baseline:N"],
        )
        .properties(width=480, title=kind)
    )


def kind_values(claims: pd.DataFrame, kind: str) -> alt.Chart:
    """Strip plot of one kind's values, a row per unit (log scale for LOG_KINDS)."""
    return _kind_strip(alt.Chart(chart_rows(claims[claims["kind"] == kind])), kind)


def value_distribution(claims: pd.DataFrame) -> alt.VConcatChart:
    """The distribution of values per kind: one strip plot per kind present, in KINDS order.

    The sub-charts share one dataset (each filters its kind), so a selection added to the
    result spans them all.
    """
    present = set(claims["kind"].astype("str"))
    kinds = [kind for kind in KINDS if kind in present]
    base = alt.Chart(chart_rows(claims))
    strips = [_kind_strip(base, kind) for kind in kinds] or [base.mark_text().properties(title="no claims")]
    return alt.vconcat(*strips).resolve_scale(color="independent")


def count_by(claims: pd.DataFrame, column: str, top: int | None = None) -> pd.DataFrame:
    """``column`` value -> number of claims, most claimed first, empty values dropped."""
    values = claims[column].astype("str")
    counts = values[values != ""].value_counts(sort=False).rename("claims").rename_axis(column).reset_index()
    counts = counts[counts["claims"] > 0].sort_values(["claims", column], ascending=[False, True], kind="stable")
    return counts.head(top).reset_index(drop=True) if top else counts.reset_index(drop=True)


def count_bars(counts: pd.DataFrame, column: str, selection: str, title: str) -> alt.Chart:
    """Horizontal bars of ``counts`` (``column``, ``claims``); clicking one selects ``column``.

    The point selection is named ``selection`` so a JupyterChart can report the clicked value.
    """
    pick = alt.selection_point(name=selection, fields=[column], toggle=False)
    return (
        alt.Chart(counts, title=title)
        .mark_bar()
        .encode(
            x=alt.X("claims:Q", title="claims", axis=alt.Axis(tickMinStep=1, format="d")),  # counts are whole
            y=alt.Y(f"{column}:N", sort="-x", title=None),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.5)),
            tooltip=[f"{column}:N", "claims:Q"],
        )
        .add_params(pick)
        .properties(width=300)
    )


def top_benchmarks(claims: pd.DataFrame, top: int = 15) -> alt.Chart:
    """The most-claimed benchmarks: claims per benchmark name, as written."""
    return count_bars(count_by(claims, "benchmark", top), "benchmark", "pick_benchmark",
                      "most-claimed benchmarks")


def claims_per_kind(claims: pd.DataFrame) -> alt.Chart:
    """Claims per kind (speed-up, gain, score, ...)."""
    return count_bars(count_by(claims, "kind"), "kind", "pick_kind", "claims per kind")


def leaderboard(claims: pd.DataFrame, benchmark: str) -> alt.Chart:
    """Score and gain claims on one benchmark across papers: a leaderboard read off abstracts.

    One dot per claim, a row per paper (best headline value on top); the baseline a gain is
    measured against shows on hover.
    """
    on_benchmark = claims[(claims["benchmark"] == benchmark) & claims["kind"].isin(LEADERBOARD_KINDS)]
    rows = chart_rows(on_benchmark)
    return (
        alt.Chart(rows, title=f"{benchmark}: score and gain claims")
        .mark_point(size=90, filled=True)
        .encode(
            x=alt.X("value:Q", scale=alt.Scale(zero=False), title="claimed value"),
            y=alt.Y("title:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color("kind:N", scale=alt.Scale(domain=list(LEADERBOARD_KINDS))),
            shape=alt.Shape("unit:N"),
            tooltip=[*_TOOLTIP, "kind:N", "value:Q", "unit:N", "metric:N",
                     alt.Tooltip("baseline:N", title="baseline")],
        )
        .properties(width=420)
    )


def size_vs_gain(claims: pd.DataFrame) -> alt.Chart:
    """Per paper: its largest model (parameters, log scale) against its largest claimed gain."""
    sizes = claims[(claims["kind"] == "model_size") & (claims["unit"] == "params") & (claims["high"] > 0)]
    gains = claims[claims["kind"] == "gain"]
    largest_size = sizes.groupby("paper", sort=True)["high"].max().rename("params")
    best_gain = gains.sort_values("high", ascending=False, kind="stable").drop_duplicates("paper")
    rows = chart_rows(best_gain).merge(largest_size.reset_index(), on="paper", how="inner")
    rows = rows.sort_values("paper", kind="stable").reset_index(drop=True)
    return (
        alt.Chart(rows, title="model size vs claimed gain")
        .mark_circle(size=80, opacity=0.8)
        .encode(
            x=alt.X("params:Q", scale=alt.Scale(type="log"), title="largest model (parameters)"),
            y=alt.Y("value:Q", title="largest claimed gain"),
            color=alt.Color("unit:N", title="gain unit"),
            tooltip=[*_TOOLTIP, "params:Q", "value:Q", "unit:N", "benchmark:N"],
        )
        .properties(width=420)
    )


def most_claimed_benchmark(claims: pd.DataFrame, kinds: tuple[str, ...] = LEADERBOARD_KINDS) -> str | None:
    """The benchmark most papers make ``kinds`` claims on (then most claims, then alphabetical), or None.

    Counting papers first makes it the best leaderboard: one paper's many claims compare nothing.
    """
    rows = claims[claims["kind"].isin(kinds) & (claims["benchmark"] != "")]
    if rows.empty:
        return None
    ranked = rows.groupby("benchmark", sort=True).agg(papers=("paper", "nunique"), claims=("paper", "size"))
    ranked = ranked.reset_index().sort_values(["papers", "claims", "benchmark"], ascending=[False, False, True],
                                              kind="stable")
    return str(ranked["benchmark"].iloc[0])


def data_rows(chart: alt.TopLevelMixin) -> int:
    """Rows of inline data in a chart and its sub-charts (the most of any one dataset)."""
    own = len(chart.data) if isinstance(getattr(chart, "data", None), pd.DataFrame) else 0
    children = [child for part in ("vconcat", "hconcat", "concat", "layer")
                for child in (getattr(chart, part, None) or []) if not isinstance(child, type(alt.Undefined))]
    return max([own, *(data_rows(child) for child in children)])


@contextlib.contextmanager
def transformer_for(chart: alt.TopLevelMixin) -> Iterator[str]:
    """Enable VegaFusion while a chart of more than MAX_INLINE_ROWS rows is compiled."""
    name = "vegafusion" if data_rows(chart) > MAX_INLINE_ROWS else "default"
    with alt.data_transformers.enable(name):
        yield name


def jupyter_chart(chart: alt.TopLevelMixin) -> alt.JupyterChart:
    """A JupyterChart widget for ``chart``: selections come back to Python, big data goes via VegaFusion.

    The widget's JavaScript is bundled from vl-convert (``enable_offline``), never fetched from
    a CDN. ``local_tz`` is given up front so a VegaFusion spec is compiled now, while the
    transformer is enabled, instead of later when the browser reports its time zone.
    """
    alt.JupyterChart.enable_offline()  # a no-op after the first call
    with transformer_for(chart):
        return alt.JupyterChart(chart, local_tz="UTC")


def set_chart(widget: alt.JupyterChart, chart: alt.TopLevelMixin) -> None:
    """Replace the chart a JupyterChart shows, with the right data transformer."""
    with transformer_for(chart):
        widget.chart = chart


def spec_template(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec of a small chart with one dataset, to refill with :func:`spec_with_rows`.

    Building and validating an Altair chart costs tens of milliseconds; refilling a compiled
    spec with new rows costs a fraction of that, which is what keeps the explorer responsive.
    """
    with alt.data_transformers.enable("default"):
        spec = chart.to_dict()
    if len(spec.get("datasets", {})) != 1:
        raise ValueError("a spec template needs exactly one inline dataset")
    return spec


def spec_with_rows(template: dict, rows: pd.DataFrame | list[dict]) -> dict:
    """``template`` carrying ``rows`` as its one dataset (a DataFrame is made JSON-safe first)."""
    name = next(iter(template["datasets"]))
    records = to_values(rows)["values"] if isinstance(rows, pd.DataFrame) else rows
    return {**template, "datasets": {name: records}}


def spec_rows(spec: dict) -> pd.DataFrame:
    """The rows a one-dataset spec carries (what the browser is sent)."""
    datasets = (spec or {}).get("datasets") or {}
    return pd.DataFrame(next(iter(datasets.values()), []))


def save_figure(chart: alt.TopLevelMixin, path: str | Path, scale_factor: float = 2.0) -> Path:
    """Save ``chart`` as SVG or PNG (by suffix) through vl-convert; offline and deterministic."""
    target = Path(path)
    options = {"scale_factor": scale_factor} if target.suffix == ".png" else {}
    with transformer_for(chart):
        chart.save(target, **options)
    return target
