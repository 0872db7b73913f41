"""The explorer: a widget panel that filters, counts, tables and charts a claims table.

``Explorer(claims)`` is an ipywidgets box a notebook displays in one line. Filters (kind,
benchmark, metric, paper search, value range, qualifier; arXiv category and publication date
when the table carries the papers' ``categories`` and ``published`` columns, see
:func:`claimkit.readers.with_paper_metadata`) drive one update that sets the count, the table
(each claim highlighted in its sentence) and the charts together; clicking a bar or a point
in a chart sets the matching filter. The table shows one page of the matching claims at a
time (Prev / Next, a "rows 21–40 of 211" indicator, 20, 50 or 100 rows per page); a filter
change goes back to page 1, and turning a page renders only that page's rows. Every callback
changes widget traits, so tests drive the panel without a browser.

Filtering is vectorized for large tables: :class:`ClaimIndex` turns the string columns into
integer codes once, and searches only the distinct values (a few thousand benchmark names,
one title per paper, the distinct category lists and dates) before broadcasting the hits back
to the rows through the codes.

:func:`launch_explorer` starts JupyterLab on ``notebooks/01-explore-claims.ipynb``.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
import warnings
from pathlib import Path
from typing import Callable, Hashable, Iterator, Sequence

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import traitlets

from . import charts, corpus
from .errors import InputError
from .sources.filters import as_date
from .table import KINDS, QUALIFIERS

#: Environment variable through which ``claimkit explore FILE...`` hands inputs to notebook 01.
INPUTS_ENV = "CLAIMKIT_INPUTS"
NOTEBOOKS_DIR = corpus.DATA_DIR.parent / "notebooks"
EXPLORER_NOTEBOOK = NOTEBOOKS_DIR / "01-explore-claims.ipynb"

ANY = "any"
_QUALIFIER_LABELS = {"": "none", "up_to": "up to", "at_least": "at least", "about": "about", "average": "average"}


@dataclass(frozen=True)
class Query:
    """What the filters ask for; empty fields match everything."""

    kinds: tuple[str, ...] = ()
    benchmark: str = ""
    metric: str = ""
    search: str = ""
    min_value: float | None = None
    max_value: float | None = None
    qualifier: str = ANY
    categories: tuple[str, ...] = ()  # arXiv categories or archives ("cs" keeps cs.LG), any of them
    since: str = ""  # published on or after (YYYY[-MM[-DD]]), at the precision both dates have
    until: str = ""  # published on or before


def _codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and the distinct values of a string column (by first appearance).

    A missing value counts as "" so every row gets a real code (-1 would index from the end).
    """
    codes, uniques = pd.factorize(column.astype("str").fillna(""), sort=False)
    return codes.astype(np.int32), [str(value) for value in uniques]


def _metadata_codes(column: pd.Series, normalize: Callable[[object], str]) -> tuple[np.ndarray, list[str]]:
    """Integer codes and normalized distinct values of a paper metadata column.

    Missing values (and values that normalize to nothing) stand for "", so every row gets a
    real code; only the distinct values are normalized.
    """
    try:
        codes, uniques = pd.factorize(column, sort=False)
    except TypeError:  # unhashable cells, e.g. lists of categories
        codes, uniques = pd.factorize(column.map(normalize), sort=False)
    values = [normalize(value) for value in uniques] + [""]
    codes = codes.astype(np.int32)
    codes[codes < 0] = len(values) - 1
    return codes, values


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _category_text(value: object) -> str:
    """``"cs.LG cs.CL"`` from a space-separated string or a list; "" for none."""
    if _missing(value):
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, (list, tuple, np.ndarray)):
        return " ".join(str(item) for item in value)
    return str(value).strip()


def _date_text(value: object) -> str:
    """``YYYY[-MM[-DD]]`` as :func:`claimkit.readers.filter_papers` compares it; "" for none."""
    return "" if _missing(value) else as_date(value)


def _lower_array(values: Sequence[str]) -> pa.Array:
    return pc.utf8_lower(pa.array(list(values), type=pa.string()))


class ClaimIndex:
    """A claims table prepared for fast filtering: codes and lower-cased distinct strings.

    Building it costs one pass over the table; :meth:`mask` then touches only integer and
    float arrays plus the distinct values, which keeps a filter update on a million rows in
    milliseconds.
    """

    def __init__(self, claims: pd.DataFrame) -> None:
        self.claims = claims.reset_index(drop=True)
        self.kind_codes = self.claims["kind"].cat.codes.to_numpy()
        self.kinds = [str(kind) for kind in self.claims["kind"].cat.categories]
        self.qualifier_codes = self.claims["qualifier"].cat.codes.to_numpy()
        self.qualifiers = [str(q) for q in self.claims["qualifier"].cat.categories]
        self.benchmark_codes, self.benchmarks = _codes(self.claims["benchmark"])
        self.metric_codes, self.metrics = _codes(self.claims["metric"])
        self.paper_codes, papers = _codes(self.claims["paper"])
        first_rows = np.unique(self.paper_codes, return_index=True)[1]
        titles = self.claims["title"].astype("str").to_numpy()[first_rows]
        # One haystack per paper: its id and title, lower-cased once.
        self.paper_text = _lower_array([f"{paper} {title}" for paper, title in zip(papers, titles)])
        self.benchmarks_lower = _lower_array(self.benchmarks)
        self.low = self.claims["low"].to_numpy(dtype="float64")
        self.high = self.claims["high"].to_numpy(dtype="float64")
        self._ranks: dict[int, np.ndarray] = {}
        self._index_categories()
        self._index_dates()

    def _index_categories(self) -> None:
        """Codes of the distinct category lists, and which lists hold each single category."""
        self.category_codes: np.ndarray | None = None
        self.category_lists: list[str] = []
        self.category_members: dict[str, np.ndarray] = {}  # "cs.LG" -> indices into category_lists
        if "categories" not in self.claims.columns:
            return
        self.category_codes, self.category_lists = _metadata_codes(self.claims["categories"], _category_text)
        members: dict[str, list[int]] = {}
        for position, text in enumerate(self.category_lists):
            for category in dict.fromkeys(text.split()):
                members.setdefault(category, []).append(position)
        self.category_members = {category: np.array(positions, dtype=np.int64)
                                 for category, positions in sorted(members.items())}

    def _index_dates(self) -> None:
        """Codes of the distinct publication dates, grouped by length for prefix comparisons."""
        self.date_codes: np.ndarray | None = None
        self.dates: list[str] = []
        self._date_groups: list[tuple[int, np.ndarray, np.ndarray]] = []  # (length, positions, dates)
        if "published" not in self.claims.columns:
            return
        self.date_codes, self.dates = _metadata_codes(self.claims["published"], _date_text)
        values = np.array(self.dates, dtype=str)
        lengths = np.char.str_len(values)
        for length in np.unique(lengths[lengths > 0]):
            positions = np.flatnonzero(lengths == length)
            self._date_groups.append((int(length), positions, values[positions]))

    @property
    def has_categories(self) -> bool:
        """True when some claim's paper has arXiv categories."""
        return bool(self.category_members)

    @property
    def has_dates(self) -> bool:
        """True when some claim's paper has a publication date."""
        return bool(self._date_groups)

    @property
    def date_range(self) -> tuple[str, str]:
        """The earliest and latest publication date present ("", "" for none)."""
        present = [date for date in self.dates if date]
        return (min(present), max(present)) if present else ("", "")

    def __len__(self) -> int:
        return len(self.claims)

    def mask(self, query: Query) -> np.ndarray:
        """Boolean mask of the rows matching every active part of ``query``."""
        keep = np.ones(len(self), dtype=bool)
        if query.kinds:
            keep &= self._lookup(self.kind_codes, self.kinds, set(query.kinds))
        if query.qualifier != ANY:
            keep &= self._lookup(self.qualifier_codes, self.qualifiers, {query.qualifier})
        if query.benchmark.strip():
            keep &= self.benchmark_hits(query.benchmark)[self.benchmark_codes]
        if query.metric:
            keep &= self._lookup(self.metric_codes, self.metrics, {query.metric})
        if query.search.strip():
            hits = pc.match_substring(self.paper_text, query.search.strip().lower()).to_numpy(zero_copy_only=False)
            keep &= hits[self.paper_codes]
        if query.min_value is not None:
            keep &= self.high >= query.min_value  # the claim's range reaches the minimum
        if query.max_value is not None:
            keep &= self.low <= query.max_value
        # As claimkit.readers.filter_papers: a filter on metadata the table lacks keeps nothing.
        if query.categories:
            if self.category_codes is None:
                keep[:] = False
            else:
                keep &= self.category_hits(query.categories)[self.category_codes]
        if query.since or query.until:
            if self.date_codes is None:
                keep[:] = False
            else:
                keep &= self.date_hits(query.since, query.until)[self.date_codes]
        return keep

    def category_hits(self, wanted: Sequence[str]) -> np.ndarray:
        """Which distinct category lists hold a ``wanted`` category, or one of a wanted archive.

        ``"cs"`` matches ``cs.LG`` and ``cs.CL``; ``"cs.LG"`` only ``cs.LG``: the rule of
        :func:`claimkit.readers.filter_papers`, applied once per single category present.
        """
        hits = np.zeros(len(self.category_lists), dtype=bool)
        for category, positions in self.category_members.items():
            if any(category == w or category.startswith(w + ".") for w in wanted):
                hits[positions] = True
        return hits

    def date_hits(self, since: str = "", until: str = "") -> np.ndarray:
        """Which distinct dates lie in ``since..until``, inclusively, at the precision both have.

        A ``2024-11`` is within ``since="2024-11-15"`` (as in :func:`claimkit.readers.filter_papers`);
        a missing date is never within a range.
        """
        hits = np.zeros(len(self.dates), dtype=bool)
        for length, positions, values in self._date_groups:
            inside = np.ones(len(positions), dtype=bool)
            if since:
                size = min(length, len(since))
                inside &= values.astype(f"<U{size}") >= since[:size]
            if until:
                size = min(length, len(until))
                inside &= values.astype(f"<U{size}") <= until[:size]
            hits[positions] = inside
        return hits

    def category_counts(self) -> pd.DataFrame:
        """Claims per category present, plus per archive of several (``cs`` for cs.LG and cs.CL).

        Alphabetical, so an archive comes right before its categories; a claim counts once per
        row even when its paper lists two categories of the archive.
        """
        if not self.has_categories:
            return pd.DataFrame({"category": [], "claims": [], "archive": []})
        per_list = np.bincount(self.category_codes, minlength=len(self.category_lists))
        archives: dict[str, int] = {}
        for category in self.category_members:
            if "." in category:
                archive = category.split(".", 1)[0]
                archives[archive] = archives.get(archive, 0) + 1
        options = sorted({*self.category_members, *(a for a, n in archives.items() if n > 1)})
        # Each option counts the claims its filter lets through (a bare archive matches its categories).
        rows = [(value, int(per_list[self.category_hits([value])].sum()), value not in self.category_members)
                for value in options]
        return pd.DataFrame(rows, columns=["category", "claims", "archive"])

    def benchmark_hits(self, text: str) -> np.ndarray:
        """Which distinct benchmarks ``text`` names: an exact (case-blind) name, else a substring."""
        wanted = text.strip().lower()
        exact = pc.equal(self.benchmarks_lower, wanted).to_numpy(zero_copy_only=False)
        if exact.any():
            return exact
        return pc.match_substring(self.benchmarks_lower, wanted).to_numpy(zero_copy_only=False)

    @staticmethod
    def _lookup(codes: np.ndarray, values: list[str], wanted: set[str]) -> np.ndarray:
        """Rows whose code stands for one of ``wanted`` (code -1, a missing value, never matches)."""
        table = np.zeros(len(values) + 1, dtype=bool)
        table[1:] = [value in wanted for value in values]
        return table[codes + 1]

    def counts(self, codes: np.ndarray, values: list[str], rows: np.ndarray, column: str,
               top: int | None = None) -> pd.DataFrame:
        """Claims per distinct value among ``rows``: most first (ties alphabetical), empty values left out."""
        per_value = np.bincount(codes[rows] + 1, minlength=len(values) + 1)[1:]
        present = np.flatnonzero(per_value)
        present = present[[values[i] != "" for i in present]]
        order = present[np.lexsort((self._alphabetical(values)[present], -per_value[present]))][:top]
        return pd.DataFrame({column: [values[i] for i in order], "claims": per_value[order].tolist()})

    def _alphabetical(self, values: list[str]) -> np.ndarray:
        """Each value's rank in alphabetical order (computed once per list of distinct values)."""
        key = id(values)
        if key not in self._ranks:
            ranks = np.empty(len(values), dtype=np.int64)
            ranks[np.argsort(np.array(values, dtype=object), kind="stable")] = np.arange(len(values))
            self._ranks[key] = ranks
        return self._ranks[key]

    def chart_records(self, rows: np.ndarray) -> list[dict]:
        """JSON-ready records of ``rows`` with the columns of :func:`claimkit.charts.chart_rows`."""
        picked = self.claims.iloc[rows]
        columns = {name: picked[name].astype("str").tolist() if name in ("kind", "unit", "qualifier")
                   else picked[name].tolist() for name in charts.ROW_COLUMNS if name != "value"}
        columns["value"] = columns["high"]
        for name in ("low", "high", "value"):
            columns[name] = [None if value != value else value for value in columns[name]]  # NaN -> null
        names = list(columns)
        return [dict(zip(names, values)) for values in zip(*columns.values())]


def highlight(sentence: str, text: str) -> str:
    """The sentence as HTML with the claim's first occurrence in ``<mark>``; all text escaped."""
    at = sentence.find(text) if text else -1
    if at < 0:
        return html.escape(sentence)
    before, after = sentence[:at], sentence[at + len(text):]
    return f"{html.escape(before)}<mark>{html.escape(text)}</mark>{html.escape(after)}"


def format_value(low: float, high: float, unit: str) -> str:
    """``2.39 x``, ``1.75–2.39 x``: the normalized value with its unit."""
    if pd.isna(low) and pd.isna(high):
        return ""
    number = f"{high:.4g}" if low == high or pd.isna(low) else f"{low:.4g}–{high:.4g}"
    return f"{number} {unit}".strip()


def claims_table_html(rows: pd.DataFrame) -> str:
    """An HTML table of claims: paper, kind, value, benchmark, metric, highlighted sentence.

    The papers' ``published`` date and ``categories`` get columns after the paper when the
    table carries them.
    """
    metadata = [name for name in ("published", "categories") if name in rows.columns]
    names = ("paper", *metadata, "kind", "value", "benchmark", "metric", "claim in context")
    header = "".join(f"<th>{name}</th>" for name in names)
    body = []
    for row, extra in zip(rows.itertuples(index=False), _metadata_cells(rows, metadata)):
        cells = (
            html.escape(str(row.title)),
            *extra,
            html.escape(str(row.kind)),
            html.escape(format_value(row.low, row.high, str(row.unit))),
            html.escape(str(row.benchmark)),
            html.escape(str(row.metric)),
            highlight(str(row.sentence), str(row.text)),
        )
        body.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    return f'<table class="claimkit-claims"><thead><tr>{header}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _metadata_cells(rows: pd.DataFrame, names: list[str]) -> Iterator[tuple[str, ...]]:
    """The escaped metadata cells of each row (blank for a missing value)."""
    text = {"published": _date_text, "categories": _category_text}
    columns = [[html.escape(text[name](value)) for value in rows[name]] for name in names]
    return iter(zip(*columns)) if columns else iter([()] * len(rows))


def parse_bound(text: str) -> float | None:
    """A value bound typed by a person (``"1e9"``, ``" 2.5 "``); blank or unreadable -> no bound."""
    try:
        return float(text.replace(",", "").strip()) if text.strip() else None
    except ValueError:
        return None


def spread(rows: np.ndarray, most: int) -> np.ndarray:
    """At most ``most`` of ``rows``, evenly spaced, so a chart of a huge selection stays small."""
    if len(rows) <= most:
        return rows
    return rows[np.linspace(0, len(rows) - 1, most).astype(np.int64)]


def _look() -> dict:
    """Layout and style shared by the filter widgets (a fresh Layout each: one model per widget)."""
    return {"layout": widgets.Layout(width="290px"), "style": {"description_width": "80px"}}


#: Rows-per-page choices of the explorer's table.
PAGE_SIZES = (20, 50, 100)


def page_label(first: int, last: int, total: int) -> str:
    """``rows 21–40 of 211``: the 1-based rows ``first..last`` of ``total`` (``no claims`` for none)."""
    return f"rows {first:,}–{last:,} of {total:,}" if total else "no claims"


_TABLE_CSS = """<style>
.claimkit-claims {border-collapse: collapse; font-size: 12px}
.claimkit-claims th, .claimkit-claims td {border-bottom: 1px solid #ddd; padding: 3px 6px;
  text-align: left; vertical-align: top}
.claimkit-claims mark {background: #ffe58a; padding: 0 2px}
</style>"""


@contextlib.contextmanager
def _shared_selections_allowed() -> Iterator[None]:
    """Silence Altair's notice that a selection added to a concat chart is shared by its views."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Automatically deduplicated selection parameter")
        yield


class ChartView:
    """One explorer chart: a JupyterChart whose spec is compiled once per shape, then refilled.

    Building an Altair chart costs tens of milliseconds; an update instead puts new rows into
    a cached spec of the same shape (``key``), so the chart keeps up with the filters. The
    chart's point selection ``selection`` reports clicks: the clicked ``field`` value goes to
    ``on_pick``.
    """

    def __init__(self, empty: alt.TopLevelMixin, selection: str, field: str,
                 on_pick: Callable[[str], None], css_class: str) -> None:
        self.selection, self.field, self.on_pick = selection, field, on_pick
        self.templates: dict[Hashable, dict] = {}
        with _shared_selections_allowed():
            self.widget = charts.jupyter_chart(empty)
        # SVG: crisp screenshots, and marks a browser test can click.
        self.widget.embed_options = {"renderer": "svg", "actions": False}
        self.widget.add_class(css_class)
        self.widget.selections.observe(self._on_selection, names=[selection])

    def show(self, key: Hashable, build: Callable[[], alt.TopLevelMixin], rows: list[dict]) -> None:
        """Show ``rows`` (JSON-ready records) in the spec of shape ``key``.

        ``build`` makes the chart of that shape the first time it is needed.
        """
        if key not in self.templates:
            with _shared_selections_allowed():
                self.templates[key] = charts.spec_template(build())
        # The browser re-embeds on a new spec and reports the new view's empty selection, so
        # clicking the same mark again registers as a change.
        self.widget.spec = charts.spec_with_rows(self.templates[key], rows)

    @property
    def rows(self) -> pd.DataFrame:
        """The rows the chart currently shows."""
        return charts.spec_rows(self.widget.spec)

    def _on_selection(self, change: dict) -> None:
        points = change["new"].value if change["new"] is not None else []
        values = [point.get(self.field) for point in points if point.get(self.field) not in (None, "")]
        if values:
            self.on_pick(str(values[0]))


class Explorer(widgets.VBox):
    """Filters, count, table and charts of a claims table, updated together.

    ``matches`` is the number of claims the filters let through; ``filtered`` is those rows.
    The table shows page ``page`` (1-based) of ``pages``, ``page_size`` rows each: ``next_button``
    and ``prev_button`` turn pages, ``page_size_picker`` chooses 20, 50 or 100 rows (keeping the
    top row in view) and ``page_indicator`` says which rows are shown. A filter change goes back
    to page 1.
    Clicking a benchmark or kind bar sets that filter; clicking a claim's dot searches its paper.
    A table with the papers' ``categories`` and ``published`` columns also gets a category
    filter (``category_filter``: categories present, and archives such as ``cs``) and a date
    range (``since_filter``, ``until_filter``); without them these are None and not shown.
    """

    matches = traitlets.Int(0, help="number of claims matching the filters")

    def __init__(self, claims: pd.DataFrame, page_size: int = 20, max_points: int = 1000,
                 top_benchmarks: int = 15) -> None:
        self.index = ClaimIndex(claims)
        self._resetting = False
        self._page = 1
        self.max_points = max_points
        self.top_benchmarks = top_benchmarks
        self.rows = np.arange(len(self.index))
        self._build_filters()
        self.count = widgets.HTML()
        self.count.add_class("claimkit-count")
        self.table = widgets.HTML()
        self.table.add_class("claimkit-table")
        self._build_pager(page_size)
        self.charts = {
            "benchmarks": ChartView(self._benchmark_chart(pd.DataFrame({"benchmark": [], "claims": []})),
                                    "pick_benchmark", "benchmark", self._pick_benchmark,
                                    "claimkit-chart-benchmarks"),
            "kinds": ChartView(self._kind_chart(pd.DataFrame({"kind": [], "claims": []})),
                               "pick_kind", "kind", self._pick_kind, "claimkit-chart-kinds"),
            "values": ChartView(self._values_chart(self.index.claims.iloc[:0]),
                                "pick_paper", "title", self._pick_paper, "claimkit-chart-values"),
        }
        super().__init__(children=[
            self._filter_box(),
            self.count,
            widgets.HBox([self.charts["benchmarks"].widget, self.charts["kinds"].widget]),
            self.charts["values"].widget,
            widgets.HTML(_TABLE_CSS),
            self.pager,
            self.table,
        ])
        self.add_class("claimkit-explorer")
        self.update()

    # -- paging --------------------------------------------------------------------------
    def _build_pager(self, page_size: int) -> None:
        """Prev / Next buttons, the "rows 21–40 of 211" indicator and the rows-per-page choice."""
        self.prev_button = widgets.Button(description="◀ prev", tooltip="previous page",
                                          layout=widgets.Layout(width="80px"))
        self.next_button = widgets.Button(description="next ▶", tooltip="next page",
                                          layout=widgets.Layout(width="80px"))
        self.page_indicator = widgets.HTML(layout=widgets.Layout(min_width="170px"))
        sizes = sorted({*PAGE_SIZES, int(page_size)})
        self.page_size_picker = widgets.Dropdown(
            options=[(str(size), size) for size in sizes], value=int(page_size), description="rows per page",
            layout=widgets.Layout(width="200px"), style={"description_width": "90px"})
        self.prev_button.add_class("claimkit-prev")
        self.next_button.add_class("claimkit-next")
        self.page_indicator.add_class("claimkit-page")
        self.page_size_picker.add_class("claimkit-page-size")
        self.prev_button.on_click(lambda _: self.go_to_page(self.page - 1))
        self.next_button.on_click(lambda _: self.go_to_page(self.page + 1))
        self.page_size_picker.observe(self._on_page_size_change, names="value")
        self.pager = widgets.HBox([self.prev_button, self.page_indicator, self.next_button, self.page_size_picker],
                                  layout=widgets.Layout(align_items="center"))
        self.pager.add_class("claimkit-pager")

    @property
    def page_size(self) -> int:
        """Rows per page of the table (the rows-per-page dropdown's value)."""
        return int(self.page_size_picker.value)

    @property
    def page(self) -> int:
        """The table's page, from 1 (turn it with :meth:`go_to_page` or the buttons)."""
        return self._page

    @property
    def pages(self) -> int:
        """How many pages the matching claims fill (1 when none match)."""
        return max(1, -(-len(self.rows) // self.page_size))

    def go_to_page(self, page: int) -> None:
        """Show page ``page`` (from 1, kept within ``1..pages``) of the matching claims."""
        self._page = min(max(int(page), 1), self.pages)
        self._show_page()

    def _on_page_size_change(self, change: dict) -> None:
        # The row at the top of the old page stays in view.
        self.go_to_page((self.page - 1) * change["old"] // self.page_size + 1)

    def _show_page(self) -> None:
        """Render the current page only: the table, the indicator and which buttons work."""
        start = (self.page - 1) * self.page_size
        stop = min(start + self.page_size, len(self.rows))
        self.table.value = claims_table_html(self.index.claims.iloc[self.rows[start:stop]])
        self.page_indicator.value = page_label(start + 1, stop, len(self.rows))
        self.prev_button.disabled = self.page <= 1
        self.next_button.disabled = self.page >= self.pages

    # -- filters -------------------------------------------------------------------------
    def _build_filters(self) -> None:
        everything = np.arange(len(self.index))
        kinds = self.index.counts(self.index.kind_codes, self.index.kinds, everything, "kind")
        order = {kind: i for i, kind in enumerate(KINDS)}
        kind_options = sorted(zip(kinds["kind"], kinds["claims"]), key=lambda item: order.get(item[0], len(order)))
        benchmarks = self.index.counts(self.index.benchmark_codes, self.index.benchmarks, everything, "benchmark", 500)
        metrics = self.index.counts(self.index.metric_codes, self.index.metrics, everything, "metric", 300)
        self.kind_filter = widgets.SelectMultiple(
            options=[(f"{kind} ({n})", kind) for kind, n in kind_options],
            rows=min(7, max(len(kind_options), 1)), description="kind", **_look())
        self.benchmark_filter = widgets.Combobox(
            options=list(benchmarks["benchmark"]), placeholder="type a benchmark", description="benchmark",
            ensure_option=False, continuous_update=False, **_look())
        self.metric_filter = widgets.Dropdown(
            options=[(ANY, "")] + [(m, m) for m in metrics["metric"]], description="metric", **_look())
        self.search_filter = widgets.Text(
            placeholder="words in the title", description="paper", continuous_update=False, **_look())
        self.min_filter = widgets.Text(
            placeholder="e.g. 2 or 1e9", description="value ≥", continuous_update=False, **_look())
        self.max_filter = widgets.Text(
            placeholder="blank: no limit", description="value ≤", continuous_update=False, **_look())
        self.qualifier_filter = widgets.Dropdown(
            options=[(ANY, ANY)] + [(_QUALIFIER_LABELS.get(q, q), q) for q in QUALIFIERS],
            description="qualifier", **_look())
        self._build_metadata_filters()
        self.reset_button = widgets.Button(description="reset filters")
        self.reset_button.on_click(lambda _: self.reset())
        for control in self.filter_widgets():
            control.observe(self._on_filter_change, names="value")
        self.benchmark_filter.add_class("claimkit-benchmark")
        self.kind_filter.add_class("claimkit-kind")
        self.search_filter.add_class("claimkit-search")

    def _build_metadata_filters(self) -> None:
        """Category and date filters, only for a table whose papers have categories or dates.

        Left None otherwise (the embedded corpus): no widget is made or shown.
        """
        self.category_filter: widgets.SelectMultiple | None = None
        self.since_filter: widgets.DatePicker | None = None
        self.until_filter: widgets.DatePicker | None = None
        self.date_note: widgets.HTML | None = None
        if self.index.has_categories:
            counts = self.index.category_counts()
            self.category_filter = widgets.SelectMultiple(
                options=[(f"{c}.* ({n:,})" if archive else f"{c} ({n:,})", c)
                         for c, n, archive in counts.itertuples(index=False)],
                rows=min(7, len(counts)), description="category", **_look())
            self.category_filter.add_class("claimkit-category")
        if self.index.has_dates:
            first, last = self.index.date_range
            self.since_filter = widgets.DatePicker(description="since", **_look())
            self.until_filter = widgets.DatePicker(description="until", **_look())
            self.since_filter.add_class("claimkit-since")
            self.until_filter.add_class("claimkit-until")
            self.date_note = widgets.HTML(f"<small>published {html.escape(first)} to {html.escape(last)}</small>")

    def filter_widgets(self) -> list[widgets.ValueWidget]:
        shown = [self.kind_filter, self.benchmark_filter, self.metric_filter, self.search_filter,
                 self.min_filter, self.max_filter, self.qualifier_filter]
        extra = [self.category_filter, self.since_filter, self.until_filter]
        return shown + [control for control in extra if control is not None]

    def _filter_box(self) -> widgets.Widget:
        left = widgets.VBox([self.kind_filter, self.qualifier_filter])
        middle = widgets.VBox([self.benchmark_filter, self.metric_filter, self.search_filter])
        right = widgets.VBox([self.min_filter, self.max_filter, self.reset_button])
        extra = (self.category_filter, self.since_filter, self.until_filter, self.date_note)
        paper = [control for control in extra if control is not None]
        if not paper:
            return widgets.HBox([left, middle, right])
        return widgets.HBox([left, middle, widgets.VBox(paper), right], layout=widgets.Layout(flex_flow="row wrap"))

    def query(self) -> Query:
        """The filters' current values as a :class:`Query`."""
        return Query(
            kinds=tuple(self.kind_filter.value),
            benchmark=self.benchmark_filter.value,
            metric=self.metric_filter.value,
            search=self.search_filter.value,
            min_value=parse_bound(self.min_filter.value),
            max_value=parse_bound(self.max_filter.value),
            qualifier=self.qualifier_filter.value,
            categories=tuple(self.category_filter.value) if self.category_filter is not None else (),
            since=_date_text(self.since_filter.value) if self.since_filter is not None else "",
            until=_date_text(self.until_filter.value) if self.until_filter is not None else "",
        )

    def reset(self) -> None:
        """Clear every filter, with one update at the end."""
        self._resetting = True
        try:
            self.kind_filter.value = ()
            for control in (self.benchmark_filter, self.search_filter, self.min_filter, self.max_filter):
                control.value = ""
            self.metric_filter.value = ""
            self.qualifier_filter.value = ANY
            if self.category_filter is not None:
                self.category_filter.value = ()
            for control in (self.since_filter, self.until_filter):
                if control is not None:
                    control.value = None
        finally:
            self._resetting = False
        self.update()

    def _on_filter_change(self, change: dict) -> None:
        if not self._resetting:  # reset() changes every filter, then updates once
            self.update()

    # -- output --------------------------------------------------------------------------
    @property
    def filtered(self) -> pd.DataFrame:
        """The claims the filters currently let through."""
        return self.index.claims.iloc[self.rows]

    def update(self) -> None:
        """Apply the filters: count, table (back on page 1) and charts change together."""
        self.rows = np.flatnonzero(self.index.mask(self.query()))
        total = len(self.index)
        self.matches = len(self.rows)
        notes = []
        if len(self.rows) > self.max_points:
            notes.append(f"value charts show {self.max_points:,} evenly spaced")
        self.count.value = f"<b>{len(self.rows):,}</b> of {total:,} claims match" + "".join(
            f" &middot; {note}" for note in notes)
        self.go_to_page(1)
        self._update_charts()

    def _update_charts(self) -> None:
        index = self.index
        benchmarks = index.counts(index.benchmark_codes, index.benchmarks, self.rows, "benchmark", self.top_benchmarks)
        self.charts["benchmarks"].show("bars", lambda: self._benchmark_chart(benchmarks),
                                       benchmarks.to_dict("records"))
        kinds = index.counts(index.kind_codes, index.kinds, self.rows, "kind")
        self.charts["kinds"].show("bars", lambda: self._kind_chart(kinds), kinds.to_dict("records"))
        sample = spread(self.rows, self.max_points)
        in_sample = {index.kinds[code] for code in np.unique(index.kind_codes[sample]) if code >= 0}
        shape = tuple(kind for kind in KINDS if kind in in_sample)
        self.charts["values"].show(shape, lambda: self._values_chart(index.claims.iloc[sample]),
                                   index.chart_records(sample))

    # -- charts and their clicks -----------------------------------------------------------
    @staticmethod
    def _benchmark_chart(counts: pd.DataFrame) -> alt.Chart:
        return charts.count_bars(counts, "benchmark", "pick_benchmark", "most-claimed benchmarks")

    @staticmethod
    def _kind_chart(counts: pd.DataFrame) -> alt.Chart:
        return charts.count_bars(counts, "kind", "pick_kind", "claims per kind")

    @staticmethod
    def _values_chart(sample: pd.DataFrame) -> alt.VConcatChart:
        pick = alt.selection_point(name="pick_paper", fields=["title"], toggle=False)
        return charts.value_distribution(sample).add_params(pick)

    def _pick_benchmark(self, benchmark: str) -> None:
        self.benchmark_filter.value = benchmark

    def _pick_kind(self, kind: str) -> None:
        self.kind_filter.value = (kind,)

    def _pick_paper(self, title: str) -> None:
        self.search_filter.value = title


def compare_benchmark(claims: pd.DataFrame, benchmark: str) -> pd.DataFrame:
    """Every claim on ``benchmark``, side by side: a row per claim, by kind, highest value first."""
    rows = claims[claims["benchmark"] == benchmark]
    table = pd.DataFrame({
        "paper": rows["title"],
        "kind": rows["kind"].astype("str"),
        "value": [format_value(low, high, str(unit))
                  for low, high, unit in zip(rows["low"], rows["high"], rows["unit"])],
        "high": rows["high"],
        "metric": rows["metric"],
        "baseline": rows["baseline"],
        "claim": rows["text"],
        "sentence": rows["sentence"],
    })
    table = table.sort_values(["kind", "high", "paper"], ascending=[True, False, True], kind="stable")
    return table.drop(columns="high").reset_index(drop=True)


# -- inputs for notebook 01 and the `claimkit explore` command -------------------------------
def inputs_from_env() -> list[str]:
    """Input paths handed over by :func:`launch_explorer` (a JSON list), else none."""
    raw = os.environ.get(INPUTS_ENV, "").strip()
    return [str(path) for path in json.loads(raw)] if raw else []


def read_inputs(inputs: Sequence[str] = ()) -> pd.DataFrame:
    """Papers from ``inputs``, else from $CLAIMKIT_INPUTS, else the embedded corpus."""
    from .readers import read_sources

    return read_sources(list(inputs) or inputs_from_env() or [str(corpus.DEFAULT_PAGE)])


def launch_explorer(inputs: list[str], port: int | None, no_browser: bool, dashboard: bool = False) -> int:
    """Open notebook 01 in JupyterLab on ``inputs`` (none: the embedded corpus); the exit code.

    With ``dashboard``, Voila serves it instead: the cells run by themselves and only the
    widgets show. The notebook is copied to a temporary directory that the server serves, so
    running and autosaving it writes nothing into the repository; the inputs reach its
    parameters cell through $CLAIMKIT_INPUTS as absolute paths. Blocks until the server stops
    (Ctrl-C).
    """
    paths = [Path(item).resolve() for item in inputs]
    for path in paths:
        if not path.is_file():
            raise InputError(path, "no such file")
    if not EXPLORER_NOTEBOOK.is_file():
        raise InputError(EXPLORER_NOTEBOOK, "explorer notebook not found (claimkit installed without its notebooks?)")
    workdir = Path(tempfile.mkdtemp(prefix="claimkit-explore-"))
    try:
        notebook = Path(shutil.copy2(EXPLORER_NOTEBOOK, workdir / EXPLORER_NOTEBOOK.name))
        env = dict(os.environ, **{INPUTS_ENV: json.dumps([str(path) for path in paths])})
        command = (voila_command if dashboard else lab_command)(notebook, port, no_browser)
        server = subprocess.Popen(command, env=env, cwd=workdir)
        try:
            return server.wait()
        except KeyboardInterrupt:
            server.terminate()
            try:
                return server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                return server.wait()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def voila_command(notebook: Path, port: int | None, no_browser: bool) -> list[str]:
    """The ``voila`` command line that serves ``notebook`` as a dashboard on 127.0.0.1."""
    command = [sys.executable, "-m", "voila", str(notebook), "--Voila.ip=127.0.0.1"]
    if port is not None:
        command.append(f"--port={port}")
    if no_browser:
        command.append("--no-browser")
    return command


def lab_command(notebook: Path, port: int | None, no_browser: bool) -> list[str]:
    """The ``jupyter lab`` command line that opens ``notebook`` from its own directory."""
    command = [sys.executable, "-m", "jupyterlab", str(notebook), f"--ServerApp.root_dir={notebook.parent}"]
    if port is not None:
        command += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    if no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--ServerApp.allow_root=True")  # as root the server refuses to start otherwise
    return command
