"""The words around a quantity: sentence and clause spans, qualifier, metric, benchmark, baseline."""

from __future__ import annotations

import bisect
import functools
import re
from typing import Final

from ..vocab import named_terms, qualifier_phrases
from .endings import ending

# A sentence ends at . ! ? followed by space and a capital, digit or quote, except after
# common abbreviations ("e.g.", "et al.", "vs."). str.find over the three marks is several
# times faster than a regex that tests every character.
_SENTENCE_MARKS: Final = ".!?"
_SENTENCE_STARTS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\"'([")
_ABBREVIATIONS: Final = ("e.g", "i.e", "et al", "vs", "approx", "cf", "Fig", "Eq", "etc")
_ABBREVIATION_ENDS: Final = frozenset(abbreviation[-1] for abbreviation in _ABBREVIATIONS)  # a cheap first test
# Clauses end at , ; and at words that start a new clause (see _BREAK_WORDS below).


def _sentence_ends(text: str) -> list[int]:
    """Offsets of the marks that end a sentence, in text order."""
    ends = []
    for mark in _SENTENCE_MARKS:
        position = text.find(mark)
        while position >= 0:
            after = position + 1
            while after < len(text) and text[after].isspace():
                after += 1
            if after > position + 1 and after < len(text) and text[after] in _SENTENCE_STARTS:
                if not (mark == "." and text[position - 1:position] in _ABBREVIATION_ENDS
                        and text.endswith(_ABBREVIATIONS, max(0, position - 6), position)):
                    ends.append(position)
            position = text.find(mark, position + 1)
    ends.sort()
    return ends


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; the spans cover the text without its outer spaces."""
    spans, start = [], 0
    for mark in _sentence_ends(text):
        spans.append((start, mark + 1))
        start = mark + 1
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def sentence_at(spans: list[tuple[int, int]], position: int) -> tuple[int, int]:
    """The span of the sentence holding ``position`` (the spans are in text order)."""
    index = bisect.bisect_right(spans, position, key=start_of) - 1
    if index >= 0 and position < spans[index][1]:
        return spans[index]
    return spans[-1] if spans else (0, 0)


def start_of(span: tuple) -> int:
    """Where a span (start, end, ...) starts: the key that bisects spans kept in text order."""
    start: int = span[0]
    return start


_BREAK_WORDS: Final = (",", ";", " while ", " whereas ", " but ", " which ", " resulting in ", " and then ")


def clause_left(text: str, sentence_start: int, position: int, limit: int = 120) -> str:
    """The text of the clause before ``position`` (from the last clause break)."""
    left = text[max(sentence_start, position - limit):position]
    cut = 0
    for word in _BREAK_WORDS:  # str.rfind is much faster than a regex over the window
        found = left.rfind(word)
        if found >= 0 and found + len(word) > cut:
            cut = found + (1 if word in (",", ";") else len(word) - 1)
    return left[cut:]


def clause_right(text: str, position: int, sentence_end: int, limit: int = 90) -> str:
    """The text of the clause after ``position`` (to the next clause break)."""
    right = text[position:min(sentence_end, position + limit)]
    cut = len(right)
    for word in _BREAK_WORDS:
        found = right.find(word, 0, cut)
        if found >= 0:
            cut = found
    return right[:cut]


@functools.lru_cache(maxsize=None)
def _phrases_by_last_char(side: str) -> dict[str, list[tuple[str, str]]]:
    """Last character -> [(phrase, qualifier)], longest first: few endswith calls per number."""
    table: dict[str, list[tuple[str, str]]] = {}
    for phrase, qualifier in sorted(qualifier_phrases()[side].items(), key=lambda item: -len(item[0])):
        table.setdefault(phrase[-1], []).append((phrase, qualifier))
    return table


def qualifier_before(left: str) -> tuple[str, int]:
    """(qualifier, length of its phrase) written right before a number, or ("", 0)."""
    tail = left[-24:]
    stripped = tail.rstrip().lower()
    if not stripped:
        return "", 0
    for phrase, qualifier in _phrases_by_last_char("before").get(stripped[-1], ()):
        start = len(stripped) - len(phrase)
        if stripped.endswith(phrase) and (start == 0 or stripped[start - 1] in " \t\n([") and start >= 0:
            return qualifier, len(tail) - start
    return "", 0


@functools.lru_cache(maxsize=None)
def _after_pattern() -> re.Pattern:
    after = sorted(qualifier_phrases()["after"], key=len, reverse=True)
    return re.compile(r"^\s*(" + "|".join(map(re.escape, after)) + r")(?![\w])", re.IGNORECASE)


def qualifier_after(right: str) -> tuple[str, int]:
    """(qualifier, length) written right after a number ("2K+", "15.2% average"), or ("", 0)."""
    found = _after_pattern().search(right[:16])
    if not found:
        return "", 0
    return qualifier_phrases()["after"][found.group(1).lower()], found.end()


# A word starts with an ASCII letter or digit; trailing dots, dashes and quotes are not part
# of it ("ImageNet." -> "ImageNet"), as vocabularies match them.
_WORD: Final = re.compile(r"[A-Za-z0-9](?:[\w+\-./@'’&]*[\w+/@&])?")
# The same for ASCII text, where \w is [A-Za-z0-9_]: a plain character set is faster to test.
_ASCII_WORD: Final = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_+\-./@'&]*[A-Za-z0-9_+/@&])?")


class SentenceWords:
    """The words of a text, with each word's offset found only when a name is matched there."""

    __slots__ = ("text", "words", "_folded", "_offsets")

    def __init__(self, text: str) -> None:
        self.text = text
        # findall: strings only, no match object per word
        self.words: list[str] = (_ASCII_WORD if text.isascii() else _WORD).findall(text)
        self._folded: list[str] | None = None
        self._offsets: list[int] = []

    def folded(self) -> list[str]:
        """Lower-case forms, made once for every vocabulary looked up here; a word already in
        lower case is its own (the same object, so lookups can skip it)."""
        if self._folded is None:
            self._folded = [word if word.islower() else word.lower() for word in self.words]
        return self._folded

    def offset(self, index: int) -> int:
        """Where word ``index`` starts in the text."""
        offsets, words = self._offsets, self.words
        while len(offsets) <= index:
            after = offsets[-1] + len(words[len(offsets) - 1]) if offsets else 0
            # The text between words holds no ASCII letter or digit (a word would start
            # there), so the next occurrence of a word is the word itself.
            offsets.append(self.text.find(words[len(offsets)], after))
        return offsets[index]


class TermIndex:
    """A vocabulary as word n-grams: names with capitals match exactly, others in any case.

    Looking up every 1..n-word window of a sentence is much faster than one big regex
    alternation over hundreds of names.
    """

    def __init__(self, terms: dict[str, str]) -> None:
        self.exact = {term for term in terms if any(c.isupper() for c in term)}
        self.folded = {term.lower() for term in terms if not any(c.isupper() for c in term)}
        # First word -> the lengths (in words) of the names it starts, longest first, so
        # most words cost one dictionary lookup.
        self.starts: dict[str, list[int]] = {}
        for term in self.exact | self.folded:
            term_words = term.split()
            self.starts.setdefault(term_words[0], []).append(len(term_words))
        for sizes in self.starts.values():
            sizes.sort(reverse=True)

    def find(self, text: str, words: SentenceWords | None = None) -> list[tuple[int, int, str]]:
        """(start, end, surface) of every longest match in ``text``, left to right."""
        if words is None:
            words = SentenceWords(text)
        starts, tokens, folded = self.starts, words.words, words.folded()
        candidates = [index for index, word in enumerate(tokens)
                      if word in starts or (folded[index] is not word and folded[index] in starts)]
        found: list[tuple[int, int, str]] = []
        next_free = 0
        for index in candidates:
            if index < next_free:
                continue  # inside a longer name found just before
            word = tokens[index]
            sizes = starts.get(word)
            lowered = starts.get(folded[index]) if folded[index] is not word else None
            if sizes is None or (lowered is not None and lowered is not sizes):  # "F1" starts "F1 score" and is "f1"
                sizes = sorted(set(sizes or ()) | set(lowered or ()), reverse=True)
            for size in sizes:
                if index + size > len(tokens):
                    continue
                phrase = word if size == 1 else " ".join(tokens[index:index + size])
                if phrase in self.exact or phrase.lower() in self.folded:
                    last = index + size - 1
                    found.append((words.offset(index), words.offset(last) + len(tokens[last]), phrase))
                    next_free = index + size
                    break
        return found


@functools.lru_cache(maxsize=None)
def term_index(name: str) -> TermIndex:
    return TermIndex(named_terms(name))


def nearest_term(name: str, text: str, position: int, found: list | None = None) -> str:
    """The vocabulary term in ``text`` closest to ``position`` (as written), or ""."""
    matches = term_index(name).find(text) if found is None else found
    best, best_distance = "", None
    after = bisect.bisect_left(matches, position, key=start_of) if len(matches) > 2 else 0
    # Matches are in text order and do not overlap: the nearest is the last before the position
    # or the first after it (all of them when there are few).
    for start, end, surface in matches[max(0, after - 1):after + 1] if len(matches) > 2 else matches:
        distance = start - position if start >= position else max(0, position - end)
        if best_distance is None or distance < best_distance:
            best, best_distance = surface, distance
    return best


def metric_near(text: str, position: int, found: list | None = None) -> str:
    """Canonical (lower-case) metric named in ``text`` nearest ``position``."""
    surface = nearest_term("metrics.txt", text, position, found)
    if not surface:
        return ""
    terms = named_terms("metrics.txt")
    canonical = terms.get(surface) or _lower_terms("metrics.txt").get(surface.lower(), surface)
    return canonical.lower()


@functools.lru_cache(maxsize=None)
def _lower_terms(name: str) -> dict[str, str]:
    """Case-folded name -> canonical, for entries matched in any case ("Word error rate")."""
    return {term.lower(): canonical for term, canonical in named_terms(name).items()}


_OWN_PHRASE_END: Final = re.compile(r"\d|[,;]|\s(?:and|while|but|which)\s")
_ON_NAME: Final = ending(r"\s(?:on|in|for)(?:\s+the)?\s+$")
# A name the vocabulary lacks, said to be a benchmark: "on the EuRoC dataset", "Polaris benchmark".
_NOT_NAMES: Final = ("-centric", "-based", "-like", "-style", "-specific", "-level", "-scale")
_BENCHMARK_NOUNS: Final = ("benchmark", "dataset", "test set", "suite", "leaderboard")
_NAMED_BENCHMARK: Final = re.compile(r"\b([A-Z][\w.+\-’']*(?:[ -][A-Z0-9][\w.+\-’']*){0,2})\s+"
                                     r"(?:benchmarks?|dataset|test set|suite|leaderboard)\b")


def benchmark_near(text: str, position: int, found: list | None = None, end: int | None = None) -> str:
    """Benchmark named for the claim at ``position`` (to ``end``) in sentence ``text``, as written.

    The name right after the claim ("8.8% on GPQA") wins over a nearer one before it (the
    previous item of a list); otherwise the nearest known name, else a name the sentence
    calls a benchmark or dataset.
    """
    found = term_index("benchmarks.txt").find(text) if found is None else found
    if end is not None:
        stop = _OWN_PHRASE_END.search(text, end)
        limit = stop.start() if stop else len(text)
        for start, _, surface in found:
            if end <= start < limit and _ON_NAME.search(text, end, start):
                return surface
    if found:
        return nearest_term("benchmarks.txt", text, position, found)
    if not any(word in text for word in _BENCHMARK_NOUNS):
        return ""  # the common case, decided without running the pattern over the sentence
    for named in _NAMED_BENCHMARK.finditer(text):
        name = named.group(1)
        if len(name) >= 4 and not name.endswith(_NOT_NAMES):  # not "QA benchmark", "Western-centric benchmarks"
            return name
    return ""


_BASELINE: Final = re.compile(
    r"\b(?:over|than|compared (?:to|with)|relative to|versus|vs\.?|outperform(?:s|ing|ed)?|"
    r"surpass(?:es|ing|ed)?|beat(?:s|ing)?|exceed(?:s|ing|ed)?)\s+"
    r"(?P<who>(?:the |a |an |its )?(?:(?:best|strong|strongest|original|previous|prior|existing|standard|"
    r"conventional|vanilla|base|full|naive|traditional|state-of-the-art|competing|supervised)[\w-]*\s+){0,3}"
    r"(?:baselines?|models?|methods?|approach(?:es)?|systems?)\b"
    r"|[A-Z][\w.+-]*(?:\s+(?:of\s+)?[A-Z][\w.+-]*){0,3})")


def baseline_in(clause: str) -> str:
    """What a claim is compared against ("over GLIP", "than the best baseline"), or ""."""
    found = _BASELINE.search(clause)
    return found.group("who").strip() if found else ""
