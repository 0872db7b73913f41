"""A person's decisions on claims, kept as data and applied again to every new extraction.

The corrections file is JSON lines, one decision a line, written by the explorer's buttons or by
hand::

    {"action": "accept", "paper": "2405.14906", "field": "abstract", "text": "90.9%", "occurrence": 1}
    {"action": "reject", "paper": "2405.14906", "field": "abstract", "text": "2024", "occurrence": 1,
     "note": "a year"}
    {"action": "edit", "paper": "2405.14906", "field": "abstract", "text": "90.9%", "occurrence": 1,
     "benchmark": "HumanEval", "metric": "pass@1"}
    {"action": "add", "paper": "2405.14906", "field": "abstract", "text": "2.5x", "occurrence": 1,
     "kind": "speedup", "low": 2.5, "high": 2.5, "unit": "x"}

A decision names its claim by paper, field (``title`` or ``abstract``), the claim's text and
which occurrence of that text in the field it is (1 for the first place the text stands): keys
that stay true when the extractor changes, unlike row numbers. On a new extraction the text's
place is found again and paired with the claim whose span overlaps it
(:func:`claimkit.diff.pair_overlapping`), so a claim the extractor now reads wider ("over 80%"
instead of "80%") keeps its decision. ``accept``, ``edit`` and ``add`` may carry any of the
values ``kind, low, high, unit, qualifier, metric, benchmark, baseline``: the person's values,
which the row then shows whatever the extractor says (the explorer writes them all, so a
reviewed claim is a fixed point, and gold: :func:`reviewed_gold`). ``add`` needs ``kind``,
``low`` and ``high``. ``note``, ``by``, ``at`` and ``id`` are kept for people and for undo.
Decisions on one claim apply in file order: the last accept / edit / reject decides its status.

Writing (:func:`record_decision`, :func:`undo_decision`) takes a lock on a file beside the
corrections file and replaces the file atomically, so two explorers on one file never lose a
decision and a crash never leaves half a line.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import math
import uuid
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence, Union

import numpy as np
import pandas as pd

from .diff import pair_overlapping
from .errors import InputError
from .io import atomic_path
from .names import benchmark_key
from .scale import concat_claims
from .sources.text import BadJson, first_line, iter_json_lines, parse_json
from .table import CLAIM_COLUMNS, FIELDS, KINDS, QUALIFIERS, REVIEW_COLUMN, REVIEWS, claims_frame, with_review

ACTIONS = ("accept", "reject", "edit", "add")
KEY_FIELDS = ("paper", "field", "text", "occurrence")
VALUE_FIELDS = ("kind", "low", "high", "unit", "qualifier", "metric", "benchmark", "baseline")
NOTE_FIELDS = ("note", "by", "at", "id")
BY_HAND = "by_hand"  # the ``rule`` of a claim whose kind a person gave

CorrectionsLike = Union["Corrections", str, Path, Sequence["Decision"]]


class StaleCorrectionWarning(UserWarning):
    """A decision whose claim is no longer found (the text moved, or no claim is there now)."""


@dataclass(frozen=True)
class Decision:
    """One line of a corrections file."""

    action: str
    paper: str
    field: str
    text: str
    occurrence: int = 1
    values: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # the value fields the line gives
    note: str = ""
    by: str = ""
    at: str = ""
    id: str = ""
    source: str = ""  # the file it was read from
    line: int = 0  # its line there

    def record(self) -> dict[str, Any]:
        """The JSON object of its line, keys in a readable order, empty notes left out."""
        record: dict[str, Any] = {"action": self.action, "paper": self.paper, "field": self.field,
                                  "text": self.text, "occurrence": self.occurrence}
        record.update((name, self.values[name]) for name in VALUE_FIELDS if name in self.values)
        record.update((name, getattr(self, name)) for name in NOTE_FIELDS if getattr(self, name))
        return record

    def where(self) -> str:
        """``file:line`` of the decision (or its id when it was never read from a file)."""
        return f"{self.source}:{self.line}" if self.source else f"decision {self.id or '(unsaved)'}"

    def describe(self) -> str:
        """"reject '2024' (occurrence 1) in 2405.14906 abstract"."""
        return f"{self.action} {self.text!r} (occurrence {self.occurrence}) in {self.paper} {self.field}"


# --- reading ---------------------------------------------------------------------------------


def _number(value: object, name: str, source: object, line: int) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(source, f"{name} must be a number, not {json.dumps(value)}", line=line)
    return float(value)


def _text(value: object, name: str, source: object, line: int, empty: bool = True) -> str:
    if not isinstance(value, str) or (not empty and not value):
        raise InputError(source, f"{name} must be {'a' if empty else 'a non-empty'} string, not {json.dumps(value)}",
                         line=line)
    return value


def _checked_values(record: Mapping[str, Any], source: object, line: int) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in VALUE_FIELDS:
        if name not in record:
            continue
        value = record[name]
        if name in ("low", "high"):
            values[name] = _number(value, name, source, line)
        else:
            values[name] = _text(value, name, source, line)
    if "kind" in values and values["kind"] not in KINDS:
        raise InputError(source, f"unknown kind {values['kind']!r} (known: {', '.join(KINDS)})", line=line)
    if "qualifier" in values and values["qualifier"] not in QUALIFIERS:
        known = ", ".join(repr(q) for q in QUALIFIERS)
        raise InputError(source, f"unknown qualifier {values['qualifier']!r} (known: {known})", line=line)
    if values.get("low", -math.inf) > values.get("high", math.inf):
        raise InputError(source, f"low {values['low']:g} is above high {values['high']:g}", line=line)
    return values


def parse_decision(record: Mapping[str, Any], source: object = "", line: int = 0) -> Decision:
    """A decision from one JSON object, or an :class:`InputError` naming ``source:line``."""
    unknown = sorted(set(record) - {"action", *KEY_FIELDS, *VALUE_FIELDS, *NOTE_FIELDS})
    if unknown:
        raise InputError(source, f"unknown field {unknown[0]!r}", line=line)
    action = record.get("action")
    if action not in ACTIONS:
        raise InputError(source, f"unknown action {json.dumps(action)} (known: {', '.join(ACTIONS)})", line=line)
    for name in ("paper", "text"):
        if name not in record:
            raise InputError(source, f"no {name!r}: a decision names its paper and the claim's text", line=line)
    field_name = record.get("field", "abstract")
    if field_name not in FIELDS:
        raise InputError(source, f"field must be 'title' or 'abstract', not {json.dumps(field_name)}", line=line)
    occurrence = record.get("occurrence", 1)
    if isinstance(occurrence, bool) or not isinstance(occurrence, int) or occurrence < 1:
        raise InputError(source, f"occurrence must be a whole number from 1, not {json.dumps(occurrence)}", line=line)
    values = _checked_values(record, source, line)
    if action == "edit" and not values:
        raise InputError(source, "an edit must give at least one of " + ", ".join(VALUE_FIELDS), line=line)
    missing = [name for name in ("kind", "low", "high") if name not in values]
    if action == "add" and missing:
        raise InputError(source, f"an added claim needs {', '.join(missing)}", line=line)
    notes = {name: _text(record.get(name, ""), name, source, line) for name in NOTE_FIELDS}
    return Decision(action, str(_text(record["paper"], "paper", source, line, empty=False)), field_name,
                    _text(record["text"], "text", source, line, empty=False), occurrence, values,
                    source=str(source) if source else "", line=line, **notes)


def read_corrections(path: str | Path) -> list[Decision]:
    """Every decision of a corrections file, in file order (an empty file holds none).

    A bad line is an :class:`InputError` naming ``file:line``; so is a repeated ``id``.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "is a directory")
    decisions, ids = [], set()
    for number, item in iter_json_lines(path, empty_ok=True):  # one read, even of the explorer's file
        if isinstance(item, InputError):
            raise item
        decision = parse_decision(item, path, number)
        if decision.id and decision.id in ids:
            raise InputError(path, f"id {decision.id!r} is used twice", line=number)
        ids.add(decision.id)
        decisions.append(decision)
    return decisions


def looks_like_corrections(path: str | Path) -> bool:
    """Whether the file's first record is a decision (it has an ``action``), not a gold claim."""
    try:  # read as every JSONL input is: a byte-order mark or gzip is no reason to say no
        record = parse_json(first_line(Path(path)).decode("utf-8-sig", "replace"))
    except (InputError, BadJson):
        return False
    return isinstance(record, dict) and "action" in record


# --- writing ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``.NAME.lock`` beside ``path`` (the file itself is replaced on each
    write, so a lock on it would not hold)."""
    import fcntl

    lock_path = path.with_name(f".{path.name}.lock")
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _replace_lines(path: Path, lines: list[str]) -> None:
    with atomic_path(path) as temporary:
        temporary.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _current_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def record_decision(path: str | Path, decision: Decision) -> Decision:
    """Append ``decision`` to the corrections file at ``path`` (created if missing), under the
    lock and atomically; it gets an ``id`` and a time ``at`` if it has none. Returns it as
    written. Lines other writers added meanwhile are kept as they are."""
    path = Path(path)
    stamped = replace(decision, id=decision.id or uuid.uuid4().hex[:12],
                      at=decision.at or datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"))
    parse_decision(stamped.record(), path, 0)  # never write a line the reader would refuse
    with _locked(path):
        lines = _current_lines(path)
        _replace_lines(path, lines + [json.dumps(stamped.record(), ensure_ascii=False)])
        return replace(stamped, source=str(path), line=len(lines) + 1)


def undo_decision(path: str | Path, decision_id: str) -> Decision:
    """Remove the decision with ``decision_id`` from the file (under the lock, atomically) and
    return it; a KeyError when no line has that id."""
    path = Path(path)
    with _locked(path):
        lines = _current_lines(path)
        for number, line in enumerate(lines, start=1):
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if isinstance(record, dict) and record.get("id") == decision_id:
                    _replace_lines(path, lines[:number - 1] + lines[number:])
                    return parse_decision(record, path, number)
    raise KeyError(f"{path}: no decision with id {decision_id!r}")


def decision_for(claim: Mapping[str, Any], action: str, source_text: str,
                 changes: Mapping[str, Any] | None = None, note: str = "", by: str = "") -> Decision:
    """The decision of ``action`` on a claims-table row (``paper, field, start, text`` and its
    values), keyed by its text's occurrence in ``source_text``; ``changes`` override values.
    Accepts and edits carry every value, so the reviewed claim stays as the person saw it."""
    occurrence = occurrence_at(source_text, str(claim["text"]), int(claim["start"]))
    values: dict[str, Any] = {}
    if action != "reject":
        values = {name: _plain(claim[name]) for name in VALUE_FIELDS if name in claim}
        values.update(changes or {})
    return Decision(action, str(claim["paper"]), str(claim["field"]), str(claim["text"]), occurrence,
                    values, note=note, by=by)


def _plain(value: object) -> object:
    """A JSON-ready value: numbers as Python floats (numpy's are float too), the rest as text."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


# --- keys ------------------------------------------------------------------------------------


def occurrence_at(text: str, part: str, start: int) -> int:
    """Which occurrence of ``part`` in ``text`` (1 for the first) starts at ``start``; counts
    every place ``part`` starts before it, overlapping ones too.

    >>> occurrence_at("2x, then 2x again", "2x", 9)
    2
    """
    count, position = 0, text.find(part)
    while 0 <= position <= start:
        count += 1
        position = text.find(part, position + 1)
    return max(count, 1)


def nth_occurrence(text: str, part: str, occurrence: int) -> int:
    """Where the ``occurrence``-th ``part`` starts in ``text`` (1 for the first), or -1.

    >>> nth_occurrence("2x, then 2x again", "2x", 2), nth_occurrence("2x", "2x", 2)
    (9, -1)
    """
    position = text.find(part)
    for _ in range(occurrence - 1):
        if position < 0:
            break
        position = text.find(part, position + 1)
    return position


# --- applying --------------------------------------------------------------------------------


@dataclass
class Stale:
    """A decision that found no claim, and why."""

    decision: Decision
    reason: str

    def line(self) -> str:
        """One line for a person: where the decision is, what it was, why it no longer applies."""
        return f"{self.decision.where()}: {self.decision.describe()}: {self.reason}"


@dataclass
class Corrected:
    """Claims with decisions applied; the decisions that found no claim; the extracted rows a
    person decided on; and which decisions were in scope (decisions on papers the papers table
    does not hold are not stale, just about other papers)."""

    claims: pd.DataFrame
    stale: list[Stale] = dataclasses.field(default_factory=list)
    decided: list[dict[str, Any]] = dataclasses.field(default_factory=list)  # extracted rows, as extracted
    in_scope: set[int] = dataclasses.field(default_factory=set)  # positions of decisions on papers present
    reviews: dict[str, int] = dataclasses.field(default_factory=dict)  # rows per review, the rejected ones too


@dataclass
class _Group:
    """Decisions on one claim (overlapping places of one text), in file order."""

    start: int
    end: int
    decisions: list[tuple[int, Decision]]  # (position in the corrections, decision)

    def __getitem__(self, name: str) -> int:  # pair_overlapping reads start / end by key
        return self.start if name == "start" else self.end

    @property
    def status(self) -> str:
        """The last word on the claim: ``reject``, or the last accept / edit / add."""
        return self.decisions[-1][1].action

    @property
    def adds(self) -> bool:
        return any(decision.action == "add" for _, decision in self.decisions)

    def persons_values(self) -> tuple[dict[str, Any], Decision | None]:
        """The values the decisions give, later ones winning, and the last decision that gave
        values (its span is the person's; a bare accept keeps the extractor's)."""
        values: dict[str, Any] = {}
        last = None
        for _, decision in self.decisions:
            if decision.action != "reject" and decision.values:
                values.update(decision.values)
                last = decision
        return values, last


class Corrections:
    """The decisions of a corrections file, indexed by paper, ready to apply to claims."""

    def __init__(self, decisions: Iterable[Decision], path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.decisions = list(decisions)
        self.by_paper: dict[str, list[int]] = {}
        for position, decision in enumerate(self.decisions):
            self.by_paper.setdefault(decision.paper, []).append(position)

    @classmethod
    def read(cls, path: str | Path) -> Corrections:
        """The corrections file at ``path`` (see :func:`read_corrections`)."""
        return cls(read_corrections(path), path)

    def __len__(self) -> int:
        return len(self.decisions)

    def apply(self, claims: pd.DataFrame, papers: pd.DataFrame, keep_rejected: bool = False) -> Corrected:
        """``claims`` (extracted from ``papers``) with every decision on those papers applied.

        The result has a ``review`` column (see :mod:`claimkit.table`); rejected claims are
        dropped unless ``keep_rejected``. Rows keep the extractor's order, added ones in place.
        """
        claims = with_review(claims).copy(deep=False)  # copy on write: the caller's table is never changed
        decided = [paper for paper in papers["paper"].astype(str).unique() if paper in self.by_paper]
        result = Corrected(claims)
        if decided:
            touched = claims["paper"].isin(decided).to_numpy()
            chosen = papers[papers["paper"].astype(str).isin(decided)].drop_duplicates("paper")
            texts = {str(record["paper"]): record for record in chosen.to_dict("records")}  # texts and metadata
            by_text: dict[tuple[str, str], list[dict[str, Any]]] = {}  # one conversion, not one per paper
            mine = claims[touched].assign(_position=np.flatnonzero(touched))  # where each row stands in claims
            for row in mine.sort_values(["start", "end"], kind="stable").to_dict("records"):
                by_text.setdefault((str(row["paper"]), str(row["field"])), []).append(row)
            rows: list[dict[str, Any]] = []
            for paper in decided:
                result.in_scope.update(self.by_paper[paper])
                for field_name in FIELDS:
                    source = texts[paper][field_name]
                    positions = [p for p in self.by_paper[paper] if self.decisions[p].field == field_name]
                    rows += self._apply_text(positions, by_text.get((paper, field_name), []),
                                             source if isinstance(source, str) else "", texts[paper], result)
            if all("_position" in row for row in rows):  # no row added: decided rows change where they stand
                decided_rows = [row for row in rows if row.get("_decided")]
                replace_rows(claims, np.array([row["_position"] for row in decided_rows], dtype=np.int64),
                             _rows_frame(decided_rows, claims))
            else:
                result.claims = in_paper_order(concat_claims([claims[~touched], _rows_frame(rows, claims)]), papers)
        result.reviews = {str(review): int(count) for review, count in
                          result.claims[REVIEW_COLUMN].value_counts(sort=False).items() if count}
        rejected = result.claims[REVIEW_COLUMN] == "rejected"
        if not keep_rejected and rejected.any():
            result.claims = result.claims[~rejected].reset_index(drop=True)
        return result

    def _apply_text(self, positions: list[int], extracted: list[dict], source: str, paper: Mapping[str, Any],
                    result: Corrected) -> list[dict]:
        """The claims of one text after its decisions (given by position); unpaired ones reported."""
        groups = self._groups(positions, source, result.stale)
        pairs, unpaired, untouched = pair_overlapping(groups, extracted)
        rows = list(untouched)
        for group, claim in pairs:
            rows.append({**_decided_row(group, claim, source), "_decided": True})
            result.decided.append(claim)
        for group in unpaired:
            if group.adds and group.status != "reject":
                rows.append(_added_row(group, source, paper))
            elif not group.adds:  # an added claim later rejected is simply gone
                result.stale += [Stale(decision, "no claim is there any more") for _, decision in group.decisions]
        return rows

    def _groups(self, positions: list[int], source: str, stale: list[Stale]) -> list[_Group]:
        """Decisions placed in the text and merged where their places overlap, sorted by place."""
        placed = []
        for position in positions:
            decision = self.decisions[position]
            start = nth_occurrence(source, decision.text, decision.occurrence)
            if start < 0:
                reason = "the text is not in the paper any more" if decision.text not in source \
                    else f"the text occurs only {source.count(decision.text)} time(s)"
                stale.append(Stale(decision, reason))
            else:
                placed.append((start, start + len(decision.text), position, decision))
        placed.sort(key=lambda item: (item[0], item[1]))
        groups: list[_Group] = []
        for start, end, position, decision in placed:
            if groups and start < groups[-1].end:
                groups[-1].end = max(groups[-1].end, end)
                groups[-1].decisions.append((position, decision))
            else:
                groups.append(_Group(start, end, [(position, decision)]))
        for group in groups:
            group.decisions.sort(key=lambda item: item[0])  # file order
        return groups


def _span(decision: Decision, source: str) -> tuple[int, int]:
    start = nth_occurrence(source, decision.text, decision.occurrence)
    return start, start + len(decision.text)


def _decided_row(group: _Group, claim: dict[str, Any], source: str) -> dict[str, Any]:
    """An extracted claim after the person's decisions: their span and values, and its review."""
    row = dict(claim)
    if group.status == "reject":
        row[REVIEW_COLUMN] = "rejected"
        return row
    values, last = group.persons_values()
    if last is not None:
        row["start"], row["end"] = _span(last, source)
        row["text"] = last.text
    row.update(values)
    row["benchmark_key"] = benchmark_key(str(row["benchmark"])) if "benchmark" in values else claim["benchmark_key"]
    if str(row["kind"]) != str(claim["kind"]):
        row["rule"] = BY_HAND
    same = all(_same(row[name], claim[name]) for name in ("start", "end", *VALUE_FIELDS))
    row[REVIEW_COLUMN] = "accepted" if same else "corrected"
    return row


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return float(a) == float(b)  # type: ignore[arg-type]
    return str(a) == str(b)


def _added_row(group: _Group, source: str, paper: Mapping[str, Any]) -> dict[str, Any]:
    """A claim the extractor missed and a person added (with its paper's metadata: date, url...)."""
    values, last = group.persons_values()
    assert last is not None  # an add always gives kind, low and high
    start, end = _span(last, source)
    row: dict[str, Any] = {name: value for name, value in paper.items() if name != "abstract"}
    row |= {"paper": last.paper, "title": str(paper["title"]), "field": last.field, "start": start,
                           "end": end, "text": last.text, "unit": "", "qualifier": "", "metric": "",
                           "benchmark": "", "baseline": "", "rule": BY_HAND, REVIEW_COLUMN: "added",
                           "sentence": sentence_of(source, start, end)}
    row.update(values)
    row["benchmark_key"] = benchmark_key(str(row["benchmark"]))
    return row


def sentence_of(source: str, start: int, end: int) -> str:
    """The sentence around ``source[start:end]``, cut as the extractor cuts long ones."""
    from .extract.context import sentence_at, sentence_spans
    from .extract.engine import sentence_around

    spans = sentence_spans(source)
    return sentence_around(source, sentence_at(spans, start), start, end) if spans else source


def _rows_frame(rows: list[dict[str, Any]], like: pd.DataFrame) -> pd.DataFrame:
    """Rows as a typed claims table with a ``review`` column, and the other columns of ``like``
    (the papers' metadata a claims table may carry: ``published``, ``url``, ...)."""
    frame = claims_frame({name: [row[name] for row in rows] for name in CLAIM_COLUMNS})
    frame[REVIEW_COLUMN] = pd.Series([row[REVIEW_COLUMN] for row in rows], dtype=like[REVIEW_COLUMN].dtype)
    for name in like.columns:
        if name not in frame.columns:
            values = pd.Series([row.get(name) for row in rows], dtype=object)
            try:
                frame[name] = values.astype(like[name].dtype)
            except (TypeError, ValueError):
                frame[name] = values
    return frame[list(like.columns)]


def replace_rows(claims: pd.DataFrame, positions: np.ndarray, rows: pd.DataFrame) -> set[str]:
    """Write ``rows`` over ``claims`` at ``positions``, in place and only in the columns that
    changed (new ``unit`` categories are added): the cost of a few rows, not of the table.
    Returns the names of the columns that changed."""
    changed = set()
    for name in claims.columns:
        if name not in rows.columns:
            continue
        new = rows[name].reset_index(drop=True)
        if claims[name].iloc[positions].reset_index(drop=True).astype(str).equals(new.astype(str)):
            continue
        column = claims[name]
        categorical = isinstance(column.dtype, pd.CategoricalDtype)
        if categorical:
            missing = [value for value in new.astype(str).unique() if value not in column.cat.categories]
            if missing:
                claims[name] = column.cat.add_categories(missing)
        claims.iloc[positions, claims.columns.get_loc(name)] = new.astype(str).to_numpy() if categorical else new.to_numpy()
        changed.add(name)
    return changed


def in_paper_order(claims: pd.DataFrame, papers: pd.DataFrame) -> pd.DataFrame:
    """Claims in the extractor's order: papers as in ``papers``, title before abstract, by offset."""
    rank = {paper: position for position, paper in enumerate(papers["paper"].astype(str).unique())}
    paper_rank = claims["paper"].astype(str).map(rank).fillna(len(rank)).to_numpy()
    order = np.lexsort((claims["start"].to_numpy(), claims["field"].cat.codes.to_numpy(), paper_rank))
    return claims.iloc[order].reset_index(drop=True)


def as_corrections(corrections: CorrectionsLike) -> Corrections:
    """A :class:`Corrections` from a file path, a list of decisions, or itself."""
    if isinstance(corrections, Corrections):
        return corrections
    if isinstance(corrections, (str, Path)):
        return Corrections.read(corrections)
    return Corrections(corrections)


def apply_corrections(claims: pd.DataFrame, corrections: CorrectionsLike, papers: pd.DataFrame,
                      keep_rejected: bool = False) -> pd.DataFrame:
    """``claims`` of ``papers`` with a person's decisions applied (a ``review`` column says
    which rows were extracted, accepted, corrected or added by hand; rejected rows are dropped
    unless ``keep_rejected``). Each decision that finds no claim is a
    :class:`StaleCorrectionWarning`, one line each.
    """
    corrected = as_corrections(corrections).apply(claims, papers, keep_rejected)
    for stale in corrected.stale:
        warnings.warn(stale.line(), StaleCorrectionWarning, stacklevel=2)
    return corrected.claims


# --- curated claims as gold ------------------------------------------------------------------


def reviewed_gold(claims: pd.DataFrame, corrections: CorrectionsLike,
                  papers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What a person reviewed, as ``(gold, predicted)`` for :func:`claimkit.evaluate.evaluate`.

    Gold: the accepted, corrected and added claims, with the person's values. Predicted: the
    extractor's claims that a person decided on (accepted, corrected or rejected), as extracted.
    Claims nobody looked at are in neither, so precision is exact on what was reviewed; recall
    counts only the misses someone added, so it is an upper bound.
    """
    corrected = as_corrections(corrections).apply(claims, papers, keep_rejected=True)
    reviewed = corrected.claims
    gold = reviewed[reviewed[REVIEW_COLUMN].isin(["accepted", "corrected", "added"])]
    predicted = claims_frame({name: [row[name] for row in corrected.decided] for name in CLAIM_COLUMNS})
    return gold.drop(columns=[REVIEW_COLUMN]).reset_index(drop=True), predicted


def correction_report(reviews: Mapping[str, int], stale: Sequence[Stale], decisions: int, in_scope: int) -> list[str]:
    """Lines for a person after corrections were applied: what they did, then each decision that
    found no claim (one line each), then how many are about papers the input does not hold."""
    done = ", ".join(f"{reviews.get(name, 0)} {name}" for name in REVIEWS[1:])  # all but "extracted"
    lines = [f"corrections: {decisions} decisions; rows {done}; {len(stale)} found no claim"]
    lines += [f"  stale: {item.line()}" for item in stale]
    if decisions - in_scope:
        lines.append(f"  {decisions - in_scope} decisions are about papers not in this input (not applied)")
    return lines
