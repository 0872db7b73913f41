"""Load the vocabularies in ``claimkit/vocab/*.txt``: plain data files with a syntax header.

Each loader returns plain Python data (dicts, tuples, sets), cached, so the extractor can
compile its patterns once per process.
"""

from __future__ import annotations

import functools
from pathlib import Path

VOCAB_DIR = Path(__file__).resolve().parent / "vocab"


def _entry_lines(name: str) -> list[str]:
    """Non-comment, non-blank lines of a vocabulary file, stripped."""
    text = (VOCAB_DIR / name).read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _split(line: str) -> list[str]:
    return [part.strip() for part in line.split(" | ") if part.strip()]


def _sections(name: str) -> dict[str, list[list[str]]]:
    """Entries grouped by their ``@section`` line (``""`` before the first one)."""
    sections: dict[str, list[list[str]]] = {"": []}
    current = ""
    for line in _entry_lines(name):
        if line.startswith("@"):
            current = line[1:].split()[-1]
            sections.setdefault(current, [])
        else:
            sections[current].append(_split(line))
    return sections


@functools.lru_cache(maxsize=None)
def counted_nouns() -> dict[str, tuple[str, str]]:
    """Lower-case noun -> (kind, unit): 'pairs' -> ('data_size', 'pairs')."""
    nouns: dict[str, tuple[str, str]] = {}
    for kind, entries in _sections("counted_nouns.txt").items():
        for unit, *aliases in entries:
            for word in (unit, *aliases):
                nouns.setdefault(word.lower(), (kind, unit))
    return nouns


@functools.lru_cache(maxsize=None)
def qualifier_phrases() -> dict[str, dict[str, str]]:
    """``{'before': {phrase: qualifier}, 'after': {...}}``, phrases lower case."""
    result: dict[str, dict[str, str]] = {}
    for side, entries in _sections("qualifiers.txt").items():
        if not side:
            continue
        table = result.setdefault(side, {})
        for qualifier, *phrases in entries:
            for phrase in phrases:
                table.setdefault(phrase.lower(), qualifier)
    return result


@functools.lru_cache(maxsize=None)
def cue_words() -> dict[str, tuple[str, ...]]:
    """Section ('speed', 'reduction', 'gain', 'score') -> its words (``*`` marks a prefix)."""
    return {
        section: tuple(word.lower() for entry in entries for word in entry)
        for section, entries in _sections("cues.txt").items()
        if section
    }


@functools.lru_cache(maxsize=None)
def word_list(name: str) -> frozenset[str]:
    """A one-word-per-line file (model_families.txt, hardware.txt) as a lower-case set."""
    return frozenset(line.lower() for line in _entry_lines(name))


@functools.lru_cache(maxsize=None)
def named_terms(name: str) -> dict[str, str]:
    """benchmarks.txt / metrics.txt: every name and alias -> its canonical name."""
    path = VOCAB_DIR / name
    if not path.exists():
        return {}
    terms: dict[str, str] = {}
    for line in _entry_lines(name):
        canonical, *aliases = [field for field in _split(line) if not field.startswith("@")]
        for term in (canonical, *aliases):
            terms.setdefault(term, canonical)
    return terms


@functools.lru_cache(maxsize=None)
def lower_is_better() -> frozenset[str]:
    """Canonical metrics (metrics.txt lines marked "@lower") where lower is better."""
    return frozenset(_split(line)[0] for line in _entry_lines("metrics.txt") if _split(line)[-1] == "@lower")


def metric_direction(metric: str) -> str:
    """"lower" when a lower value of the metric is better (error, perplexity, FID), else "higher".

    >>> metric_direction("perplexity"), metric_direction("accuracy")
    ('lower', 'higher')
    """
    return "lower" if metric in lower_is_better() else "higher"


@functools.lru_cache(maxsize=None)
def benchmark_shapes() -> dict[str, frozenset[str]]:
    """benchmark_shapes.txt: section ('suffix', 'split', 'noun', 'before', 'compared', 'not') -> its words."""
    return {
        section: frozenset(word for entry in entries for word in entry)
        for section, entries in _sections("benchmark_shapes.txt").items()
        if section
    }


@functools.lru_cache(maxsize=None)
def dataset_count_words() -> dict[str, tuple[str, ...]]:
    """dataset_counts.txt: section ('describes', 'breadth', 'spread') -> its lower-case words."""
    return {
        section: tuple(word.lower() for entry in entries for word in entry)
        for section, entries in _sections("dataset_counts.txt").items()
        if section
    }
