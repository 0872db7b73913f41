"""The two tables claimkit passes around: their columns, dtypes and empty frames.

Papers table: ``paper``, ``title``, ``abstract`` (str) plus any metadata columns.

Claims table, one row per numeric mention, in source order (paper, field, start):

=============  ==========  ======================================================================
column         dtype       meaning
=============  ==========  ======================================================================
paper          str         the paper's id
title          str         the paper's title
field          category    ``title`` or ``abstract``: which text the offsets point into
start,end      int64       char offsets, ``source_text[start:end] == text``
text           str         the exact surface text of the claim
kind           category    one of :data:`KINDS`
low,high       float64     normalized value; ``low == high`` for a single value
unit           category    ``x``, ``%``, ``pt``, ``params``, ``tokens``, ``gpus``, ...
qualifier      category    one of :data:`QUALIFIERS`
metric         str         measured quantity named in the sentence (lower case) or ""
benchmark      str         benchmark named in the clause, as written, or ""
benchmark_key  str         one key per benchmark, to group and filter by
                           (:func:`claimkit.names.benchmark_key`): the vocabulary's canonical
                           name ("AIME-2024" -> "AIME 2024"), else the name normalized
                           ("Foo-Bench v2" -> "foobenchv2"); "" for none
baseline       str         what the claim is compared against, as written, or ""
rule           str         the named rule that decided the kind (``claimkit/extract/kinds.py``),
                           so a change of the rules says which claims it moves
sentence       str         the sentence the claim sits in
=============  ==========  ======================================================================

A claims table with a person's corrections applied (:func:`claimkit.corrections.apply_corrections`)
carries one more column, :data:`REVIEW_COLUMN`:

=============  ==========  ======================================================================
review         category    one of :data:`REVIEWS`: ``extracted`` (no one has decided on it),
                           ``accepted`` (a person agrees with the extractor), ``corrected`` (a
                           person's values differ from the extractor's), ``added`` (by hand: the
                           extractor missed it), ``rejected`` (not a claim; kept only on request)
=============  ==========  ======================================================================
"""

from __future__ import annotations

import pandas as pd

from .names import benchmark_key

KINDS = ("speedup", "gain", "score", "reduction", "model_size", "data_size", "compute")
QUALIFIERS = ("", "up_to", "at_least", "about", "average")
FIELDS = ("title", "abstract")

PAPER_COLUMNS = ("paper", "title", "abstract")
CLAIM_COLUMNS = (
    "paper", "title", "field", "start", "end", "text", "kind", "low", "high",
    "unit", "qualifier", "metric", "benchmark", "benchmark_key", "baseline", "rule", "sentence",
)
STRING_COLUMNS = ("paper", "title", "text", "metric", "benchmark", "benchmark_key", "baseline", "rule", "sentence")


REVIEW_COLUMN = "review"
REVIEWS = ("extracted", "accepted", "corrected", "added", "rejected")
REVIEWED_COLUMNS = (*CLAIM_COLUMNS, REVIEW_COLUMN)


# Columns a builder may leave out: "" in every row (benchmark_key is then derived).
OPTIONAL_COLUMNS = ("benchmark_key", "rule")


def claim_dtypes() -> dict[str, object]:
    """Column -> dtype of the claims table (categories fixed where the spec fixes them)."""
    dtypes: dict[str, object] = {name: "str" for name in STRING_COLUMNS}
    dtypes.update(
        field=pd.CategoricalDtype(FIELDS),
        start="int64",
        end="int64",
        kind=pd.CategoricalDtype(KINDS),
        low="float64",
        high="float64",
        unit="category",
        qualifier=pd.CategoricalDtype(QUALIFIERS),
        review=pd.CategoricalDtype(REVIEWS),
    )
    return dtypes


def claims_frame(columns: dict[str, list]) -> pd.DataFrame:
    """Build a typed claims table from column lists (empty lists give an empty table);
    :data:`OPTIONAL_COLUMNS` may be left out (``benchmark_key`` is derived from ``benchmark``)."""
    dtypes = claim_dtypes()
    rows = len(next(iter(columns.values()), []))
    columns = {**{name: [""] * rows for name in OPTIONAL_COLUMNS}, **columns}
    if "benchmark_key" not in columns or not any(columns["benchmark_key"]):  # derived from the names
        columns["benchmark_key"] = [benchmark_key(name) for name in columns.get("benchmark", [])]
    data = {name: pd.Series(columns.get(name, []), dtype=dtypes[name]) for name in CLAIM_COLUMNS}
    return pd.DataFrame(data, columns=list(CLAIM_COLUMNS))


def empty_claims(reviewed: bool = False) -> pd.DataFrame:
    """A claims table with no rows and the documented dtypes (with ``review`` if ``reviewed``)."""
    frame = claims_frame({})
    return with_review(frame) if reviewed else frame


def with_review(claims: pd.DataFrame, review: str = "extracted") -> pd.DataFrame:
    """``claims`` with a ``review`` column (every row ``review``, unless it has one already)."""
    if REVIEW_COLUMN in claims.columns:
        return claims
    column = pd.Series([review] * len(claims), index=claims.index, dtype=claim_dtypes()[REVIEW_COLUMN])
    return claims.assign(**{REVIEW_COLUMN: column})
