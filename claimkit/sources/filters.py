"""Keep papers by arXiv category and publication date: for streamed corpora and notebooks.

Categories match exactly or by archive: ``"cs"`` keeps ``cs.LG`` and ``cs.CL``; ``"cs.LG"``
keeps only ``cs.LG``. Dates compare on ``YYYY-MM-DD`` strings, inclusively, at the precision
both sides have (a BibTeX ``2024-11`` is within ``since="2024-11-15"``). A paper without
categories (or date) is dropped only when a category (or date) filter is given.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Union

import pandas as pd

from ..errors import UsageError

_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
DateLike = Union[str, dt.date, pd.Timestamp, None]


@dataclass(frozen=True)
class PaperFilter:
    """Which papers to keep; the empty filter keeps all."""

    categories: tuple[str, ...] = ()
    since: str = ""
    until: str = ""

    @classmethod
    def of(cls, categories: str | Iterable[str] | None = None, since: DateLike = None, until: DateLike = None) -> "PaperFilter":
        """A filter from user arguments (comma- or space-separated categories allowed).

        >>> PaperFilter.of("cs.LG, stat.ML", since="2024-01-01")
        PaperFilter(categories=('cs.LG', 'stat.ML'), since='2024-01-01', until='')
        """
        if isinstance(categories, str):
            categories = [categories]
        wanted = tuple(c for text in categories or () for c in text.replace(",", " ").split())
        return cls(wanted, _checked_date(since, "since"), _checked_date(until, "until"))

    def __bool__(self) -> bool:
        return bool(self.categories or self.since or self.until)

    def keeps(self, categories: object, published: object) -> bool:
        """True when a paper with these ``categories`` and ``published`` date passes.

        >>> f = PaperFilter.of("cs", since="2024-01-01", until="2024-12-31")
        >>> f.keeps("stat.ML cs.LG", "2024-06-01"), f.keeps("math.ST", "2024-06-01"), f.keeps("cs.CL", "2023-12-31")
        (True, False, False)
        """
        return self._keeps_categories(categories) and self._keeps_date(published)

    def _keeps_categories(self, categories: object) -> bool:
        if not self.categories:
            return True
        have = categories.split() if isinstance(categories, str) else list(categories or []) if not is_missing(categories) else []
        return any(c == w or c.startswith(w + ".") for c in have for w in self.categories)

    def _keeps_date(self, published: object) -> bool:
        if not (self.since or self.until):
            return True
        date = as_date(published)
        if not date:
            return False
        return _not_before(date, self.since) and _not_before(self.until, date)


def filter_papers(papers: pd.DataFrame, categories: str | Iterable[str] | None = None,
                  since: DateLike = None, until: DateLike = None) -> pd.DataFrame:
    """The rows of a papers (or claims) table within ``categories`` and ``since..until``.

    Uses the ``categories`` (space-separated, primary first) and ``published`` columns every
    claimkit reader fills; a filter on a column the table lacks keeps nothing.

    >>> papers = pd.DataFrame({"paper": ["a", "b"], "categories": ["cs.LG", "math.ST"],
    ...                        "published": ["2024-05-01", "2023-01-01"]})
    >>> filter_papers(papers, categories=["cs"], since="2024-01-01")["paper"].tolist()
    ['a']
    """
    wanted = PaperFilter.of(categories, since, until)
    if not wanted or papers.empty:
        return papers
    column = lambda name: papers[name] if name in papers.columns else pd.Series([None] * len(papers), index=papers.index)
    mask = [wanted.keeps(c, p) for c, p in zip(column("categories"), column("published"))]
    return papers[mask]


METADATA_COLUMNS = ("arxiv_id", "url", "published", "authors", "categories", "upvotes")


def with_paper_metadata(claims: pd.DataFrame, papers: pd.DataFrame,
                        columns: Iterable[str] = METADATA_COLUMNS) -> pd.DataFrame:
    """``claims`` with the papers' metadata columns joined on ``paper`` (those the papers have),
    so :func:`filter_papers` and charts can use categories and dates on claims.

    >>> claims = pd.DataFrame({"paper": ["a", "a", "b"], "low": [2.0, 3.0, 5.0]})
    >>> papers = pd.DataFrame({"paper": ["a", "b"], "categories": ["cs.LG", "cs.CL"], "title": ["A", "B"]})
    >>> with_paper_metadata(claims, papers)[["paper", "low", "categories"]].values.tolist()
    [['a', 2.0, 'cs.LG'], ['a', 3.0, 'cs.LG'], ['b', 5.0, 'cs.CL']]
    """
    wanted = [c for c in columns if c in papers.columns and c not in claims.columns]
    if not wanted:
        return claims
    metadata = papers.drop_duplicates("paper").set_index("paper")[wanted]
    joined = claims.join(metadata, on="paper")
    joined.attrs = dict(claims.attrs)
    return joined


def as_date(value: DateLike) -> str:
    """``YYYY[-MM[-DD]]`` from a date, a timestamp or an ISO string; "" for none.

    >>> as_date("2024-12-02T08:50:22Z"), as_date(dt.date(2024, 1, 5)), as_date(None), as_date(pd.NaT)
    ('2024-12-02', '2024-01-05', '', '')
    """
    if is_missing(value) or value == "":
        return ""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    text = str(value).strip()
    return text[:10] if len(text) >= 10 and text[4] == "-" else text


def _checked_date(value: DateLike, name: str) -> str:
    """A filter bound as ``YYYY[-MM[-DD]]``, or a UsageError naming the option."""
    date = as_date(value)
    if date and not _DATE.fullmatch(date):
        raise UsageError(f"--{name}", f"expected a date like 2024-12-02, not {value!r}")
    return date


def _not_before(later: str, earlier: str) -> bool:
    """``later >= earlier`` at the precision both have; an empty bound always passes."""
    if not later or not earlier:
        return True
    size = min(len(later), len(earlier))
    return later[:size] >= earlier[:size]


def is_missing(value: object) -> bool:
    """None, NA, NaT or NaN: no value."""
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)
