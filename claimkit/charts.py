"""Charts of a claims table: pure functions from a claims DataFrame to an Altair chart.

The chart builders (:func:`value_distribution`, :func:`top_benchmarks`, :func:`claims_per_kind`,
:func:`size_vs_gain`, ...) take the claims table (see :mod:`claimkit.table`) and return a chart;
:func:`leaderboard` and :func:`state_of_the_art` draw a leaderboard table
(:mod:`claimkit.leaderboard`), the trend charts the tables of :mod:`claimkit.trends`. They
display, save and change nothing. Row-level charts carry the paper title, the claim text and
its sentence in their tooltips. Values that span orders of magnitude (speed-ups, parameter
counts, dataset sizes) are drawn on a log scale, each unit on its own axis; count axes have
whole-number ticks. Benchmarks are counted by their key (``benchmark_key``) and labeled as
papers write them.

The helpers at the end turn a chart into something shown or saved. Charts with more than
:data:`MAX_INLINE_ROWS` rows must go through the VegaFusion data transformer (Altair refuses
to inline them); :func:`jupyter_chart` and :func:`save_figure` choose the transformer from the
chart's row count, so callers never have to.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Iterator

import altair as alt
import pandas as pd

from .leaderboard import LEADERBOARD_KINDS, benchmark_labels, benchmark_table
from .table import KINDS
from .trends import UNITS_PER_KIND, VALUE_KINDS  # units of one kind drawn at most, one axis each

#: Kinds whose values span orders of magnitude, drawn on a log scale (the kinds trends follow).
LOG_KINDS = VALUE_KINDS
#: Above this many rows a chart is rendered through VegaFusion (Altair's inline limit).
MAX_INLINE_ROWS = 5000
#: Whole-number ticks for axes that count things.
COUNT_AXIS = alt.Axis(tickMinStep=1, format="d")
# Big numbers as people write them on a log axis: 6B (not Vega's SI "6G"), 1.2M, 161k.
_HUMAN_LABELS = "replace(format(datum.value, '~s'), 'G', 'B')"

_TOOLTIP = [
    alt.Tooltip("title:N", title="paper"),
    alt.Tooltip("text:N", title="claim"),
    alt.Tooltip("sentence:N", title="sentence"),
]
ROW_COLUMNS = ["paper", "title", "kind", "text", "value", "low", "high", "unit", "qualifier",
               "metric", "benchmark", "baseline", "sentence", "strip", "strip_order"]


def chart_rows(claims: pd.DataFrame) -> pd.DataFrame:
    """The columns row-level charts need, as plain strings and floats.

    ``value`` is the headline number: the top of a range ("1.75-2.39x" -> 2.39), as papers
    headline it; ``strip`` names the kind and unit a value chart puts it on ("score (%)").
    Categoricals become strings so Vega-Lite sees nominal fields.
    """
    rows = claims.assign(value=claims["high"]).reindex(columns=ROW_COLUMNS[:-2])
    for column in ("kind", "unit", "qualifier"):
        rows[column] = rows[column].astype("str")
    rows["strip"], rows["strip_order"] = strips_of(rows["kind"].tolist(), rows["unit"].tolist())
    return rows.reset_index(drop=True)


def strips_of(kinds: list[str], units: list[str]) -> tuple[list[str], list[int]]:
    """Each row's strip ("score (%)", "speedup (x)") and its place (the kind's place in KINDS)."""
    labels = [f"{kind} ({unit})" if unit else kind for kind, unit in zip(kinds, units)]
    order = [KINDS.index(kind) if kind in KINDS else len(KINDS) for kind in kinds]
    return labels, order


def value_scale(kind: str) -> alt.Scale:
    """A log scale for kinds that span orders of magnitude, else a linear one."""
    return alt.Scale(type="log") if kind in LOG_KINDS else alt.Scale(zero=False)


def in_top_units(rows: pd.DataFrame, most: int = UNITS_PER_KIND) -> pd.Series:
    """Which rows are in one of their kind's ``most`` most claimed units (ties alphabetical)."""
    counts = rows.groupby(["kind", "unit"], sort=True, observed=True).size().reset_index(name="n")
    counts = counts.sort_values(["kind", "n", "unit"], ascending=[True, False, True], kind="stable")
    kept = set(map(tuple, counts.groupby("kind", sort=False, observed=True).head(most)[["kind", "unit"]].to_numpy()))
    return pd.Series([(k, u) in kept for k, u in zip(rows["kind"], rows["unit"])], index=rows.index, dtype=bool)


def _strips(base: alt.Chart, log: bool, pick: alt.Parameter | None) -> alt.FacetChart:
    """One strip per kind and unit, each on its own axis: the log kinds (values above 0: a log
    axis cannot place the others) or the linear ones."""
    in_log = alt.FieldOneOfPredicate(field="kind", oneOf=list(LOG_KINDS))
    keep = alt.datum.value > 0 if log else ~in_log
    inner = (
        base.transform_filter(in_log if log else keep).transform_filter(keep if log else alt.datum.value == alt.datum.value)
        .mark_circle(size=50, opacity=0.7)
        .encode(
            x=alt.X("value:Q", title=None, scale=alt.Scale(type="log") if log else alt.Scale(zero=False),
                    axis=alt.Axis(labelExpr=_HUMAN_LABELS, labelOverlap="greedy") if log else alt.Axis()),
            tooltip=[*_TOOLTIP, "value:Q", "unit:N", "benchmark:N", "metric:N", "baseline:N"],
        )
        .properties(width=480, height=30)
    )
    if pick is not None:
        inner = inner.add_params(pick)
    row = alt.Row("strip:N", title=None, sort=alt.EncodingSortField("strip_order", op="min"),
                  header=alt.Header(labelAngle=0, labelAlign="left", labelOrient="top", labelFontWeight="bold"))
    return inner.facet(row=row, spacing=4).resolve_scale(x="independent")


def value_distribution(claims: pd.DataFrame, pick: alt.Parameter | None = None) -> alt.VConcatChart:
    """The distribution of values: one strip per kind and unit (the kind's most claimed units),
    each on its own axis, so a score in tokens does not squash the scores in %; log scale for
    the kinds that span orders of magnitude.

    One dataset and a fixed shape whatever the claims, so the explorer refills it; ``pick``, a
    point selection, is added to every strip.
    """
    base = alt.Chart(value_rows(claims))
    return alt.vconcat(_strips(base, True, pick), _strips(base, False, pick), spacing=12,
                       title="claimed values (each kind and unit on its own axis)")


def value_rows(claims: pd.DataFrame) -> pd.DataFrame:
    """The rows :func:`value_distribution` draws: :func:`chart_rows` in their kind's top units."""
    rows = chart_rows(claims)
    return rows[in_top_units(rows)].reset_index(drop=True)


def kind_values(claims: pd.DataFrame, kind: str) -> alt.FacetChart:
    """Strip plots of one kind's values, one per unit, each on its own axis."""
    return _strips(alt.Chart(value_rows(claims[claims["kind"] == kind])), kind in LOG_KINDS, None)


def count_by(claims: pd.DataFrame, column: str, top: int | None = None) -> pd.DataFrame:
    """``column`` value -> number of claims, most claimed first, empty values dropped."""
    values = claims[column].astype("str")  # noqa: the categorical kind counts as text
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
            x=alt.X("claims:Q", title="claims", axis=COUNT_AXIS),
            y=alt.Y(f"{column}:N", sort="-x", title=None),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.5)),
            tooltip=[f"{column}:N", "claims:Q"],
        )
        .add_params(pick)
        .properties(width=300)
    )


def benchmark_counts(claims: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """Claims per benchmark key, labeled as papers write it: columns ``benchmark`` (the label),
    ``key`` and ``claims``; most claimed first."""
    counts = count_by(claims, "benchmark_key", top)
    labels = benchmark_labels(claims)
    return pd.DataFrame({"benchmark": [labels.get(key, key) for key in counts["benchmark_key"]],
                         "key": counts["benchmark_key"].tolist(), "claims": counts["claims"].tolist()})


def top_benchmarks(claims: pd.DataFrame, top: int = 15) -> alt.Chart:
    """The most-claimed benchmarks: claims per benchmark key, labeled as written."""
    counts = benchmark_counts(claims, top)[["benchmark", "claims"]]
    return count_bars(counts, "benchmark", "pick_benchmark", "most-claimed benchmarks")


def claims_per_kind(claims: pd.DataFrame) -> alt.Chart:
    """Claims per kind (speed-up, gain, score, ...)."""
    return count_bars(count_by(claims, "kind"), "kind", "pick_kind", "claims per kind")


_BOARD_TOOLTIP = [
    alt.Tooltip("method:N", title="method"), alt.Tooltip("title:N", title="paper"),
    alt.Tooltip("published:N", title="published"), alt.Tooltip("label:N", title="claimed"),
    alt.Tooltip("sentence:N", title="sentence"),
]


def board_rows(board: pd.DataFrame) -> pd.DataFrame:
    """A leaderboard's rows as chart data: a ``who`` label (method, else title) and the value as written."""
    from .display import format_change, shortened

    rows = board.reindex(columns=["rank", "value", "before", "low", "high", "unit", "method", "title", "paper",
                                  "published", "note", "comparable", "claim", "sentence"])
    who = [method or shortened(title, 40)
           for method, title in zip(rows["method"].astype("str"), rows["title"].astype("str"))]
    label = [format_change(b, lo, hi, str(u)) for b, lo, hi, u in zip(rows["before"], rows["low"], rows["high"],
                                                                      rows["unit"])]
    rows = rows.assign(who=who, label=label, rank=rows["rank"].astype("float64"))
    return rows.drop(columns=["before", "low", "high"]).reset_index(drop=True)


def leaderboard(board: pd.DataFrame) -> alt.Chart:
    """A leaderboard's comparable rows as dots, best on top (one row per paper and method).

    Rows that are not comparable (another metric, unit or split, a gain) stay in the table:
    on one axis they would mislead. Hover for the claim in its sentence.
    """
    rows = board_rows(board[board["comparable"]] if len(board) else board)
    name = board.attrs.get("benchmark", "")
    unit = str(rows["unit"].iloc[0]) if len(rows) else ""
    metric = board.attrs.get("metric", "")
    axis_title = " ".join(part for part in (metric or "claimed score", f"({unit})" if unit else "") if part)
    if board.attrs.get("lower_is_better"):
        axis_title += ", lower is better"
    return (
        alt.Chart(rows, title=f"{name}: claimed scores" if name else "claimed scores")
        .mark_point(size=90, filled=True)
        .encode(
            x=alt.X("value:Q", scale=alt.Scale(zero=False), title=axis_title),
            y=alt.Y("who:N", sort=alt.EncodingSortField("rank", order="ascending"), title=None,
                    axis=alt.Axis(labelLimit=320)),
            color=alt.condition(alt.datum.rank == 1, alt.value("#d62728"), alt.value("#1f77b4")),
            tooltip=_BOARD_TOOLTIP,
        )
        .properties(width=420)
    )


def state_of_the_art_rows(board: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """The rows :func:`state_of_the_art` draws: every comparable dated claim, ``record`` set on
    the ones that set a new best (the rows of :func:`claimkit.leaderboard.best_over_time`)."""
    dated = board_rows(board[board["comparable"] & (board["published"] != "")] if len(board) else board)
    keys = set(zip(records["paper"], records["published"], records["value"]))
    dated["record"] = [(p, d, v) in keys for p, d, v in zip(dated["paper"], dated["published"], dated["value"])]
    return dated.sort_values(["published", "value"], kind="stable").reset_index(drop=True)


def state_of_the_art(board: pd.DataFrame, records: pd.DataFrame) -> alt.TopLevelMixin:
    """The best claimed score by publication date: a step line through the records (new bests),
    over every comparable dated claim; hover for the sentence. One dataset (see
    :func:`state_of_the_art_rows`), so the explorer can refill it."""
    rows = state_of_the_art_rows(board, records)
    name = board.attrs.get("benchmark", "")
    unit = str(rows["unit"].iloc[0]) if len(rows) else ""
    axis_title = "claimed score" + (f" ({unit})" if unit else "")
    x = alt.X("published:T", title="published", axis=alt.Axis(format="%b %Y"))
    y = alt.Y("value:Q", scale=alt.Scale(zero=False), title=axis_title)
    base = alt.Chart(rows).encode(x=x, y=y, tooltip=_BOARD_TOOLTIP)
    claims = base.mark_circle(size=45, opacity=0.35, color="#7f7f7f")
    records_only = base.transform_filter(alt.datum.record)
    line = records_only.mark_line(interpolate="step-after", color="#d62728")
    best = records_only.mark_point(size=80, filled=True, color="#d62728")
    title = f"{name}: best claimed score over time" if name else "best claimed score over time"
    return alt.layer(claims, line, best, title=title).properties(width=480, height=220)


# -- trends --------------------------------------------------------------------------------------

def claims_per_month(table: pd.DataFrame) -> alt.Chart:
    """Stacked bars of claims per month and kind (a table of :func:`claimkit.trends.claims_per_month`)."""
    return (
        alt.Chart(table, title="claims per month, by kind")
        .mark_bar()
        .encode(
            x=alt.X("month:O", title=None),
            y=alt.Y("claims:Q", title="claims", axis=COUNT_AXIS),
            color=alt.Color("kind:N", sort=list(KINDS), scale=alt.Scale(domain=list(KINDS))),
            order=alt.Order("kind_order:Q"),
            tooltip=["month:O", "kind:N", "claims:Q"],
        )
        .transform_calculate(kind_order=f"indexof({list(KINDS)!r}, datum.kind)")
        .properties(width=560, height=200)
    )


def value_panels(table: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """The (kind, unit) panels of :func:`values_over_time` for ``table``, in its order."""
    return tuple(dict.fromkeys(zip(table["kind"].astype("str"), table["unit"].astype("str"))))


def values_over_time(table: pd.DataFrame, panels: tuple[tuple[str, str], ...] | None = None) -> alt.VConcatChart:
    """Quarterly claimed values per kind and unit (a table of :func:`claimkit.trends.values_over_time`):
    the middle half as a band, the median as a line, the largest as triangles; log scale, an
    axis per panel. One dataset (each panel filters its kind and unit); ``panels`` overrides
    which panels are drawn."""
    base = alt.Chart(table.reset_index(drop=True))
    tooltip = ["quarter:O", "claims:Q", alt.Tooltip("median:Q", format="~s"), alt.Tooltip("largest:Q", format="~s")]
    views = []
    for kind, unit in value_panels(table) if panels is None else panels:
        label = f"{kind} ({unit})" if unit else kind
        panel = base.transform_filter((alt.datum.kind == kind) & (alt.datum.unit == unit)).encode(
            x=alt.X("quarter:O", title=None, axis=alt.Axis(labelAngle=0)))
        y_scale = alt.Scale(type="log")
        band = panel.mark_area(opacity=0.25).encode(
            y=alt.Y("q1:Q", scale=y_scale, title=label, axis=alt.Axis(labelExpr=_HUMAN_LABELS)), y2="q3:Q")
        median = panel.mark_line(point=True).encode(y=alt.Y("median:Q", scale=y_scale), tooltip=tooltip)
        largest = panel.mark_point(shape="triangle-up", color="#d62728").encode(
            y=alt.Y("largest:Q", scale=y_scale), tooltip=tooltip)
        views.append(alt.layer(band, median, largest).properties(width=480, height=120, title=label))
    if not views:
        views = [base.mark_text().properties(title="no dated claims")]
    return alt.vconcat(*views, title="claimed values per quarter (median, middle half, largest)").resolve_scale(
        y="independent")


def benchmarks_per_quarter(table: pd.DataFrame) -> alt.FacetChart | alt.Chart:
    """The most-claimed benchmarks of each quarter (a table of
    :func:`claimkit.trends.benchmarks_per_quarter`), a small bar chart per quarter."""
    bars = alt.Chart(table).mark_bar().encode(
        x=alt.X("claims:Q", title="claims", axis=COUNT_AXIS),
        y=alt.Y("benchmark:N", sort=alt.EncodingSortField("rank", order="ascending"), title=None),
        tooltip=["quarter:O", "benchmark:N", "claims:Q"],
    ).properties(width=140, height=100)
    if table.empty:
        return bars.properties(title="no dated claims")
    return bars.facet(facet=alt.Facet("quarter:O", title=None), columns=4,
                      title="most-claimed benchmarks per quarter").resolve_scale(y="independent", x="independent")


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
    """The benchmark key most papers make ``kinds`` claims on (then most claims, then alphabetical),
    or None. Counting papers first makes it the best leaderboard: one paper's many claims compare
    nothing."""
    table = benchmark_table(claims, kinds)
    return str(table["benchmark_key"].iloc[0]) if len(table) else None


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


def enable_offline_charts() -> None:
    """Bundle JupyterChart's JavaScript from vl-convert (no CDN), through the claims cache folder.

    ``alt.JupyterChart.enable_offline()`` bundles it anew in every kernel (over a second);
    the bundle depends only on the Altair and vl-convert versions, so it is kept in the cache
    directory (:func:`claimkit.cache.cache_dir`) and read back by later kernels.
    """
    chart_class = alt.JupyterChart
    if getattr(chart_class, "_is_offline", False):
        return
    from importlib import metadata

    from .cache import cache_dir

    # The version from the package metadata: importing vl_convert itself takes a while.
    bundle = cache_dir() / f"jupyterchart-{alt.__version__}-{metadata.version('vl-convert-python')}.js"
    if bundle.is_file() and hasattr(chart_class, "_esm"):
        chart_class._esm = bundle.read_text(encoding="utf-8")
        chart_class._is_offline = True
        return
    chart_class.enable_offline()
    with contextlib.suppress(OSError, AttributeError):  # no cache: bundled again next time
        from .io import atomic_path

        bundle.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(bundle) as temporary:
            temporary.write_text(chart_class._esm, encoding="utf-8")


def jupyter_chart(chart: alt.TopLevelMixin) -> alt.JupyterChart:
    """A JupyterChart widget for ``chart``: selections come back to Python, big data goes via VegaFusion.

    The widget's JavaScript is bundled from vl-convert (:func:`enable_offline_charts`), never
    fetched from a CDN. ``local_tz`` is given up front so a VegaFusion spec is compiled now,
    while the transformer is enabled, instead of later when the browser reports its time zone.
    """
    enable_offline_charts()
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
    return {**template, "datasets": {name: json_records(rows) if isinstance(rows, pd.DataFrame) else rows}}


def json_records(rows: pd.DataFrame) -> list[dict]:
    """``rows`` as JSON-ready records (NaN as null, numbers and text as plain Python values):
    pandas' JSON writer, several times faster than Altair's general sanitizer on every update."""
    return json.loads(rows.to_json(orient="records", force_ascii=False, double_precision=15))


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
