"""Benchmark names -> one key per benchmark, so that its claims group and filter together.

"AIME24", "AIME 2024" and "AIME-2024" are one benchmark; "SWE-bench Verified" is not
"SWE-bench". A name the vocabulary knows (``claimkit/vocab/benchmarks.txt``, any of its
aliases, in any spelling that differs only by case, spaces, hyphens, dots or the century of a
year) keys to its canonical name; any other name keys to its normalized form.
"""

from __future__ import annotations

import functools
import re

from .vocab import named_terms

# A year written in full after a name ("AIME 2024", "COCO-2017") keys as its two last digits.
_YEAR: re.Pattern = re.compile(r"(?<![0-9])(?:19|20)([0-9]{2})(?![0-9])")
_NOT_KEPT: re.Pattern = re.compile(r"[^\w+]|_")


def normalized_name(name: str) -> str:
    """Lower case, letters, digits and "+" only ("Foo++" is not "Foo"), years shortened: the key
    of an unknown name.

    >>> normalized_name("AIME 2024"), normalized_name("AIME-24"), normalized_name("Foo-Bench Lite")
    ('aime24', 'aime24', 'foobenchlite')
    >>> normalized_name("τ²-bench")
    'τ²bench'
    """
    folded = _NOT_KEPT.sub("", name.casefold())
    return _YEAR.sub(r"\1", folded) if any(c.isalpha() for c in folded) else folded


@functools.lru_cache(maxsize=None)
def known_benchmark_keys() -> dict[str, str]:
    """Normalized form of every vocabulary name and alias -> its canonical name."""
    keys: dict[str, str] = {}
    for term, canonical in named_terms("benchmarks.txt").items():
        keys.setdefault(normalized_name(term), canonical)
    return keys


@functools.lru_cache(maxsize=None)
def known_key_prefixes() -> frozenset[str]:
    """Every beginning of every known key: a word whose normalized form is none of them starts
    no listed name, whatever follows it."""
    return frozenset(key[:length] for key in known_benchmark_keys() for length in range(1, len(key) + 1))


@functools.lru_cache(maxsize=65536)
def benchmark_key(name: str) -> str:
    """The grouping key of a benchmark name as written ("" for no name).

    >>> benchmark_key("AIME-2024") == benchmark_key("AIME24") == benchmark_key("AIME 2024")
    True
    >>> benchmark_key("SWE-bench Verified") != benchmark_key("SWE-bench")
    True
    >>> benchmark_key("ImageNet-1k"), benchmark_key("Foo-Bench v2")
    ('ImageNet', 'foobenchv2')
    """
    if not name:
        return ""
    normalized = normalized_name(name)
    return known_benchmark_keys().get(normalized, normalized)
