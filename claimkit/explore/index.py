"""Filtering a claims table fast: integer codes once, then masks over codes and distinct values.

:class:`ClaimIndex` turns the string columns into integer codes once and searches only the
distinct values (a few thousand benchmark keys, one title per paper, the distinct category
lists and dates) before broadcasting the hits back to the rows through the codes, which keeps
a filter update on a million claims within milliseconds. :class:`Query` is what the filters
ask for.

Benchmarks are grouped by ``benchmark_key`` (:func:`claimkit.names.benchmark_key`) and shown
as papers write them; the benchmark filter finds every benchmark whose key or written name
contains what was typed, in any spelling ("AIME" finds AIME 2024 and AIME 2025, "imagenet-1k"
finds ImageNet).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..leaderboard import benchmark_labels
from ..names import benchmark_key, normalized_name
from ..sources.filters import as_date, is_missing
from ..trends import codes_of, period_codes

ANY = "any"


@dataclass(frozen=True)
class Query:
    """What the filters ask for; empty fields match everything."""

    kinds: tuple[str, ...] = ()
    benchmark: str = ""  # any benchmark whose key or written name contains it (spelling-blind)
    metric: str = ""
    search: str = ""
    min_value: float | None = None
    max_value: float | None = None
    qualifier: str = ANY
    categories: tuple[str, ...] = ()  # arXiv categories or archives ("cs" keeps cs.LG), any of them
    since: str = ""  # published on or after (YYYY[-MM[-DD]]), at the precision both dates have
    until: str = ""  # published on or before
    reviews: tuple[str, ...] = ()  # review values to keep (a corrected table's ``review`` column)


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


def category_text(value: object) -> str:
    """``"cs.LG cs.CL"`` from a space-separated string or a list; "" for none."""
    if is_missing(value):
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, (list, tuple, np.ndarray)):
        return " ".join(str(item) for item in value)
    return str(value).strip()


date_text = as_date  # ``YYYY[-MM[-DD]]`` as :func:`claimkit.readers.filter_papers` compares it; "" for none


def _lower_array(values: Sequence[str]) -> pa.Array:
    return pc.utf8_lower(pa.array(list(values), type=pa.string()))


def with_benchmark_keys(claims: pd.DataFrame) -> pd.DataFrame:
    """``claims`` with a ``benchmark_key`` column (derived from ``benchmark`` for an older table)."""
    if "benchmark_key" in claims.columns:
        return claims
    return claims.assign(benchmark_key=claims["benchmark"].astype("str").map(benchmark_key))


class ClaimIndex:
    """A claims table prepared for fast filtering: codes and lower-cased distinct strings.

    Building it costs one pass over the table; :meth:`mask` then touches only integer and
    float arrays plus the distinct values, which keeps a filter update on a million rows in
    milliseconds.
    """

    def __init__(self, claims: pd.DataFrame) -> None:
        self.claims = with_benchmark_keys(claims).reset_index(drop=True)
        self.kind_codes = self.claims["kind"].cat.codes.to_numpy()
        self.kinds = [str(kind) for kind in self.claims["kind"].cat.categories]
        self.qualifier_codes = self.claims["qualifier"].cat.codes.to_numpy()
        self.qualifiers = [str(q) for q in self.claims["qualifier"].cat.categories]
        self.unit_codes, self.units = codes_of(self.claims["unit"])
        self.metric_codes, self.metrics = codes_of(self.claims["metric"])
        self._index_reviews()
        self.paper_codes, self.papers = codes_of(self.claims["paper"])
        first_rows = np.unique(self.paper_codes, return_index=True)[1]
        self.titles = self.claims["title"].astype("str").to_numpy()[first_rows].tolist()
        # One haystack per paper: its id and title, lower-cased once.
        self.paper_text = _lower_array([f"{paper} {title}" for paper, title in zip(self.papers, self.titles)])
        self.low = self.claims["low"].to_numpy(dtype="float64")
        self.high = self.claims["high"].to_numpy(dtype="float64")
        self._ranks: dict[int, np.ndarray] = {}
        self._periods: dict[str, tuple[np.ndarray, list[str]]] = {}
        self._index_benchmarks()
        self._index_categories()
        self._index_dates()

    def _index_reviews(self) -> None:
        """Codes of the ``review`` column of a corrected table (None for an extraction)."""
        self.review_codes: np.ndarray | None = None
        self.reviews: list[str] = []
        if "review" in self.claims.columns:
            self.review_codes = self.claims["review"].cat.codes.to_numpy()
            self.reviews = [str(review) for review in self.claims["review"].cat.categories]

    def refresh(self, columns: Iterable[str]) -> None:
        """Read ``columns`` of :attr:`claims` again after rows were changed in place (a person's
        decision): only the arrays those columns feed are rebuilt."""
        changed = set(columns)
        if "kind" in changed:
            self.kind_codes = self.claims["kind"].cat.codes.to_numpy()
        if "qualifier" in changed:
            self.qualifier_codes = self.claims["qualifier"].cat.codes.to_numpy()
        if "unit" in changed:
            self.unit_codes, self.units = codes_of(self.claims["unit"])
        if "metric" in changed:
            self.metric_codes, self.metrics = codes_of(self.claims["metric"])
        if "review" in changed:
            self._index_reviews()
        if changed & {"low", "high"}:
            self.low = self.claims["low"].to_numpy(dtype="float64")
            self.high = self.claims["high"].to_numpy(dtype="float64")
        if changed & {"benchmark", "benchmark_key"}:
            self._index_benchmarks()
        self._ranks.clear()

    @property
    def has_reviews(self) -> bool:
        """True for a corrected table (one with a ``review`` column)."""
        return self.review_codes is not None

    def _index_benchmarks(self) -> None:
        """Key codes, each key's label (as papers write it) and its search text (key and names)."""
        self.benchmark_codes, self.benchmarks = codes_of(self.claims["benchmark_key"])
        labels = benchmark_labels(self.claims)
        self.benchmark_labels = [labels.get(key, key) for key in self.benchmarks]
        written_codes, written = codes_of(self.claims["benchmark"])
        pairs = np.unique(np.stack([self.benchmark_codes, written_codes]), axis=1) if len(self.claims) else \
            np.zeros((2, 0), dtype=np.int32)
        names: list[list[str]] = [[normalized_name(key), key.casefold()] for key in self.benchmarks]
        for key_code, written_code in pairs.T:
            names[key_code] += [normalized_name(written[written_code]), written[written_code].casefold()]
        self.benchmark_text = pa.array(["\x00".join(dict.fromkeys(parts)) for parts in names], type=pa.string())

    def _index_categories(self) -> None:
        """Codes of the distinct category lists, and which lists hold each single category."""
        self.category_codes: np.ndarray | None = None
        self.category_lists: list[str] = []
        self.category_members: dict[str, np.ndarray] = {}  # "cs.LG" -> indices into category_lists
        if "categories" not in self.claims.columns:
            return
        self.category_codes, self.category_lists = _metadata_codes(self.claims["categories"], category_text)
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
        self.date_codes, self.dates = _metadata_codes(self.claims["published"], date_text)
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
        if query.reviews and self.review_codes is not None:
            keep &= self._lookup(self.review_codes, self.reviews, set(query.reviews))
        if query.search.strip():
            keep &= self.paper_hits(query.search)[self.paper_codes]
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

    def paper_hits(self, text: str) -> np.ndarray:
        """Which papers' id or title contains ``text`` (case-blind)."""
        return pc.match_substring(self.paper_text, text.strip().lower()).to_numpy(zero_copy_only=False)

    def benchmark_hits(self, text: str) -> np.ndarray:
        """Which benchmark keys ``text`` names: its normalized form (case, spaces, hyphens and
        the century of a year ignored) within the key or a written name, else its lower case."""
        wanted = normalized_name(text) or text.strip().casefold()
        return pc.match_substring(self.benchmark_text, wanted).to_numpy(zero_copy_only=False)

    def paper_rows(self, paper: str) -> np.ndarray:
        """The rows of one paper's claims, in table order."""
        try:
            code = self.papers.index(paper)
        except ValueError:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(self.paper_codes == code)

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
        if not self.has_categories or self.category_codes is None:
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

    def period_codes(self, period: str) -> tuple[np.ndarray, list[str]]:
        """Each row's month or quarter code (``period``; -1: no date) and the periods, computed once."""
        if period not in self._periods:
            if self.date_codes is None:
                self._periods[period] = (np.full(len(self), -1, dtype=np.int64), [])
            else:
                by_date, periods = period_codes(self.dates, period)
                self._periods[period] = (by_date[self.date_codes], periods)
        return self._periods[period]

    @staticmethod
    def _lookup(codes: np.ndarray, values: list[str], wanted: set[str]) -> np.ndarray:
        """Rows whose code stands for one of ``wanted`` (code -1, a missing value, never matches)."""
        table = np.zeros(len(values) + 1, dtype=bool)
        table[1:] = [value in wanted for value in values]
        return table[codes + 1]

    def counts(self, codes: np.ndarray, values: list[str], rows: np.ndarray, column: str,
               top: int | None = None, labels: list[str] | None = None) -> pd.DataFrame:
        """Claims per distinct value among ``rows``: most first (ties alphabetical), empty values
        left out; ``labels`` (one per value) name them instead of the values."""
        per_value = np.bincount(codes[rows] + 1, minlength=len(values) + 1)[1:]
        present = np.flatnonzero(per_value)
        present = present[[values[i] != "" for i in present]]
        shown = labels if labels is not None else values
        order = present[np.lexsort((self.alphabetical(shown)[present], -per_value[present]))][:top]
        return pd.DataFrame({column: [shown[i] for i in order], "claims": per_value[order].tolist()})

    def alphabetical(self, values: list[str]) -> np.ndarray:
        """Each value's rank in alphabetical order (computed once per list of distinct values the
        index keeps)."""
        key = id(values)
        if key not in self._ranks:
            self._ranks[key] = alphabetical_ranks(values)
        return self._ranks[key]


def alphabetical_ranks(values: Sequence[str]) -> np.ndarray:
    """Each value's rank in alphabetical order."""
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[np.argsort(np.array(values, dtype=object), kind="stable")] = np.arange(len(values))
    return ranks


def parse_bound(text: str) -> float | None:
    """A value bound typed by a person (``"1e9"``, ``" 2.5 "``, ``"6B"``); blank or unreadable -> no bound.

    >>> parse_bound(" 1e9 "), parse_bound("1,000"), parse_bound("6B"), parse_bound("lots")
    (1000000000.0, 1000.0, 6000000000.0, None)
    """
    cleaned = text.replace(",", "").strip()
    if not cleaned:
        return None
    scale = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}.get(cleaned[-1].lower(), 1.0)
    try:
        return float(cleaned[:-1] if scale != 1.0 else cleaned) * scale
    except ValueError:
        return None


def spread(rows: np.ndarray, most: int) -> np.ndarray:
    """At most ``most`` of ``rows``, evenly spaced, so a chart of a huge selection stays small."""
    if len(rows) <= most:
        return rows
    return rows[np.linspace(0, len(rows) - 1, most).astype(np.int64)]
