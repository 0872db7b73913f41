"""Checks: claims that do not add up, as a table of findings a person reads before trusting them.

Each check is a small named rule whose test and thresholds are data
(``claimkit/vocab/checks.txt``, or a file of the same form): values impossible for their kind
and unit, one model given different sizes by different papers, a score far above every earlier
claim on its benchmark, and papers whose claims are all best cases or name no baseline or
metric. :func:`check_claims` runs them on a claims table and returns one row per finding:

=========  ================================================================================
column     meaning
=========  ================================================================================
rule       the rule's name (``score_above_100_percent``, ``score_jump``, ...)
paper      the paper the finding is about
subject    what it is about: a claim's text, a model's name, "benchmark / metric / unit"
message    one line for a person: what is odd, with the numbers
claims     the claims involved, ``paper:field:start-end`` each, "; " between them
text       the text of the first claim involved
sentence   its sentence
=========  ================================================================================
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import pandas as pd

from .errors import InputError, UsageError
from .names import known_benchmark_keys, normalized_name
from .vocab import VOCAB_DIR, metric_direction, word_list

RULES_FILE = VOCAB_DIR / "checks.txt"
FINDING_COLUMNS = ("rule", "paper", "subject", "message", "claims", "text", "sentence")
Setting = tuple  # a setting's values: numbers and words


@dataclass(frozen=True)
class Rule:
    """A named check with its settings, as the rules file gives them."""

    name: str
    check: str
    says: str
    settings: Mapping[str, Setting]

    def words(self, name: str) -> tuple[str, ...]:
        return tuple(str(value) for value in self.settings.get(name, ()))

    def number(self, name: str, default: float | None = None) -> float | None:
        values = self.settings.get(name)
        return float(values[0]) if values else default


@dataclass(frozen=True)
class Context:
    """What a rule sees besides its claims: each paper's date (or its place in the input)."""

    dates: Mapping[str, str]


# --- the rules file --------------------------------------------------------------------------


def _value(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def read_rules(path: str | Path = RULES_FILE) -> list[Rule]:
    """The rules of a checks file, in file order; a malformed line is an :class:`InputError`
    naming ``file:line``."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, getattr(err, "strerror", None) or "not UTF-8 text") from None
    rules: list[tuple[int, str, dict[str, Setting]]] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            rules.append((number, line[1:].strip(), {}))
            continue
        parts = [part.strip() for part in line.split("|")]
        if not rules or len(parts) < 2 or not parts[0] or not all(parts[1:]):
            raise InputError(path, f"expected '@rule' or 'setting | value', not {line!r}", line=number)
        rules[-1][2][parts[0]] = tuple(_value(part) for part in parts[1:])
    return [_rule(path, number, name, settings) for number, name, settings in rules]


def _rule(path: Path, line: int, name: str, settings: dict[str, Setting]) -> Rule:
    check = str(settings.get("check", ("",))[0])
    if check not in CHECKS:
        raise InputError(path, f"rule {name!r}: unknown check {check!r} (known: {', '.join(sorted(CHECKS))})", line=line)
    if "says" not in settings:
        raise InputError(path, f"rule {name!r}: no 'says'", line=line)
    return Rule(name, check, " | ".join(str(value) for value in settings["says"]), settings)


# --- helpers ---------------------------------------------------------------------------------


def claim_id(row: Mapping[Any, Any]) -> str:
    """``paper:field:start-end``: where a claim stands, to find it again in its table.

    >>> claim_id({"paper": "2405.1", "field": "abstract", "start": 3, "end": 8})
    '2405.1:abstract:3-8'
    """
    return f"{row['paper']}:{row['field']}:{row['start']}-{row['end']}"


def claim_ids(claims: pd.DataFrame) -> list[str]:
    """:func:`claim_id` of every row."""
    return [f"{paper}:{field}:{start}-{end}" for paper, field, start, end in
            zip(claims["paper"].tolist(), claims["field"].astype(str).tolist(), claims["start"].tolist(),
                claims["end"].tolist())]


def involved_claims(finding: Mapping[str, Any], claims: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``claims`` a finding names, in the finding's order."""
    wanted = str(finding["claims"]).split("; ")
    position = {claim: index for index, claim in enumerate(claim_ids(claims))}
    return claims.iloc[[position[claim] for claim in wanted if claim in position]]


def value_text(value: float, unit: str) -> str:
    """A value as people write it: 94.8%, 2.5x, 671B, 1.2M pairs.

    >>> value_text(94.8, "%"), value_text(6.71e11, "params"), value_text(3.0, "pt")
    ('94.8%', '671B', '3 pt')
    """
    if unit in ("%", "x"):
        return f"{value:g}{unit}"
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size and unit not in ("", "pt"):  # counts: params, tokens, pairs, ...
            return f"{value / size:.3g}{suffix}" + ("" if unit == "params" else f" {unit}")
    return f"{value:g}" + (f" {unit}" if unit else "")


def _finding(rule: Rule, rows: Sequence[Mapping[str, Any]], paper: str, subject: str, message: str) -> dict[str, Any]:
    return {"rule": rule.name, "paper": paper, "subject": subject, "message": f"{rule.says}: {message}",
            "claims": "; ".join(claim_id(row) for row in rows), "text": str(rows[0]["text"]),
            "sentence": str(rows[0]["sentence"])}


RECORD_COLUMNS = ("paper", "title", "field", "start", "end", "text", "kind", "low", "high", "unit", "qualifier",
                  "metric", "benchmark", "benchmark_key", "baseline", "sentence")


def records(claims: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as dicts of the columns rules read, one ``tolist`` a column (``to_dict`` boxes
    every value and is several times slower on a million claims)."""
    names = [name for name in RECORD_COLUMNS if name in claims.columns]
    columns = [claims[name].astype(str).tolist() if isinstance(claims[name].dtype, pd.CategoricalDtype)
               else claims[name].tolist() for name in names]
    return [dict(zip(names, values)) for values in zip(*columns)]


def _of_kinds(claims: pd.DataFrame, rule: Rule) -> pd.DataFrame:
    return claims[claims["kind"].isin(rule.words("kinds"))]  # isin on the categories: no text copy


# --- values that cannot be right -------------------------------------------------------------


def out_of_bounds(claims: pd.DataFrame, rule: Rule) -> pd.Series:
    """Which claims a ``value_bound`` rule flags (a boolean Series on ``claims``' index)."""
    outside = claims["kind"].isin(rule.words("kinds"))
    units = rule.words("units")
    if units:
        outside &= claims["unit"].isin(["" if unit == "none" else unit for unit in units])
    above, below = rule.number("above"), rule.number("below")
    beyond = pd.Series(False, index=claims.index)
    if above is not None:
        beyond |= claims["high"] > above
    if below is not None:
        beyond |= claims["low"] < below
    return outside & beyond


def value_bound(claims: pd.DataFrame, rule: Rule, context: Context) -> list[dict[str, Any]]:
    """Claims of the rule's kinds (and units) whose value is beyond ``above`` or ``below``."""
    above, below = rule.number("above"), rule.number("below")
    findings = []
    for row in records(claims[out_of_bounds(claims, rule)]):
        bound = f"above {value_text(above, str(row['unit']))}" if above is not None and row["high"] > above \
            else f"below {value_text(below or 0.0, str(row['unit']))}"
        findings.append(_finding(rule, [row], str(row["paper"]), str(row["text"]),
                                 f"{row['text']!r} reads as {_range(row)}, {bound}"))
    return findings


def _range(row: Mapping[str, Any]) -> str:
    unit = str(row["unit"])
    low, high = value_text(float(row["low"]), unit), value_text(float(row["high"]), unit)
    return low if low == high else f"{low} to {high}"


# --- one model, different sizes --------------------------------------------------------------

# A model's name: one word, hyphens inside ("DeepSeek-R1"), maybe a version after a space ("DeepSeek V3").
_WORD = re.compile(r"[A-Za-z][\w.]*(?:-[\w.]+)*")
_VERSION = re.compile(r"[0-9][0-9.]*|[vV][0-9][0-9.]*")
_LINKS = frozenset({"a", "an", "with", "has", "having", "of"})  # "X, a 7B model", "X with 7B parameters"
_NAME_AFTER = re.compile(rf"(?:[- ]?param(?:eter)?s?)?\s+({_WORD.pattern}(?: (?:{_VERSION.pattern})(?!\w))?)")
# "671B DeepSeek-R1", "7B-parameter X"
_SIZE_WORDS = re.compile(r"(?i)\b(?:parameters?|params?|billion|million|trillion|total|activated|active)\b|[0-9]")


def _name_ending(words: list[str]) -> str:
    """The name the words end with: the last word, or the last two when the last is a version."""
    if len(words) >= 2 and _VERSION.fullmatch(words[-1]) and _WORD.fullmatch(words[-2]):
        return f"{words[-2]} {words[-1]}"
    return words[-1] if words and _WORD.fullmatch(words[-1]) else ""


def _names_before(before: str) -> list[str]:
    """Names that stand right before a count: "X (" , "X, a few words ", "X " or "X-"."""
    names = []
    stripped = before.rstrip()
    if stripped.endswith("("):
        names.append(_name_ending(stripped[:-1].split()))
    words = before.split()
    for back in range(1, min(5, len(words)) + 1):  # "X, a 7B", "X is an open 7B", "X with 7B"
        if words[-back].lower() in _LINKS:
            ahead = words[:-back]
            ahead = ahead[:-1] if ahead and ahead[-1] == "is" else ahead
            names.append(_name_ending([*ahead[:-1], ahead[-1].rstrip(",")]) if ahead else "")
            break
    if before.endswith((" ", "-")) and not stripped.endswith((",", "(")):
        names.append(_name_ending(before.rstrip(" -").split()))
    return [name for name in names if name]


@functools.lru_cache(maxsize=None)
def _families() -> frozenset[str]:
    return frozenset(normalized_name(family) for family in word_list("model_families.txt"))


def looks_like_model(name: str, generic: Iterable[str] = ()) -> bool:
    """Whether a word is a model's own name: a capital and a digit, hyphen or inner capital; not a
    benchmark, not a generic word, not a bare family with a version ("Qwen2.5" has many sizes).

    >>> looks_like_model("DeepSeek-R1"), looks_like_model("Qwen2.5"), looks_like_model("Remarkably")
    (True, False, False)
    """
    key, word = normalized_name(name), name.split()[0]
    if not re.search(r"[A-Z]", word) or not re.search(r"[0-9]|-|[a-z][A-Z]|[A-Z]{2}", word):
        return False
    if name in generic or key in known_benchmark_keys():
        return False
    return re.sub(r"[0-9.]+$", "", key).rstrip("v") not in _families() and key not in _families()


def model_named(row: Mapping[str, Any], generic: Iterable[str] = ()) -> str:
    """The model a bare parameter count belongs to ("DeepSeek-R1 (671B)" -> "DeepSeek-R1"), or ""
    when the sentence does not put a model's name right next to it, or the count is in a name."""
    text, sentence = str(row["text"]), str(row["sentence"])
    at = sentence.find(text)
    if at < 0 or row["low"] != row["high"] or re.search(r"[A-Za-z]{2,}", _SIZE_WORDS.sub("", text)):
        return ""
    for name in _names_before(sentence[max(0, at - 80):at]):
        if looks_like_model(name, generic):
            return name
    match = _NAME_AFTER.match(sentence[at + len(text):])
    return match.group(1) if match and looks_like_model(match.group(1), generic) else ""


def _counts_active(row: Mapping[str, Any], words: tuple[str, ...]) -> bool:
    text, sentence = str(row["text"]), str(row["sentence"])
    at = sentence.find(text)
    after = sentence[at + len(text):at + len(text) + 25] if at >= 0 else ""
    return any(re.search(rf"\b{re.escape(word)}\b", text + " " + after, re.IGNORECASE) for word in words)


def size_conflict(claims: pd.DataFrame, rule: Rule, context: Context) -> list[dict[str, Any]]:
    """Models named next to a parameter count that different papers give different counts."""
    generic, tolerance = rule.words("generic"), rule.number("tolerance", 1.15) or 1.15
    named: dict[tuple[str, bool], list[tuple[str, dict]]] = {}
    sizes = claims[(claims["kind"] == "model_size") & (claims["low"] == claims["high"])]
    bare = ~sizes["text"].str.replace(_SIZE_WORDS, "", regex=True).str.contains("[A-Za-z]{2}", regex=True)
    for row in records(sizes[bare]):  # counts with a name of their own ("Llama-3-8B") name no other model
        name = model_named(row, generic)
        if name:
            key = (normalized_name(name), _counts_active(row, rule.words("active")))
            named.setdefault(key, []).append((name, row))
    findings = []
    for (_, active), mentions in sorted(named.items()):
        sizes = {float(row["low"]) for _, row in mentions}
        if len({str(row["paper"]) for _, row in mentions}) < 2 or max(sizes) <= min(sizes) * tolerance:
            continue
        findings.append(_size_finding(rule, mentions, active, context))
    return findings


def _size_finding(rule: Rule, mentions: list[tuple[str, dict]], active: bool, context: Context) -> dict[str, Any]:
    """One finding: each size with the papers that give it; about the paper of the rarest size
    (of the latest paper when sizes are as rare: the newcomer is the one to look at)."""
    by_size: dict[float, list[str]] = {}
    for _, row in sorted(mentions, key=lambda mention: context.dates.get(str(mention[1]["paper"]), "")):
        papers = by_size.setdefault(float(row["low"]), [])
        if str(row["paper"]) not in papers:
            papers.append(str(row["paper"]))
    order = list(by_size)  # sizes by the date they were first given
    rarest = min(by_size, key=lambda size: (len(by_size[size]), -order.index(size)))
    name = mentions[0][0]
    parts = [f"{value_text(size, 'params')} in {', '.join(papers)}" for size, papers in
             sorted(by_size.items(), key=lambda item: -len(item[1]))]
    rows = sorted((row for _, row in mentions), key=lambda row: float(row["low"]) != rarest)
    what = "active parameters" if active else "parameters"
    return _finding(rule, rows, by_size[rarest][0], name, f"{name} has {'; '.join(parts)} ({what})")


# --- jumps on a benchmark --------------------------------------------------------------------


def score_jump(claims: pd.DataFrame, rule: Rule, context: Context) -> list[dict[str, Any]]:
    """Per benchmark, metric and unit, by date: claims far beyond the best of earlier papers."""
    rows = _of_kinds(claims, rule)
    rows = rows[rows["benchmark_key"].astype(str) != ""]
    least = int(rule.number("earlier", 3) or 3)
    points, ratio = rule.number("points", 10.0) or 10.0, rule.number("ratio", 1.5) or 1.5
    findings = []
    keys = [rows["benchmark_key"].astype(str), rows["metric"].astype(str), rows["unit"].astype(str)]
    sizes = rows.groupby(keys, sort=False)["start"].transform("size")
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for row in records(rows[sizes > least]):  # one conversion, of the groups big enough only
        groups.setdefault((row["benchmark_key"], row["metric"], row["unit"]), []).append(row)
    for (benchmark, metric, unit), group in sorted(groups.items()):
        lower = metric_direction(metric) == "lower"
        dated = sorted(group, key=lambda row: context.dates.get(str(row["paper"]), ""))
        subject = " / ".join(part for part in (benchmark, metric, unit) if part)
        far = _far_in_points(points) if unit in ("%", "pt") else _far_by_ratio(ratio)
        findings += _jumps(rule, dated, context, subject, lower, least, far)
    return findings


def _far_in_points(points: float) -> Callable[[float, float], bool]:
    return lambda value, record: value - record >= points


def _far_by_ratio(ratio: float) -> Callable[[float, float], bool]:
    return lambda value, record: record > 0 and value / record >= ratio  # record: the denominator


def _jumps(rule: Rule, records: list[dict], context: Context, subject: str, lower: bool, least: int,
           far: Callable[[float, float], bool]) -> list[dict[str, Any]]:
    """Walk the claims date by date, keeping the best of strictly earlier dates. ``far(value,
    record)`` says whether a value beats the record by enough (both negated when lower is better)."""
    findings: list[dict[str, Any]] = []
    best: dict | None = None
    earlier = 0
    flagged: set[str] = set()
    for _, same_day in _by_date(records, context):
        if best is not None and earlier >= least:
            for row in same_day:
                value = float(row["low"] if lower else row["high"])
                record = float(best["low"] if lower else best["high"])
                beats = far(record, value) if lower else far(value, record)
                if beats and str(row["paper"]) not in flagged:
                    flagged.add(str(row["paper"]))
                    findings.append(_jump_finding(rule, row, best, earlier, subject, context, lower))
        for row in same_day:
            value = float(row["low"] if lower else row["high"])
            if best is None or (value < float(best["low"]) if lower else value > float(best["high"])):
                best = row
        earlier += len(same_day)
    return findings


def _by_date(records: list[dict], context: Context) -> list[tuple[Any, list[dict]]]:
    days: dict[Any, list[dict]] = {}
    for row in records:
        days.setdefault(context.dates.get(str(row["paper"]), ""), []).append(row)
    return list(days.items())


def _jump_finding(rule: Rule, row: dict, best: dict, earlier: int, subject: str, context: Context,
                  lower: bool) -> dict[str, Any]:
    unit = str(row["unit"])
    value, record = (float(row["low"]), float(best["low"])) if lower else (float(row["high"]), float(best["high"]))
    gap = f"{abs(value - record):.3g} points" if unit in ("%", "pt") else f"{max(value, record) / min(value, record):.2g}x"
    date = context.dates.get(str(best["paper"]), "")
    where = f"{best['paper']}, {date}" if date and not date.startswith("#") else str(best["paper"])
    message = (f"{row['text']!r} on {subject} is {gap} {'below' if lower else 'above'} the best of {earlier} "
               f"earlier claims ({value_text(record, unit)}, {where})")
    return _finding(rule, [row, best], str(row["paper"]), subject, message)


# --- claim style per paper -------------------------------------------------------------------


def _per_paper(rows: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Rows as records grouped by paper, in table order (one conversion, not one per group)."""
    papers: dict[str, list[dict[str, Any]]] = {}
    for row in records(rows):
        papers.setdefault(str(row["paper"]), []).append(row)
    return papers


def best_case_only(claims: pd.DataFrame, rule: Rule, context: Context) -> list[dict[str, Any]]:
    """Papers whose claims of the rule's kinds are all best cases ("up to")."""
    least, qualifiers = int(rule.number("least", 2) or 2), rule.words("qualifiers")
    rows = _of_kinds(claims, rule)
    best_case = rows["qualifier"].isin(qualifiers)
    per_paper = best_case.groupby(rows["paper"], sort=False).agg(["all", "size"])
    wanted = per_paper[per_paper["all"] & (per_paper["size"] >= least)].index
    findings = []
    for paper, records in _per_paper(rows[rows["paper"].isin(wanted)]).items():
        texts = ", ".join(repr(str(row["text"])) for row in records)
        findings.append(_finding(rule, records, paper, str(records[0]["title"]), f"all {len(records)} of them: {texts}"))
    return findings


def missing_context(claims: pd.DataFrame, rule: Rule, context: Context) -> list[dict[str, Any]]:
    """Per paper, the claims of the rule's kinds that leave the ``empty`` columns empty and whose
    sentence has none of the ``unless`` words."""
    rows = _of_kinds(claims, rule)
    for column in rule.words("empty"):
        rows = rows[rows[column].astype(str) == ""]
    unless = rule.words("unless")
    if unless and len(rows):
        pattern = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, unless)) + r")(?![\w])", re.IGNORECASE)
        rows = rows[~rows["sentence"].str.contains(pattern)]
    least = int(rule.number("least", 1) or 1)
    findings = []
    for paper, records in _per_paper(rows).items():
        if len(records) >= least:
            texts = ", ".join(repr(str(row["text"])) for row in records)
            findings.append(_finding(rule, records, paper, str(records[0]["title"]), texts))
    return findings


CHECKS: dict[str, Callable[[pd.DataFrame, Rule, Context], list[dict[str, Any]]]] = {
    "value_bound": value_bound,
    "size_conflict": size_conflict,
    "score_jump": score_jump,
    "best_case_only": best_case_only,
    "missing_context": missing_context,
}


# --- running them ----------------------------------------------------------------------------


def paper_dates(claims: pd.DataFrame, papers: pd.DataFrame | None = None) -> dict[str, str]:
    """Each paper's publication date (``published``) when the papers table has one, else its
    place in the input (so "earlier" means "earlier in the file")."""
    if papers is not None and "published" in papers.columns:
        dated = papers.dropna(subset=["published"])
        return dict(zip(dated["paper"].astype(str), dated["published"].astype(str)))
    order = (papers if papers is not None else claims)["paper"].astype(str).unique()
    return {paper: f"#{position:09d}" for position, paper in enumerate(order)}  # text, so they sort as dates do


def check_claims(claims: pd.DataFrame, papers: pd.DataFrame | None = None,
                 rules: Iterable[Rule] | str | Path | None = None, only: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per finding (columns :data:`FINDING_COLUMNS`), rule by rule in the rules' order.

    ``papers`` gives publication dates for ``score_jump``; ``rules`` a rules file or list
    (default ``claimkit/vocab/checks.txt``); ``only`` the names of the rules to run. Claims
    flagged by a ``value_bound`` rule take no part in the other rules (a 2024% score is no record).
    """
    every = read_rules(rules if rules is not None else RULES_FILE) if rules is None or isinstance(rules, (str, Path)) \
        else list(rules)
    chosen = every
    if only is not None:
        wanted = set(only)
        unknown = wanted - {rule.name for rule in every}
        if unknown:
            raise UsageError("--rule", f"unknown rule {sorted(unknown)[0]!r} (known: {', '.join(r.name for r in every)})")
        chosen = [rule for rule in every if rule.name in wanted]
    context = Context(paper_dates(claims, papers))
    implausible = pd.Series(False, index=claims.index)
    for rule in every:
        if rule.check == "value_bound":
            implausible |= out_of_bounds(claims, rule)
    plausible = claims[~implausible]
    findings = [finding for rule in chosen
                for finding in CHECKS[rule.check](claims if rule.check == "value_bound" else plausible, rule, context)]
    return pd.DataFrame(findings, columns=list(FINDING_COLUMNS))


def findings_summary(findings: pd.DataFrame, rules: Iterable[Rule]) -> pd.DataFrame:
    """Findings per rule (every rule listed, 0 when it found nothing), with what each means."""
    counts = findings["rule"].value_counts()
    return pd.DataFrame([{"rule": rule.name, "findings": int(counts.get(rule.name, 0)), "says": rule.says}
                         for rule in rules])
