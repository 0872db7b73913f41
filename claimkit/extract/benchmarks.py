"""Benchmark names in a sentence, known or not, and the benchmark each claim is measured on.

A name is *known* when ``benchmarks.txt`` lists it, in any spelling with the same key
("AIME2024" for "AIME 2024", see :mod:`claimkit.names`). Otherwise its shape and its place tell
it (``benchmark_shapes.txt``): a word ending like a benchmark ("FooBench", "TruthfulQA") is one
wherever it stands; a word shaped like a name ("CULane", "HumanML3D", "MARS") is one where
benchmarks stand ("on X", "across A, B and C", "the X dataset").
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Callable, Final

from ..names import known_benchmark_keys, known_key_prefixes, normalized_name
from ..vocab import benchmark_shapes, named_terms, word_list
from .context import start_of
from .numbers import is_model_family

try:  # the one-pass word scan in C (_scan.c), built by setup.py beside the mypyc modules
    from ._scan import words as _c_words
    C_WORDS: Callable[[str, bool], list[tuple[int, int]]] | None = _c_words
except ImportError:  # no C compiler at install time, or CLAIMKIT_PURE_PYTHON=1
    C_WORDS = None

Name = tuple[int, int, str, int]  # start, end (offsets in the sentence), surface, strength
KNOWN: Final = 3  # listed in the vocabulary
SHAPED: Final = 2  # a benchmark's ending ("FooBench")
PLACED: Final = 1  # a name where benchmarks stand

# A word: starts with a letter or digit; dots, hyphens, slashes and apostrophes may sit inside.
_TOKEN: Final = re.compile(r"\w(?:[\w.+\-/'’]*[\w+])?")
_NUMBER: Final = re.compile(r"[0-9][0-9.,]*")
_CONNECTORS: Final = re.compile(r"(?:[\s,;/&]|\b(?:the|and|or)\b)*", re.IGNORECASE)
_ADJECTIVE: Final = re.compile(r"-[a-z]{4,}$")  # "LLM-based", "GPU-parallelized", "GPT-style"
_SIZE: Final = re.compile(r"[0-9.]+[KMBT]?")  # "7B", "200K", "2024": numbers, not names
_VERSION: Final = re.compile(r"(?:19|20)[0-9]{2}(?:[A-Za-z][\w/-]*)?|[vV][0-9]+(?:\.[0-9]+)?")  # "2019", "2017Val/Test-dev", "v2"
_LIST_GAP: Final = re.compile(r"\s*(?:,|/|&|and|or|,\s*and|,\s*or)?\s*(?:the\s+)?", re.IGNORECASE)
_SPLIT_BEFORE: Final = re.compile(r"\b(?:test|validation|dev|val|training)\s+(?:set|sets|data|split|splits)\s+$", re.IGNORECASE)
_TO_VALUE: Final = re.compile(r"\s*(?:to|→|->)\s*[0-9][0-9.,]*\s*(?:\\?%|x|×|points?|pp)?")
_OWN_PHRASE_END: Final = re.compile(r"[0-9]|[,;]|\s(?:and|while|but|which|whereas)\s")
_ON_BEFORE: Final = re.compile(r"\s(?:on|in|for|across|at)(?:\s+the)?(?:\s+\w+){0,1}\s+$")
_PAREN_BEFORE: Final = re.compile(r"\s*(?:\([^()0-9]{0,30}\)\s*)?(?:\(|:|by)\s*"
                                  r"|\s+(?:[A-Za-z][\w@-]*\s+){1,2}(?:of|=)\s*")  # "ImageNet accuracy of 88.0%"
_CLAUSE_BREAK: Final = re.compile(r"[;]|,\s(?:while|whereas|but|and)\s|\s(?:while|whereas|but)\s")


@functools.lru_cache(maxsize=None)
def _suffix_pattern() -> re.Pattern:
    suffixes = "|".join(sorted(map(re.escape, benchmark_shapes()["suffix"]), key=len, reverse=True))
    tail = r"(?:[-_.]?(?:[vV]?[0-9]+(?:\.[0-9]+)?|[A-Z][A-Za-z]*|zh|en|cn))*"
    return re.compile(rf"(.*[A-Za-z\u0370-\u03ff].*?)(?:{suffixes}){tail}")


# Decisions that depend on a word alone, remembered: the same capitalized words recur in every
# abstract ("We", "Our", "LLMs", "ImageNet"), and each test costs a few regex and set operations.
_SHAPED_WORDS: Final[dict[str, int]] = {}


def _word_strength(word: str) -> int:
    """SHAPED for a benchmark's ending, PLACED for a word shaped like a name, else 0 (remembered)."""
    strength = _SHAPED_WORDS.get(word)
    if strength is None:
        if len(_SHAPED_WORDS) > 200_000:
            _SHAPED_WORDS.clear()  # a bound on memory over very large corpora
        strength = SHAPED if _has_benchmark_ending(word) and word not in _excluded() else \
            PLACED if _name_shaped(word) else 0
        _SHAPED_WORDS[word] = strength
    return strength


def _has_benchmark_ending(word: str) -> bool:
    """'FooBench', 'Foo-Bench-Lite', 'τ²-bench', 'CodeEval', 'TruthfulQA'; not 'Bench' or 'workbench'."""
    found = _suffix_pattern().fullmatch(word)
    if not found:
        return False
    head = found.group(1)
    return any(c.isupper() or not c.isascii() for c in head) or head.endswith("-")


@functools.lru_cache(maxsize=None)
def _excluded() -> frozenset[str]:
    """Words that look like names but name no benchmark: the @not list, metrics, hardware."""
    metrics = {term for term in named_terms("metrics.txt")}
    return frozenset(benchmark_shapes()["not"] | metrics | {term.lower() for term in metrics}) | word_list("hardware.txt")


def _name_shaped(word: str) -> bool:
    """A word with capitals inside, digits or all capitals: 'CULane', 'HumanML3D', 'MARS', 'KIT-ML';
    not a compound adjective ('LLM-based', 'GPU-parallelized')."""
    if word.islower() or word[1:].islower() and not any(c.isdigit() for c in word):
        return False  # most words: "the", "Method"
    if word in _excluded() or word.lower() in _excluded() or _SIZE.fullmatch(word) or _ADJECTIVE.search(word):
        return False
    if sum(c.isalpha() for c in word) < 2 or not any(c.isupper() for c in word):
        return False
    shaped = any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word)
    return shaped and not is_model_family(word)


_KNOWN_SPELLINGS: Final[dict[str, bool]] = {}


def _known_by_key(text: str) -> bool:
    """Whether a spelling keys to a listed benchmark; plain words ('Math') must match exactly
    (remembered)."""
    known = _KNOWN_SPELLINGS.get(text)
    if known is None:
        if len(_KNOWN_SPELLINGS) > 200_000:
            _KNOWN_SPELLINGS.clear()
        capitals = sum(c.isupper() for c in text)
        spelled_as_name = capitals >= 2 or any(c.isdigit() for c in text) or "-" in text
        known = _KNOWN_SPELLINGS[text] = spelled_as_name and normalized_name(text) in known_benchmark_keys()
    return known


def words_by_python(text: str, names_only: bool) -> list[tuple[int, int]]:
    """(start, end) of the words of ``text`` (:data:`_TOKEN`; a possessive "'s" is not part of
    the word); with ``names_only``, only those that may start a name: not lower-case ASCII
    letters alone ("the", "gpt4"), not a plain number ("28.1"). The C helper's twin."""
    found = []
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        if names_only and (word.islower() and "-" not in word and word.isascii()
                           or word[0].isdigit() and _NUMBER.fullmatch(word)):
            continue
        start = match.start()
        found.append((start, match.end() - 2 if word.endswith(("'s", "’s")) and len(word) >= 3 else match.end()))
    return found


def _words(text: str, names_only: bool) -> list[tuple[int, int]]:
    return C_WORDS(text, names_only) if C_WORDS is not None else words_by_python(text, names_only)


def _tokens(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of the words of a sentence; a possessive "'s" is not part of the word."""
    return [(start, end, sentence[start:end]) for start, end in _words(sentence, False)]


def sentence_names(sentence: str, known: list[tuple[int, int, str]],
                   metrics: list[tuple[int, int, str]] | None = None) -> list[Name]:
    """Every benchmark name in ``sentence``, in text order, from the vocabulary's matches
    (``known``) and from the shape and place of the other words; words inside a metric's name
    (``metrics``: "Top-1 accuracy") are no benchmark.

    Only words that can start a name (a capital, a digit, a hyphen, a letter outside ASCII:
    "Quill", "AIME2024", "needle-in-a-haystack", "τ-bench") are looked at one by one; whether one stands where benchmarks stand is read from the words
    before it (:func:`_in_place`), so the common lower-case words cost nothing here.
    """
    names: list[Name] = []
    compared: list[tuple[int, int]] = []  # names a result is compared with: no benchmark, no anchor
    for start, end, surface in known:  # "DAVIS" + " 2017", "GPQA" + " Diamond"
        stop = _name_end_at(sentence, end)
        if _compared(sentence, start):
            compared.append((start, stop))
        else:
            names.append((start, stop, sentence[start:stop], KNOWN))
    blocked = [(start, end) for start, end, _, _ in names] + compared + [(start, end) for start, end, _ in metrics or []]
    candidates = _candidates(sentence, blocked)
    nouns = benchmark_shapes()["noun"]
    anchors = sorted(end for _, end, _, _ in names)  # ends of names: a list may go on after them
    index = 0
    while index < len(candidates):
        start, end, word = candidates[index]
        found = _known_at(sentence, candidates, index)
        if found:
            if not _compared(sentence, start):
                names.append(found)
                bisect.insort(anchors, found[1])
            index += 1
            while index < len(candidates) and candidates[index][0] < found[1]:
                index += 1
            continue
        strength = _word_strength(word)
        if strength == PLACED and not (
                (_in_place(sentence, start, anchors) and _continues_list(sentence, start, end))
                or _noun_follows(sentence, end, nouns) or _VALUE_AFTER.match(sentence, end)
                or (_VALUE_BEFORE.search(sentence, max(0, start - 16), start) and _LIST_END.match(sentence, end))):
            strength = 0  # shaped like a name, but not where benchmarks stand
        if strength:
            stop = _name_end_at(sentence, end)
            if not _compared(sentence, start):
                names.append((start, stop, sentence[start:stop], strength))
                bisect.insort(anchors, stop)
            while index < len(candidates) and candidates[index][0] < stop:
                index += 1
            continue
        index += 1
    if _has_noun_word(sentence):
        names.extend(_listed_before_nouns(sentence, _tokens(sentence), names, blocked, nouns))
    names.sort()
    return _joined(sentence, names)


def _compared(sentence: str, start: int) -> bool:
    """Whether the word before a name (past "the") makes it what a result is compared with
    (benchmark_shapes.txt @compared): 'surpassing AutoDAN-Turbo by 3.9%', 'vs. NeRFiller (15.9)'."""
    words = sentence[max(0, start - 32):start].split()
    if words and words[-1].lower() == "the":
        words.pop()
    return bool(words) and words[-1].lstrip("(").lower() in _compared_words()


@functools.lru_cache(maxsize=None)
def _compared_words() -> frozenset[str]:
    return frozenset(word.lower() for word in benchmark_shapes()["compared"])


def _joined(sentence: str, names: list[Name]) -> list[Name]:
    """Names one space apart are one name: 'InterCode CTF', 'CALVIN ABC-D', 'MMBench-GUI L1-Hard'."""
    joined: list[Name] = []
    for name in names:
        if joined and name[0] > joined[-1][0] and sentence[joined[-1][1]:name[0]] == " ":
            first = joined[-1]
            joined[-1] = (first[0], name[1], sentence[first[0]:name[1]], max(first[3], name[3]))
        else:
            joined.append(name)
    return joined


def _candidates(sentence: str, blocked: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(start, end, word) of the words that may start a name, outside ``blocked`` spans."""
    found = []
    spans = _merged(blocked)
    for start, end in _words(sentence, True):  # not "the", "accuracy", "28.1": no name starts so
        if not spans or not _inside(spans, start):
            found.append((start, end, sentence[start:end]))
    return found


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` lies in one of ``spans`` (sorted, not overlapping)."""
    index = bisect.bisect_right(spans, (position, _NO_END)) - 1
    return index >= 0 and position < spans[index][1]


_NO_END: Final = 1 << 62  # sorts after any real end


def _has_noun_word(sentence: str) -> bool:
    """Whether a benchmark noun (the @noun words) follows a capitalized word ("the Calvin benchmark");
    a quick look for the nouns first."""
    lowered = sentence.lower()
    if not any(noun in lowered for noun in _nouns_lower()):
        return False
    if len(lowered) != len(sentence):  # lower() changed the offsets ("İ"): read the sentence itself
        nouns = [noun.start() for noun in _noun_word(True).finditer(sentence)]
    else:
        nouns = [noun.start() for noun in _noun_word(False).finditer(lowered)]
    return any(_capitalized_before(sentence, position) for position in nouns)


@functools.lru_cache(maxsize=None)
def _nouns_lower() -> tuple[str, ...]:
    """The @noun words of benchmark_shapes.txt, lower case."""
    return tuple(sorted({noun.lower() for noun in benchmark_shapes()["noun"]}))


@functools.lru_cache(maxsize=None)
def _noun_word(ignore_case: bool) -> re.Pattern:
    """A @noun word ("benchmark", "test sets"); without ``ignore_case`` for a lower-case copy of
    the text, which is much faster than IGNORECASE."""
    nouns = set(_nouns_lower())
    words = "|".join(re.escape(noun) + ("s?" if noun + "s" in nouns else "")  # "benchmarks?": one branch
                     for noun in sorted(nouns) if not (noun.endswith("s") and noun[:-1] in nouns))
    return re.compile(rf"\b(?:{words})\b", re.IGNORECASE if ignore_case else 0)


def _capitalized_before(sentence: str, position: int) -> bool:
    """Whether the word right before ``position`` (past spaces) starts with a capital."""
    end = position
    while end > 0 and sentence[end - 1] == " ":
        end -= 1
    start = end
    while start > 0 and (sentence[start - 1].isalnum() or sentence[start - 1] in "_.+-/'’"):
        start -= 1
    return start < end and end < position and sentence[start].isupper()


def _in_place(sentence: str, start: int, anchors: list[int]) -> bool:
    """Whether a word at ``start`` stands where benchmarks stand: after "on", "across" (and "the"),
    after "the test set of", or along a list that follows a name ("on A, B and C")."""
    index = bisect.bisect_right(anchors, start) - 1  # anchors are kept sorted
    gap_start = anchors[index] if index >= 0 else -1
    if gap_start >= 0 and _CONNECTORS.fullmatch(sentence, gap_start, start):
        return True  # only "the", "and", "or" and punctuation since the last name
    words = _TOKEN.findall(sentence, max(0, gap_start, start - 48), start)
    for position in range(len(words) - 1, -1, -1):
        word = words[position].lower()
        if word in ("the", "and", "or"):
            continue  # they keep the place of the word before them
        if word in benchmark_shapes()["before"]:
            return True
        return word == "of" and bool(_SPLIT_BEFORE.search(" ".join(words[:position]) + " "))
    return False


def _name_end_at(sentence: str, end: int) -> int:
    """Where a name that ends at ``end`` really ends: 'SWE-bench Verified', 'DAVIS 2017', 'NYU-Depth V2'."""
    found = _continuation().match(sentence, end)
    while found:
        end = found.end()
        found = _continuation().match(sentence, end)
    return end


@functools.lru_cache(maxsize=None)
def _continuation() -> re.Pattern:
    """One word that continues a name: a split word (benchmark_shapes.txt @split), a year or a version."""
    words = "|".join(sorted(map(re.escape, benchmark_shapes()["split"]), key=len, reverse=True))
    return re.compile(rf" (?:{words}|{_VERSION.pattern})(?![\w.+\-/'’]*[\w+])")


def _continues_list(sentence: str, start: int, end: int) -> bool:
    """After 'on X' and a comma, a word is the next name of the list only if what follows it can
    follow a name ('on A, B and C', 'on A, B, our model ...'); 'On X, Method improves' is no list."""
    before = _PREVIOUS_GAP.search(sentence, max(0, start - 8), start)
    if not (before and before.group(0).strip().startswith(",")):
        return True  # "on X and Y", "on the X"
    following = _NEXT_WORD.match(sentence, end)
    if not following:
        return True
    return bool(following.group(1).strip()) or following.group(2).lower() in _FOLLOWERS


_PREVIOUS_GAP: Final = re.compile(r"[^\w+]*$")
_NEXT_WORD: Final = re.compile(r"([^\w]*)(\w(?:[\w.+\-/'’]*[\w+])?)")
_FOLLOWERS: Final = frozenset({"and", "or", "respectively", "with", "using", "under", "in", "on", "for", "at",
                               "by", "while", "where", "when", "as", "the", "to", "from", "via", "without"})
_VALUE_AFTER: Final = re.compile(r"\s*(?:\([^()\d]{0,30}\)\s*)?(?:by\s+|:\s*|\(\s*)[+-]?[0-9]")
_LIST_END: Final = re.compile(r"\s*(?:[,;)]|and\b|or\b|\.?$)")  # "48.5% OSWorld," but not "10x FLOP reduction"
_VALUE_BEFORE: Final = re.compile(r"[0-9](?:\s*(?:\\?%|x|×|points?|pts?|pp))?\s+$")


_STARTS_KNOWN: Final[dict[str, bool]] = {}


def _may_start_known(word: str) -> bool:
    """Whether a listed name may start with ``word`` (remembered)."""
    starts = _STARTS_KNOWN.get(word)
    if starts is None:
        if len(_STARTS_KNOWN) > 200_000:
            _STARTS_KNOWN.clear()
        starts = _STARTS_KNOWN[word] = normalized_name(word) in known_key_prefixes()
    return starts


def _known_at(sentence: str, candidates: list[tuple[int, int, str]], index: int) -> Name | None:
    """A listed benchmark written another way ('AIME2024', 'SWE-Bench-Verified', 'MMLU Pro')."""
    if not _may_start_known(candidates[index][2]):
        return None  # no listed name starts so ("We", "Experiments")
    for size in (3, 2, 1):
        last = index + size - 1
        if last >= len(candidates):
            continue
        if size > 1 and not all(candidates[k + 1][0] == candidates[k][1] + 1 for k in range(index, last)):
            continue  # "MMLU Pro": the words of a name follow each other after one space
        text = sentence[candidates[index][0]:candidates[last][1]]
        if _known_by_key(text):
            stop = _name_end_at(sentence, candidates[last][1])  # "Youtube-VOS 2018"
            return candidates[index][0], stop, sentence[candidates[index][0]:stop], KNOWN
    return None


def _noun_follows(sentence: str, end: int, nouns: frozenset[str]) -> bool:
    """'CrowPose dataset', 'the VisA and the MVTec AD datasets'."""
    rest = sentence[end:end + 40].split()
    for count in (2, 1):
        if len(rest) >= count and " ".join(rest[:count]).strip(".,;:)").lower() in nouns:
            return True
    return False


def _listed_before_nouns(sentence: str, tokens: list[tuple[int, int, str]], names: list[Name],
                         blocked: list[tuple[int, int]], nouns: frozenset[str]) -> list[Name]:
    """Capitalized names listed right before a benchmark noun: 'the Calvin benchmark', 'for Kumar,
    CoNSep, and CPM-17 datasets', 'on City Persons and Euro City Person datasets'."""
    found: list[Name] = []
    spans = _merged(blocked + [(start, end) for start, end, _, _ in names])
    ends = [end for _, end, _ in tokens]
    for noun in _noun_word(True).finditer(sentence):  # the word right before each benchmark noun
        index = bisect.bisect_right(ends, noun.start()) - 1
        if index < 0 or not sentence[tokens[index][1]:noun.start()].isspace() \
                or not _capitalized(tokens[index][2]):
            continue
        last = index  # walk back over the list: names of capitalized words joined by list words
        while True:
            first = last
            while first > 0 and _capitalized(tokens[first - 1][2]) and sentence[tokens[first - 1][1]:tokens[first][0]] == " ":
                first -= 1
            if not any(_inside(spans, tokens[k][0]) for k in range(first, last + 1)):
                found.append((tokens[first][0], tokens[last][1], sentence[tokens[first][0]:tokens[last][1]], PLACED))
            previous = first - 1  # the last word of the name before, over a list word ("A, B, and C")
            if previous >= 0 and tokens[previous][2] in ("and", "or"):
                previous -= 1
            if previous < 0 or not _capitalized(tokens[previous][2]):
                break
            gap = sentence[tokens[previous][1]:tokens[first][0]]
            if not gap.strip() or not _LIST_GAP.fullmatch(gap):
                break
            last = previous
    return sorted(set(found))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` sorted, overlapping ones joined: what :func:`_inside` reads."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _capitalized(word: str) -> bool:
    """A word that may be (part of) a name: it starts with a capital and is no excluded word."""
    return word[:1].isupper() and word not in _excluded() and word not in benchmark_shapes()["split"] \
        and not is_model_family(word)


# --- which name a claim is measured on ------------------------------------------------------

def group_benchmarks(sentence: str, names: list[Name], claims: list[tuple[int, int, str]],
                     names_before: Callable[[], tuple] | None = None) -> list[str]:
    """The benchmark of each claim of one list (``(start, end, kind)``, offsets in the sentence).

    In order: names listed in the same order as the values ("3.2% and 2.0% on MSVD and MSRVTT",
    "respectively"); the name right after a claim ("8.8% on GPQA"); the name a value is given
    in parentheses for ("UPLight (92.45%)"); the nearest name in the clause, and for scores and
    gains, else the nearest in the sentence. A list of values ending in "respectively" in a
    sentence that names nothing pairs with the last list of names of the sentence before.
    """
    paired = _parallel_names(sentence, names, claims) if len(claims) > 1 else []
    if not paired and not names and len(claims) > 1 and names_before is not None and "respectively" in sentence:
        previous_sentence, previous_names = names_before()  # "We test on A and B. It gets 3.2 and 4.1, respectively."
        lists = _name_lists(previous_sentence, previous_names)
        paired = lists[-1] if lists and len(lists[-1]) == len(claims) else []
    chosen = paired or [_name_after(sentence, names, start, end) for start, end, _ in claims]
    for index, (start, end, kind) in enumerate(claims):
        if not chosen[index]:
            nearest, in_clause = _nearest(sentence, names, start, end)
            quality = kind in ("score", "gain")  # a speed-up or saving takes a name of its own clause only
            chosen[index] = _name_before_parenthesis(sentence, names, start) or (nearest if quality or in_clause else "")
    return chosen


def _first_starting_at(names: list[Name], position: int) -> int:
    """The index of the first name that starts at or after ``position`` (names are in text order)."""
    return bisect.bisect_left(names, position, key=start_of)


def _name_after(sentence: str, names: list[Name], start: int, end: int) -> str:
    """'8.8% on GPQA', '84.8% top-1 accuracy on ImageNet-1K': the name the claim's own phrase ends on."""
    pair = _TO_VALUE.match(sentence, end)  # "from 51.0% to 54.5% on MATH": the pair's name is both ends'
    if pair:
        end = pair.end()
    stop = _OWN_PHRASE_END.search(sentence, end)
    limit = stop.start() if stop else len(sentence)
    for index in range(_first_starting_at(names, end), len(names)):
        name_start, _, surface, _ = names[index]
        if name_start > limit:
            break
        if _ON_BEFORE.search(" " + sentence[end:name_start]):
            return surface
    return ""


def _parallel_names(sentence: str, names: list[Name], claims: list[tuple[int, int, str]]) -> list[str]:
    """Names listed in the order of the values: after them ('on A, B and C'), or before them when
    the sentence says 'respectively'. Empty when no list of as many names is there."""
    count = len(claims)
    listed = _list_from(sentence, names, _first_starting_at(names, claims[-1][1]))
    if len(listed) == count:
        return listed
    if "respectively" in sentence:
        last = _first_starting_at(names, claims[0][0]) - 1
        while last >= 0 and names[last][1] > claims[0][0]:
            last -= 1  # a name around the first value is not before it
        listed = _list_to(sentence, names, last)
        if len(listed) == count:
            return listed
    return []


def _list_from(sentence: str, names: list[Name], first: int) -> list[str]:
    """The run of names from ``first`` on that only list words join ('A, B, and C')."""
    listed: list[str] = []
    for index in range(first, len(names)):
        if listed and not _LIST_GAP.fullmatch(sentence, names[index - 1][1], names[index][0]):
            break
        listed.append(names[index][2])
    return listed


def _list_to(sentence: str, names: list[Name], last: int) -> list[str]:
    """The run of names that ends with ``last`` and that only list words join."""
    first = last
    while first > 0 and _LIST_GAP.fullmatch(sentence, names[first - 1][1], names[first][0]):
        first -= 1
    return [name[2] for name in names[first:last + 1]] if last >= 0 else []


def _name_lists(sentence: str, names: list[Name]) -> list[list[str]]:
    lists: list[list[str]] = []
    previous_end = -1
    for start, end, surface, _ in names:
        if lists and _LIST_GAP.fullmatch(sentence, previous_end, start):
            lists[-1].append(surface)
        else:
            lists.append([surface])
        previous_end = end
    return lists


def _name_before_parenthesis(sentence: str, names: list[Name], start: int) -> str:
    """'UPLight (92.45%)', 'HumanEval: 90.2%', 'Humans-2K (part-seg) by 17.1', 'ADE20K mIoU of
    55.6%': the value is given for the name right before it."""
    for index in range(_first_starting_at(names, start) - 1, -1, -1):
        name_start, name_end, surface, _ = names[index]
        if name_end <= start and _PAREN_BEFORE.fullmatch(sentence, name_end, start):
            return surface
        if name_end < start - _PAREN_REACH:
            break  # the gap it allows is short
    return ""


_PAREN_REACH: Final = 64


def _nearest(sentence: str, names: list[Name], start: int, end: int) -> tuple[str, bool]:
    """The nearest name in the claim's clause, else in the sentence; and whether it is in the clause.

    Names are in text order and do not overlap, so the nearest before the claim and the nearest
    after it are the only candidates (a clause that holds a farther name holds the nearer one)."""
    after = _first_starting_at(names, end)
    best, best_distance, best_in_clause = "", 0, False
    for index in (after - 1, after):
        if not 0 <= index < len(names):
            continue
        name_start, name_end, surface, _ = names[index]
        distance = name_start - end if name_start >= end else max(0, start - name_end)
        between = sentence[end:name_start] if name_start >= end else sentence[name_end:start]
        in_clause = not _CLAUSE_BREAK.search(between)
        if not best or (in_clause, -distance) > (best_in_clause, -best_distance):
            best, best_distance, best_in_clause = surface, distance, in_clause
    return best, best_in_clause
