"""The extractor: scan quantities once, group lists, classify each, attach context fields."""

from __future__ import annotations

import bisect
import gc
import heapq
import re
from contextlib import contextmanager
from typing import Callable, Final, Iterable, Iterator, NamedTuple

import pandas as pd
import regex

from ..table import CLAIM_COLUMNS, claims_frame
from .benchmarks import group_benchmarks, sentence_names
from .context import (baseline_in, clause_left, clause_right, metric_near,
                      qualifier_after, qualifier_before, sentence_at, sentence_spans, term_index,
                      SentenceWords)
from .endings import ending
from .kinds import classify, counted_noun, first_cue, first_words
from .numbers import Quantity, scan_quantities

# Two neighbouring quantities form a list ("50% and 40%", "0.55B, 0.89B and 3.1B",
# "up to 28% on QA, 8% on ..., and 12%", "1.14 points (6.7%)") when only this stands between.
_LIST_GAP: Final = re.compile(
    r"\s*(?:,|;|/)?\s*(?:(?:and|or|vs\.?|versus)\s+)?"
    r"|(?:\s+[\w-]+){0,2}?\s+(?:on|in|at|for|across|with|over)\s+(?:[^,;()]|\.\d){0,48}?"
    r"(?:,\s*(?:and\s+|with\s+)?|\s+and\s+|\s+or\s+)",
    re.IGNORECASE,
)
# "0.7 mIoU, 2.2 APbox, and 2.1 APmask", "3.7x overall, with 2.6x", "(text: 3.4x, image: 5.3x)":
# a word (unit, metric or label) between values of the same unit.
_LABELLED_GAP: Final = re.compile(r"(?:\s+[\w@-]+)?(?:\s*[,;(]\s*(?:(?:and|or|with)\s+)?|\s+(?:and|or)\s+)(?:[\w-]+:\s*)?",
                                  re.IGNORECASE)  # "87.1% accuracy and 35.8% mCE" too
_CONNECTOR_TAIL: Final = re.compile(r"(?:\s*[,(;]?\s*(?:and|or|vs\.?|versus)?\s*)$", re.IGNORECASE)
_LIST_MARK: Final = re.compile(r"[,;(]")
_LIST_WORD: Final = re.compile(r",|\s(?:and|or|to|vs\.?)\s")
_FROM_END: Final = ending(r"(?:\bfrom|\()\s*$", regex.IGNORECASE)  # "from 41% to 63%", "(41% to 63%)"
_TO_END: Final = ending(r"\bto\s*$", regex.IGNORECASE)
_NO_CONTEXT_KINDS: Final = ("model_size", "data_size", "compute")
# The columns a row of extract_claims carries: paper, title, field and the Claim's fields
# (claims_frame derives the benchmark key).
_ROW_COLUMNS: Final = tuple(name for name in CLAIM_COLUMNS if name != "benchmark_key")


class Claim(NamedTuple):
    """One claim in one text; offsets point into that text."""

    start: int
    end: int
    text: str
    kind: str
    low: float
    high: float
    unit: str
    qualifier: str
    metric: str
    benchmark: str
    baseline: str
    rule: str  # the kind rule that decided it (claimkit/extract/kinds.py)
    sentence: str


def find_claims(text: str, own_names: tuple[str, ...] = ()) -> list[Claim]:
    """Every claim in one text, in text order; ``own_names`` name the paper's own work (the
    title's "Name: ...") where an abstract does not say "we".

    >>> [(c.text, c.kind, c.low, c.unit) for c in find_claims("RaLMSpec achieves up to 7.59x speed-up.")]
    [('up to 7.59x', 'speedup', 7.59, 'x')]
    """
    quantities = scan_quantities(text)
    if not quantities:
        return []
    spans = sentence_spans(text)
    quantities = _after_motivation(text, spans, quantities, own_names)
    if not quantities:
        return []
    _mark_from_to_pairs(text, quantities)
    claims: list[Claim] = []
    terms: dict[tuple[int, str], list] = {}  # vocabulary matches per sentence, found once
    pending: list[int] = []  # ends of claims that may still lie after the next list's start
    floor = 0  # the end of the last claim before the list: its left context starts there
    for group in _lists(text, quantities):
        while pending and pending[0] <= group[0].start:
            floor = max(floor, heapq.heappop(pending))
        found = list(_group_claims(text, spans, group, floor, terms))
        for claim in found:
            heapq.heappush(pending, claim.end)
        claims.extend(found)
    claims.sort(key=lambda claim: claim.start)  # lists can interleave with names between them
    return claims


def _after_motivation(text: str, spans: list[tuple[int, int]], quantities: list[Quantity],
                      own_names: tuple[str, ...]) -> list[Quantity]:
    """The quantities from the first sentence on that speaks of the paper's own work ("we",
    "our", "this paper", or a name of its own: the title's "YOLOv7: ..."); the sentences before
    it motivate the work with other people's numbers ("LLMs reach 90% on GSM8K, yet ..."), which
    are no claims. Sizes in model names stay, and a text whose first few sentences never turn to
    the paper's own work (a title, one sentence, an abstract in the third person) keeps everything."""
    opening = spans[:_MOTIVATION_SENTENCES + 1]
    turn = _own_work_at(text, opening[-1][1], own_names)
    for start, end in opening:
        if turn < end:
            return [q for q in quantities if q.start >= start or q.model_name] if start else quantities
    return quantities


_MOTIVATION_SENTENCES: Final = 3  # an abstract that names its own work only later is written in the third person
# Words by which an abstract turns to the paper's own work, found with str.find in a lower-case
# copy of its opening (a regex alternation tried at every character costs ten times more).
_OWN_WORDS: Final = (" we ", " our ", " ours ", " us ", " us.", " us,", "this paper", "this work", "this study",
                     "this report", "this article", "this survey", " here, ", " in this ")


def _own_work_at(text: str, end: int, own_names: tuple[str, ...]) -> int:
    """Where the opening ``text[:end]`` first speaks of the paper's own work (``end`` if nowhere)."""
    opening = " " + text[:end].lower().replace("\n", " ")
    first = end
    for word in _OWN_WORDS:
        found = opening.find(word, 0, first + 1)
        if found >= 0:
            first = min(first, max(0, found - 1))
    for name in own_names:
        found = text.find(name, 0, first)
        if found >= 0:
            first = found
    return first


def own_name(title: object) -> tuple[str, ...]:
    """The name a title gives the paper's own work: "YOLOv7: Trainable ..." -> ("YOLOv7",).

    >>> own_name("YOLOv7: Trainable bag-of-freebies"), own_name("Scaling laws for everything")
    (('YOLOv7',), ())
    """
    if not isinstance(title, str) or ":" not in title:
        return ()
    head = title.split(":", 1)[0].strip()
    return (head,) if 0 < len(head) <= 40 and len(head.split()) <= 4 else ()


def _lists(text: str, quantities: list[Quantity]) -> list[list[Quantity]]:
    """Quantities grouped into lists that share context and qualifier.

    Results (%, x, points, bare values) and sizes (7B, 355M, 161k) are listed apart, and model
    names stand alone, so "gains (11.0% for 2B and 17.4% for 7B)" is a list of two gains and
    "(with 127M, 355M, and 7B parameters)" a list of three sizes.
    """
    results = [q for q in quantities if not q.model_name and not (q.scale and not q.unit)]
    sizes = [q for q in quantities if not q.model_name and q.scale and not q.unit]
    names = [[q] for q in quantities if q.model_name]
    groups = _adjacent_lists(text, results) + _adjacent_lists(text, sizes) + names
    return sorted(groups, key=lambda group: group[0].start)


def _adjacent_lists(text: str, values: list[Quantity]) -> list[list[Quantity]]:
    if not values:
        return []
    groups: list[list[Quantity]] = [[values[0]]]
    for previous, current in zip(values, values[1:]):
        gap = text[previous.end:current.start]
        gap_core = gap[:len(gap) - qualifier_before(gap)[1]]
        restated = gap.strip() == "(" and text[current.end:current.end + 1] == ")" \
            and not previous.is_year()  # "1.14 points (6.7%)", not "DAVIS 2016 (92.5%)"
        labelled = (previous.unit == current.unit and _LABELLED_GAP.fullmatch(gap_core)
                    and not counted_noun(_LIST_MARK.split(gap_core, maxsplit=1)[0])  # "2 days, 67.8%": no
                    and (previous.unit or _LIST_MARK.search(gap_core)))  # "87.1% accuracy and 35.8% mCE", not counts
        if restated or labelled or ("." not in gap_core and _LIST_GAP.fullmatch(gap_core)):
            groups[-1].append(current)
        else:
            groups.append([current])
    return groups


def _mark_from_to_pairs(text: str, quantities: list[Quantity]) -> None:
    """'drops from 0.877 at the first turn to 0.707' -> two values, each a score."""
    for first, second in zip(quantities, quantities[1:]):
        if first.unit != second.unit or first.scale or second.scale or first.word or second.word:
            continue
        opener = _FROM_END.search(text, max(0, first.start - 8), first.start)
        if opener and _TO_END.search(text, first.end, second.start) and second.start - first.end < 60 \
                and (first.unit or first.decimal or "(" not in opener.group(0)):  # not "(30 secs to 5 mins)"
            first.from_to = second.from_to = True


def _inherit_units(group: list[Quantity]) -> None:
    """'28.8 and 28.5 points': a bare member takes the unit of the member after it."""
    for index in range(len(group) - 2, -1, -1):
        member, follower = group[index], group[index + 1]
        if not (member.unit or member.scale or member.word or member.model_name or member.is_year()):
            member.unit = follower.unit  # a year keeps none: "on AIME 2024 and 57.0%", "by 2026, up to 90%"


def _group_claims(text: str, spans: list[tuple[int, int]], group: list[Quantity], floor: int,
                  terms: dict) -> Iterable[Claim]:
    _inherit_units(group)
    head = group[0]
    sentence_start, sentence_end = sentence_at(spans, head.start)
    left = clause_left(text, max(sentence_start, floor), head.start)
    group_qualifier, group_phrase_length = qualifier_before(left)
    group_phrase = left[len(left) - group_phrase_length:].strip()
    left_core = left[:len(left) - group_phrase_length]
    last_right = clause_right(text, group[-1].end, sentence_end)
    head_decision = None
    found: list[tuple[int, int, str, str, Quantity, str, str, str]] = []
    for index, quantity in enumerate(group):
        qualifier, phrase, phrase_length = group_qualifier, group_phrase, group_phrase_length
        if index:
            gap = text[group[index - 1].end:quantity.start]
            own, own_length = qualifier_before(gap)
            qualifier, phrase, phrase_length = (own, gap[len(gap) - own_length:].strip(), own_length) if own \
                else (group_qualifier, group_phrase, 0)
        is_last = index == len(group) - 1
        right = last_right if is_last else _CONNECTOR_TAIL.sub("", text[quantity.end:group[index + 1].start]) + " " + last_right
        if quantity.word == "single":  # "a single, and low-priced GPU" crosses a comma
            right = text[quantity.end:quantity.end + 40]
        after_qualifier, after_length = qualifier_after(right)
        decision = classify(quantity, left_core, right[after_length:] if after_qualifier else right, phrase)
        if index and head_decision and decision and quantity.unit == head.unit and not quantity.from_to \
                and not _own_cue(text, group, index):
            decision = (head_decision[0], decision[1], decision[2], head_decision[3])  # "13.4% improvement on MATH, 8.8% on GPQA"
        if index == 0:
            head_decision = decision
        if decision is None:
            continue
        kind, unit, tell_end, rule = decision
        if after_qualifier and tell_end:
            tell_end += after_length  # the words were read after "+" ("200+ Kaggle challenges")
        start = quantity.start - phrase_length
        end = quantity.end
        if after_qualifier:
            qualifier = qualifier or after_qualifier
            end += after_length if right.lstrip().startswith("+") else 0
        if tell_end and kind in _NO_CONTEXT_KINDS and is_last and (quantity.word == "single" or not _LIST_WORD.search(text, quantity.end, quantity.end + tell_end)):
            end = quantity.end + tell_end  # "161k image-text pairs", but not "0.5B and 7B parameters"
        if quantity.model_name and phrase_length:
            start, qualifier = quantity.start, ""  # "over Mistral-7B" compares, it does not qualify
        start = max(start, sentence_start)  # a claim never reaches into the sentence before ("GPT4.\xa070B")
        while start < end and text[start].isspace():
            start += 1
        found.append((start, end, kind, rule, quantity, unit, qualifier, left_core + " " + right))
    sentence = text[sentence_start:sentence_end]
    measured = [(q.start - sentence_start, q.end - sentence_start, kind)
                for _, _, kind, _, q, _, _, _ in found if kind not in _NO_CONTEXT_KINDS]
    benchmarks = iter(group_benchmarks(sentence, _names(terms, sentence_start, sentence), measured,
                                       _names_before(text, spans, sentence_start, terms)) if measured else [])
    for start, end, kind, rule, quantity, unit, qualifier, context in found:
        metric = benchmark = baseline = ""
        if kind not in _NO_CONTEXT_KINDS:
            position = quantity.start - sentence_start
            metric = metric_near(sentence, position, _terms(terms, sentence_start, sentence, "metrics.txt"))
            benchmark = next(benchmarks)
            baseline = baseline_in(context) if kind != "score" else ""
        yield Claim(start, end, text[start:end], kind, quantity.low, quantity.high, unit, qualifier,
                    metric, benchmark, baseline, rule, sentence_around(text, (sentence_start, sentence_end), start, end))


def _own_cue(text: str, group: list[Quantity], index: int) -> bool:
    """True when the words right after a list member name its own kind ("2.6x less memory")."""
    stop = group[index + 1].start if index + 1 < len(group) else group[index].end + 40
    return bool(first_cue(first_words(text[group[index].end:stop], 2)))


SENTENCE_LIMIT: Final = 1000  # characters of context a claim row carries at most


def sentence_around(text: str, sentence: tuple[int, int], start: int, end: int) -> str:
    """The sentence of the claim at ``start:end``; a sentence longer than :data:`SENTENCE_LIMIT`
    is cut to a window around the claim, each cut end marked "…" (a 50 MB abstract of two claims
    then writes two short rows, not 100 MB). The claim's offsets point into the text itself.

    >>> sentence_around("a " * 2000 + "up to 7x " + "b " * 2000, (0, 8009), 4000, 4007)[:8]
    '…a a a a'
    """
    sentence_start, sentence_end = sentence
    if sentence_end - sentence_start <= SENTENCE_LIMIT:
        return text[sentence_start:sentence_end]
    margin = max(0, (SENTENCE_LIMIT - (end - start)) // 2)
    window_start = max(sentence_start, min(start - margin, sentence_end - SENTENCE_LIMIT))
    window_end = min(sentence_end, max(end + margin, window_start + SENTENCE_LIMIT))
    head = "…" if window_start > sentence_start else ""
    tail = "…" if window_end < sentence_end else ""
    return head + text[window_start:window_end] + tail


def _names(cache: dict, sentence_start: int, sentence: str) -> list:
    """Benchmark names of a sentence, known or not, found once per sentence."""
    key = (sentence_start, "names")
    if key not in cache:
        cache[key] = sentence_names(sentence, _terms(cache, sentence_start, sentence, "benchmarks.txt"),
                                    _terms(cache, sentence_start, sentence, "metrics.txt"))
    return cache[key]


def _names_before(text: str, spans: list[tuple[int, int]], sentence_start: int, terms: dict) -> Callable[[], tuple]:
    """The benchmark names of the sentence before, found only when asked ("We test on A and B.
    It reaches 3.2 and 4.1, respectively."): the sentence text and its names."""
    def names() -> tuple:
        index = bisect.bisect_right(spans, sentence_start, key=_end_of) - 1
        if index < 0:
            return "", []
        start, end = spans[index]
        return text[start:end], _names(terms, start, text[start:end])
    return names


def _end_of(span: tuple[int, int]) -> int:
    return span[1]


def _terms(cache: dict, sentence_start: int, sentence: str, vocabulary: str) -> list:
    """Matches of a vocabulary in a sentence, found once per sentence (its words too)."""
    key = (sentence_start, vocabulary)
    if key not in cache:
        words = cache.get(sentence_start)
        if words is None:
            words = cache[sentence_start] = SentenceWords(sentence)
        cache[key] = term_index(vocabulary).find(sentence, words)
    return cache[key]


def extract_claims(papers: pd.DataFrame) -> pd.DataFrame:
    """The claims table of a papers table (title and abstract of every paper).

    One row per mention, in paper order, title before abstract, by offset. Columns and
    dtypes are those of :func:`claimkit.table.claims_frame`.
    """
    rows: list[tuple] = []  # (paper, title, field, *claim): the order of CLAIM_COLUMNS
    with _collector_paused():
        # tolist() converts each column in one go (iterating an Arrow-backed column converts per item)
        for paper, title, abstract in zip(papers["paper"].tolist(), papers["title"].tolist(),
                                          papers["abstract"].tolist()):
            own_names = own_name(title)
            for field, text in (("title", title), ("abstract", abstract)):
                if isinstance(text, str) and text:
                    rows.extend((paper, title, field, *claim) for claim in find_claims(text, own_names))
    return claims_frame({name: list(values) for name, values in zip(_ROW_COLUMNS, zip(*rows))})


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The extractor makes no reference cycles, yet its many small tuples keep triggering the
    cyclic garbage collector; pausing it for the loop saves its scans (reference counting
    still frees everything)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
