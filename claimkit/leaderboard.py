"""Leaderboards read off abstracts: who claims which score on one benchmark, and since when.

Pure functions of the claims table (with the papers' ``published`` date when known, see
:func:`claimkit.readers.with_paper_metadata`):

* :func:`resolve_benchmark` finds the benchmark a person means ("gsm8k", "AIME-2024") among
  the ``benchmark_key`` values, and :func:`nearest_benchmarks` the closest names when none;
* :func:`leaderboard` ranks one row per paper and method by its claimed score, marks the rows
  that are not comparable (another metric, unit or split; "up to"; "average"; a gain rather
  than a score) and shows before -> after pairs as one row;
* :func:`best_over_time` is the state of the art over time: the best comparable claim by
  publication date;
* :func:`format_leaderboard` and :func:`write_leaderboard` give it to the shell and to files.
"""

from __future__ import annotations

import difflib
import functools
import re
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .display import format_change, shortened
from .io import atomic_path, output_format, write_frame
from .sources.filters import as_date, is_missing
from .sources.ids import arxiv_url, is_arxiv_id
from .names import benchmark_key, normalized_name
from .vocab import metric_direction

#: Claim kinds a leaderboard lists: scores are ranked; gains are shown, marked as not comparable.
LEADERBOARD_KINDS = ("score", "gain")
#: Columns of a leaderboard table, in order (``value`` is the ranked number: the top of a range).
COLUMNS = ("rank", "best", "value", "before", "low", "high", "unit", "method", "paper", "title", "published",
           "url", "metric", "benchmark", "benchmark_key", "kind", "qualifier", "comparable", "note", "claim",
           "sentence")
# Dataset splits and evaluation settings a sentence can name: scores on different ones differ.
_SPLIT = re.compile(r"\b(test-dev|test-std|test|val|validation|dev|minival|held-out|zero-shot|few-shot|"
                    r"one-shot|\d+-shot)\b", re.I)
_SPLIT_NAMES = {"validation": "val", "one-shot": "1-shot"}
_QUALIFIER_NOTES = {"up_to": "up to", "average": "average", "at_least": "at least"}
# A before -> after pair: the text between two values ("12.5% to 63.9%", "41 → 63").
_PAIR_GAP = re.compile(r"\s*(?:%|pp|pts?|points?)?\s*(?:to|→|->|=>|⇒)\s*", re.I)


# -- which benchmark ----------------------------------------------------------------------

BENCHMARK_TABLE_COLUMNS = ["kind", "benchmark_key", "benchmark", "paper"]  # all benchmark_table reads


def benchmark_table(claims: pd.DataFrame, kinds: Iterable[str] = LEADERBOARD_KINDS) -> pd.DataFrame:
    """One row per benchmark key with ``kinds`` claims on it: key, papers, claims, names as written.

    Most papers first (then most claims, then the key): the order a benchmark picker lists them.
    """
    rows = claims[claims["kind"].isin(list(kinds)) & (claims["benchmark_key"] != "")]
    if rows.empty:
        return pd.DataFrame({"benchmark_key": [], "papers": [], "claims": [], "names": []})
    table = rows.groupby("benchmark_key", sort=True).agg(
        papers=("paper", "nunique"), claims=("paper", "size"),
        names=("benchmark", lambda names: sorted(set(names))))
    table = table.reset_index().sort_values(["papers", "claims", "benchmark_key"], ascending=[False, False, True],
                                            kind="stable")
    return table.reset_index(drop=True)


def benchmark_labels(claims: pd.DataFrame) -> dict[str, str]:
    """Benchmark key -> how to show it: a vocabulary name as the vocabulary writes it (the key),
    an unknown one (a normalized key such as "foobenchv2") as papers most often write it."""
    named = claims.loc[claims["benchmark_key"] != "", ["benchmark_key", "benchmark"]]
    if named.empty:
        return {}
    counts = named.groupby(["benchmark_key", "benchmark"], sort=True).size().reset_index(name="n")
    counts = counts.sort_values(["benchmark_key", "n", "benchmark"], ascending=[True, False, True], kind="stable")
    written = dict(zip(counts.drop_duplicates("benchmark_key")["benchmark_key"],
                       counts.drop_duplicates("benchmark_key")["benchmark"]))
    return {key: key if key != normalized_name(key) else name for key, name in written.items()}


def resolve_benchmark(claims: pd.DataFrame, name: str) -> str | None:
    """The benchmark key ``name`` means among the claims' keys, or None (see :func:`resolve_key`)."""
    return resolve_key(claims["benchmark_key"][claims["benchmark_key"] != ""].unique(), name)


def resolve_key(keys: Iterable[str], name: str) -> str | None:
    """The key ``name`` means: the key itself in any case or spelling (``"gsm-8k"`` is GSM8K,
    ``"AIME-2024"`` is AIME 2024), else the one key whose name contains it; None otherwise.

    >>> resolve_key(["GSM8K", "AIME 2024", "AIME 2025"], "gsm-8k"), resolve_key(["AIME 2024", "AIME 2025"], "aime")
    ('GSM8K', None)
    """
    by_fold = {str(key).casefold(): str(key) for key in keys if key}
    if not name.strip() or not by_fold:
        return None
    for candidate in (name.strip(), benchmark_key(name.strip())):
        if candidate.casefold() in by_fold:
            return by_fold[candidate.casefold()]
    by_normal = {normalized_name(key): key for key in by_fold.values()}
    wanted = normalized_name(name)
    if wanted in by_normal:
        return by_normal[wanted]
    containing = [key for normal, key in by_normal.items() if wanted and wanted in normal]
    return containing[0] if len(containing) == 1 else None


def nearest_benchmarks(claims: pd.DataFrame, name: str, count: int = 5) -> list[str]:
    """The benchmark keys (with score or gain claims) closest to ``name``: see :func:`nearest_keys`."""
    return nearest_keys([str(key) for key in benchmark_table(claims)["benchmark_key"]], name, count)


def nearest_keys(keys: Sequence[str], name: str, count: int = 5) -> list[str]:
    """The ``count`` keys closest to ``name``: those containing it (spelling-blind) first, then
    difflib's closest case-folded matches.

    >>> nearest_keys(["GSM8K", "MATH", "AIME 2024", "AIME 2025"], "aime"), nearest_keys(["GSM8K"], "GSM9K")
    (['AIME 2024', 'AIME 2025'], ['GSM8K'])
    """
    wanted = normalized_name(name) or name.casefold()
    containing = [key for key in keys if wanted and wanted in normalized_name(key)]
    folded = {key.casefold(): key for key in keys}
    close = [folded[match] for match in difflib.get_close_matches(name.casefold(), list(folded), n=count, cutoff=0.5)]
    return list(dict.fromkeys(containing + close))[:count]


def default_metric(rows: pd.DataFrame) -> str:
    """The metric most score claims on the benchmark name ("" when none names one)."""
    named = rows.loc[(rows["kind"] == "score") & (rows["metric"] != ""), "metric"]
    if named.empty:
        return ""
    counts = named.value_counts()
    return str(sorted(counts[counts == counts.max()].index)[0])


# -- the table ------------------------------------------------------------------------------

def leaderboard(claims: pd.DataFrame, benchmark: str, metric: str | None = None) -> pd.DataFrame:
    """Score and gain claims on ``benchmark`` (a key), one row per paper and method, best first.

    ``metric``: the metric ranked ("" for any; None: the one most claims name). Comparable rows
    (``comparable``) come first, ranked by ``value`` (highest first, lowest for error-like
    metrics); the others follow with the reason in ``note``. The best comparable row has
    ``best``. A before -> after pair is one row: ``before`` holds the first value.
    """
    rows = claims[(claims["benchmark_key"] == benchmark) & claims["kind"].isin(list(LEADERBOARD_KINDS))]
    metric = default_metric(rows) if metric is None else metric
    rows = _with_pairs(rows.reset_index(drop=True))
    if rows.empty:
        board = _empty_board()
        board.attrs.update(benchmark=benchmark, metric=metric, lower_is_better=lower_is_better(metric))
        return board
    text = {name: rows[name].astype("str").tolist() for name in  # lists: iterating pandas strings is slow
            ("paper", "title", "metric", "benchmark", "benchmark_key", "kind", "qualifier", "text", "sentence", "unit")}
    board = pd.DataFrame({
        "value": rows["high"].to_numpy(dtype="float64"),
        "before": rows["before"].to_numpy(dtype="float64"),
        "low": rows["low"].to_numpy(dtype="float64"),
        "high": rows["high"].to_numpy(dtype="float64"),
        "unit": text["unit"],
        "method": [_not_a_name(method_name(sentence, claim, title), title, named, written)
                   for sentence, claim, title, named, written
                   in zip(text["sentence"], text["text"], text["title"], text["metric"], text["benchmark"])],
        "paper": text["paper"],
        "title": text["title"],
        "published": _column(rows, "published"),
        "url": [paper_url(paper, url) for paper, url in zip(text["paper"], _column(rows, "url"))],
        "metric": text["metric"],
        "benchmark": text["benchmark"],
        "benchmark_key": text["benchmark_key"],
        "kind": text["kind"],
        "qualifier": text["qualifier"],
        "claim": text["text"],
        "sentence": text["sentence"],
    })
    if "review" in rows.columns:  # a corrected table: say which rows a person reviewed
        board["review"] = rows["review"].astype("str").to_numpy()
    board["note"] = comparability_notes(board, metric)
    board["comparable"] = board["note"] == ""
    ascending = lower_is_better(metric)
    ranked = _ranked(_one_per_method(board, ascending), ascending)
    ranked.attrs.update(benchmark=benchmark, metric=metric, lower_is_better=ascending)
    return ranked


def _column(rows: pd.DataFrame, name: str) -> np.ndarray:
    """A metadata column as text ("" where missing or absent)."""
    if name not in rows.columns:
        return np.full(len(rows), "", dtype=object)
    text = as_date if name == "published" else _text
    return np.array([text(value) for value in rows[name].tolist()], dtype=object)


def _text(value: object) -> str:
    return "" if is_missing(value) else str(value)


def _empty_board() -> pd.DataFrame:
    board = pd.DataFrame({name: pd.Series([], dtype="str") for name in COLUMNS})
    for name in ("value", "before", "low", "high"):
        board[name] = board[name].astype("float64")
    board["rank"] = board["rank"].astype("Int64")
    board["best"] = board["best"].astype("bool")
    board["comparable"] = board["comparable"].astype("bool")
    return board


def lower_is_better(metric: str) -> bool:
    """True for metrics the vocabulary marks lower-is-better (``@lower`` in
    ``claimkit/vocab/metrics.txt``: error rate, perplexity, WER, FID, latency, ...)."""
    return bool(metric) and metric_direction(metric) == "lower"


def comparability_notes(board: pd.DataFrame, metric: str) -> list[str]:
    """Why each row does not compare with the others ("" when it does): kind, qualifier,
    metric, unit or split different from the leaderboard's."""
    scores = board[board["kind"] == "score"]
    if metric:
        scores = scores[scores["metric"].isin(["", metric])]
    units = scores["unit"].value_counts()
    unit = str(units.index[0]) if len(units) else ""
    kinds, qualifiers, metrics, units_of = (board[name].tolist() for name in ("kind", "qualifier", "metric", "unit"))
    splits = [split_of(sentence, name) if kind == "score" else ""  # a gain never compares anyway
              for sentence, name, kind in zip(board["sentence"].tolist(), board["benchmark"].tolist(), kinds)]
    named = pd.Series([s for s, kind in zip(splits, kinds) if s and kind == "score"], dtype="str")
    split = str(named.value_counts().index[0]) if len(named) else ""
    notes = []
    for kind, qualifier, row_metric, row_unit, row_split in zip(kinds, qualifiers, metrics, units_of, splits):
        reasons = []
        if kind != "score":
            reasons.append(f"a {kind}, not a score")
        if qualifier in _QUALIFIER_NOTES:
            reasons.append(_QUALIFIER_NOTES[qualifier])
        if metric and row_metric and row_metric != metric:
            reasons.append(f"another metric ({row_metric})")
        if kind == "score" and row_unit != unit:
            reasons.append(f"another unit ({row_unit or 'none'})")
        if split and row_split and row_split != split:
            reasons.append(f"another split ({row_split})")
        notes.append("; ".join(reasons))
    return notes


@functools.lru_cache(maxsize=65536)
def split_of(sentence: str, benchmark: str = "") -> str:
    """The dataset split or evaluation setting a sentence (or the benchmark's written name) names.

    >>> split_of("We reach 61.2 AP on COCO test-dev."), split_of("5-shot accuracy of 70%"), split_of("on GSM8K")
    ('test-dev', '5-shot', '')
    """
    match = _SPLIT.search(benchmark) or _SPLIT.search(sentence)
    if not match:
        return ""
    word = match.group(1).lower()
    return _SPLIT_NAMES.get(word, word)


def _one_per_method(board: pd.DataFrame, ascending: bool) -> pd.DataFrame:
    """Keep one row per paper and method: its best comparable claim, else its best other one."""
    order = board.assign(_ok=~board["comparable"]).sort_values(
        ["_ok", "value"], ascending=[True, ascending], kind="stable", na_position="last")
    kept = order.drop_duplicates(["paper", "method"], keep="first")
    return kept.drop(columns="_ok")


def _ranked(board: pd.DataFrame, ascending: bool) -> pd.DataFrame:
    """Comparable rows first, by value; ranks 1.. for them (ties share a rank), none for the others."""
    board = board.assign(_other=~board["comparable"])
    board = board.sort_values(["_other", "value", "published", "paper"], ascending=[True, ascending, True, True],
                              kind="stable", na_position="last").drop(columns="_other")
    ranks = board["value"].where(board["comparable"]).rank(method="min", ascending=ascending)
    board["rank"] = ranks.astype("Int64")
    board["best"] = (board["rank"] == 1).fillna(False).astype(bool)
    return board.reindex(columns=_columns(board)).reset_index(drop=True)


def _columns(board: pd.DataFrame) -> list[str]:
    """:data:`COLUMNS`, and ``review`` after them for a board of corrected claims."""
    return list(COLUMNS) + (["review"] if "review" in board.columns else [])


# -- before -> after pairs -------------------------------------------------------------------

def _with_pairs(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with a ``before`` column: a claim that is the "after" of a pair carries the
    "before" value, and the "before" claim itself is dropped (it is the baseline)."""
    before = np.full(len(rows), np.nan)
    dropped = np.zeros(len(rows), dtype=bool)
    shared = rows.duplicated(["paper", "field", "sentence"], keep=False).to_numpy()  # sentences with 2+ claims
    if shared.any():
        candidates = rows[shared]
        starts, ends, highs = (candidates[name].to_numpy() for name in ("start", "end", "high"))
        texts, sentences, kinds, units = (candidates[name].astype("str").tolist()
                                          for name in ("text", "sentence", "kind", "unit"))
        at = np.flatnonzero(shared)
        groups = candidates.groupby(["paper", "field", "sentence"], sort=False, observed=True).indices
        for positions in groups.values():
            ordered = sorted(positions, key=lambda i: starts[i])
            for first, second in zip(ordered, ordered[1:]):
                if dropped[at[first]] or kinds[first] != kinds[second] or units[first] != units[second]:
                    continue
                gap = gap_between(sentences[first], texts[first], texts[second], int(starts[second] - ends[first]))
                if gap is not None and _PAIR_GAP.fullmatch(gap):
                    before[at[second]] = highs[first]
                    dropped[at[first]] = True
    return rows.assign(before=before)[~dropped].reset_index(drop=True)


def gap_between(sentence: str, first: str, second: str, distance: int) -> str | None:
    """The text between ``first`` and ``second`` in ``sentence``, ``distance`` characters apart."""
    if distance < 0 or not first:
        return None
    at = sentence.find(first)
    while at >= 0:
        after = at + len(first)
        if sentence.startswith(second, after + distance):
            return sentence[after:after + distance]
        at = sentence.find(first, at + 1)
    return None


# -- the method a row is about ---------------------------------------------------------------

# Verbs (as verbs, not nouns: "improves", not "improvement") that follow the name of what
# achieves a score: "X achieves", "X has reached", "the model, X, sets".
_VERB = re.compile(
    r"\b(?:achieve[sd]?|attain(?:s|ed)?|reach(?:es|ed)?|score[sd]?|obtain(?:s|ed)?|outperform(?:s|ed)?|"
    r"surpass(?:es|ed)?|sets|yield(?:s|ed)?|records|deliver(?:s|ed)?|hits|improve[sd]|boost(?:s|ed)|"
    r"exceed(?:s|ed)?|match(?:es|ed)|showcase[sd]?|demonstrate[sd]?|gets|ranks|tops|raise[sd]|increase[sd]|"
    r"push(?:es|ed)|lift(?:s|ed)|beats|secure[sd]|establish(?:es|ed)|scoring|achieving|reaching)\b", re.I)
# Words between the name and its verb: "X has also consistently achieved", "the model, X, which reaches".
_BETWEEN = frozenset("""has have also further still consistently significantly notably now even then only clearly
substantially successfully remarkably already which that who""".split())
_GENERIC = frozenset("""a an the our this that these it its we they which who model models method methods approach
framework agent agents system pipeline variant version recipe policy strategy technique algorithm network
architecture baseline benchmark result results experiment experiments evaluation evaluations performance
notably overall finally moreover furthermore additionally specifically together resulting further also
on in with for of and or by to at""".split())
_NUMBER_LIKE = re.compile(r"[\d.,%x×+\-]+(?:[kmbt]|pp|pt)?", re.I)  # "19%", "20B": a value, not a name


@functools.lru_cache(maxsize=65536)
def method_name(sentence: str, claim: str = "", title: str = "") -> str:
    """What the claim is about: the name the sentence gives before "achieves"-like verbs, else
    the name before the colon in the title ("AutoCoder: ..."), else "".

    >>> method_name("Skywork-Math 7B has achieved 83.9% on GSM8K.", "83.9%")
    'Skywork-Math 7B'
    >>> method_name("Our results show 70% accuracy.", "70%", "AutoCoder: Enhancing Code LLMs")
    'AutoCoder'
    """
    at = sentence.find(claim) if claim else len(sentence)
    before = sentence[: at if at >= 0 else len(sentence)]
    for verb in reversed(list(_VERB.finditer(before))):
        words = before[: verb.start()].split()
        while words and words[-1].rstrip(",").lower() in _BETWEEN:
            words.pop()
        if words:
            words[-1] = words[-1].rstrip(",")  # "the best model, Gemini-2.5-Pro, achieves"
        # The clause the verb is in: after the last word that ends a clause or holds a parenthesis.
        cut = max((i for i, word in enumerate(words) if word[-1] in ",;:" or "(" in word or ")" in word), default=-1)
        name = _trailing_name(words[cut + 1:])
        if name:
            return name
    return title_name(title)


def _trailing_name(words: list[str]) -> str:
    """The name-like words at the end of ``words`` (a generic noun last is skipped: "X model")."""
    while words and words[-1].lower().strip("'’s") in _GENERIC:
        words = words[:-1]
    name: list[str] = []
    for word in reversed(words):
        if not _name_like(word):
            break
        name.insert(0, word)
    return " ".join(name[-4:]) if any(not _NUMBER_LIKE.fullmatch(word) for word in name) else ""


def _name_like(word: str) -> bool:
    """A model or method name token: a capital or a digit in it, not a plain sentence word."""
    if word.lower() in _GENERIC:
        return False
    return any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word) or (word[:1].isupper() and
                                                                                     len(word) > 1)


def _not_a_name(method: str, title: str, metric: str, benchmark: str) -> str:
    """``method``, unless it is the metric or the benchmark itself ("FID achieves ..."): then the title's head."""
    if method.casefold() in {metric.casefold(), benchmark.casefold()}:
        return title_name(title)
    return method


def title_name(title: str) -> str:
    """The name before the colon in a title ("AutoCoder: Enhancing ..." -> "AutoCoder"), or ""."""
    head, colon, _ = title.partition(":")
    return head.strip() if colon and 0 < len(head.split()) <= 5 else ""


def paper_url(paper: str, url: str = "") -> str:
    """The paper's link: its ``url`` metadata, else its arXiv abstract page when the id is an arXiv id."""
    if url:
        return url
    return arxiv_url(paper) if is_arxiv_id(str(paper)) else ""


# -- state of the art over time ----------------------------------------------------------------

def best_over_time(board: pd.DataFrame) -> pd.DataFrame:
    """The rows of a leaderboard that set a new best comparable claim, by publication date.

    One row per record: ``published``, the new best ``value``, and the row's method, paper,
    title, claim and sentence (lowest first for error-like metrics). Rows without a date are
    left out.
    """
    ascending = bool(board.attrs.get("lower_is_better", False))
    dated = board[board["comparable"] & (board["published"] != "") & board["value"].notna()]
    dated = dated.sort_values(["published", "value"], ascending=[True, ascending], kind="stable")
    running = dated["value"].cummin() if ascending else dated["value"].cummax()
    improved = running.ne(running.shift()) & dated["value"].eq(running)
    records = dated[improved.to_numpy()]
    return pd.DataFrame({
        "published": records["published"].to_numpy(), "value": records["value"].to_numpy(dtype="float64"),
        "unit": records["unit"].to_numpy(), "method": records["method"].to_numpy(),
        "paper": records["paper"].to_numpy(), "title": records["title"].to_numpy(),
        "claim": records["claim"].to_numpy(), "sentence": records["sentence"].to_numpy(),
    })


# -- out to the shell and to files -----------------------------------------------------------

def describe(board: pd.DataFrame) -> str:
    """One line on what a leaderboard ranks: benchmark, metric and direction, papers, rows ranked."""
    ranked = int(board["comparable"].sum())
    metric = board.attrs.get("metric", "") or "any metric"
    direction = ", lower is better" if board.attrs.get("lower_is_better") else ""
    return (f"{board.attrs.get('benchmark', '')}: {board['paper'].nunique()} papers; {ranked} rows ranked by "
            f"{metric}{direction}, {len(board) - ranked} that do not compare listed after them (* best)")


def format_leaderboard(board: pd.DataFrame, title_width: int = 48) -> str:
    """The leaderboard as aligned text under a :func:`describe` line: rank, value (before -> after),
    method, date, paper, link, and why a row does not compare."""
    header = ("rank", "value", "method", "date", "paper", "link", "not comparable")
    lines = [header]
    for row in board.itertuples(index=False):
        title = shortened(row.title, title_width)
        lines.append((
            "" if pd.isna(row.rank) else ("*" if row.best else "") + str(int(row.rank)),
            format_change(row.before, row.low, row.high, row.unit), row.method, row.published, title,
            row.url, row.note,
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    table = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in lines]
    return "\n".join([describe(board), *table])


def export_table(board: pd.DataFrame) -> pd.DataFrame:
    """The columns a leaderboard export carries: numbers as numbers, unit apart, no HTML."""
    return board.reindex(columns=_columns(board))


def write_leaderboard(board: pd.DataFrame, path: str | Path) -> Path:
    """Write a leaderboard to ``path`` (.csv, .parquet or .jsonl), atomically."""
    fmt = output_format(path)
    with atomic_path(path) as temporary:
        write_frame(export_table(board), temporary, fmt)
    return Path(path)
