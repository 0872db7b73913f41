"""Benchmark names in a sentence, known or not, and the benchmark each claim is measured on.

A name is *known* when ``benchmarks.txt`` lists it, in any spelling with the same key
("AIME2024" for "AIME 2024", see :mod:`claimkit.names`). Otherwise its shape and its place tell
it (``benchmark_shapes.txt``): a word ending like a benchmark ("FooBench", "TruthfulQA") is one
wherever it stands; a word shaped like a name ("CULane", "HumanML3D", "MARS") is one where
benchmarks stand ("on X", "across A, B and C", "the X dataset").
"""

from __future__ import annotations

import functools
import re
from typing import Callable, Final

from ..names import known_benchmark_keys, normalized_name
from ..vocab import benchmark_shapes, named_terms, word_list
from .numbers import is_model_family

Name = tuple[int, int, str, int]  # start, end (offsets in the sentence), surface, strength
KNOWN: Final = 3  # listed in the vocabulary
SHAPED: Final = 2  # a benchmark's ending ("FooBench")
PLACED: Final = 1  # a name where benchmarks stand

# A word: starts with a letter or digit; dots, hyphens, slashes and apostrophes may sit inside.
_TOKEN: Final = re.compile(r"\w(?:[\w.+\-/'’]*[\w+])?")
_POSSESSIVE: Final = re.compile(r"['’]s$")
_ADJECTIVE: Final = re.compile(r"-[a-z]{4,}$")  # "LLM-based", "GPU-parallelized", "GPT-style"
_SIZE: Final = re.compile(r"[0-9.]+[KMBT]?")  # "7B", "200K", "2024": numbers, not names
_VERSION: Final = re.compile(r"(?:19|20)[0-9]{2}(?:[A-Za-z][\w/-]*)?|[vV][0-9]+(?:\.[0-9]+)?")  # "2019", "2017Val/Test-dev", "v2"
_LIST_GAP: Final = re.compile(r"\s*(?:,|/|&|and|or|,\s*and|,\s*or)?\s*(?:the\s+)?", re.IGNORECASE)
_SPLIT_BEFORE: Final = re.compile(r"\b(?:test|validation|dev|val|training)\s+(?:set|sets|data|split|splits)\s+$", re.IGNORECASE)
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
    if word in _excluded() or word.lower() in _excluded() or _SIZE.fullmatch(word) or _ADJECTIVE.search(word):
        return False
    if sum(c.isalpha() for c in word) < 2 or not any(c.isupper() for c in word):
        return False
    shaped = any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word)
    return shaped and not is_model_family(word)


def _known_by_key(text: str) -> bool:
    """Whether a spelling keys to a listed benchmark; plain words ('Math') must match exactly."""
    capitals = sum(c.isupper() for c in text)
    spelled_as_name = capitals >= 2 or any(c.isdigit() for c in text) or "-" in text
    return spelled_as_name and normalized_name(text) in known_benchmark_keys()


def _tokens(sentence: str) -> list[tuple[int, int, str]]:
    tokens = []
    for match in _TOKEN.finditer(sentence):
        word = _POSSESSIVE.sub("", match.group(0))
        tokens.append((match.start(), match.start() + len(word), word))
    return tokens


def sentence_names(sentence: str, known: list[tuple[int, int, str]],
                   metrics: list[tuple[int, int, str]] | None = None) -> list[Name]:
    """Every benchmark name in ``sentence``, in text order, from the vocabulary's matches
    (``known``) and from the shape and place of the other words; words inside a metric's name
    (``metrics``: "Top-1 accuracy") are no benchmark."""
    shapes = benchmark_shapes()
    tokens = _tokens(sentence)
    names: list[Name] = []
    for start, end, surface in known:  # "DAVIS" + " 2017", "GPQA" + " Diamond"
        last = _name_end(tokens, _index_after(tokens, end) - 1, shapes["split"]) if tokens else -1
        stop = max(end, tokens[last][1]) if last >= 0 else end
        names.append((start, stop, sentence[start:stop], KNOWN))
    blocked = [(start, end) for start, end, _, _ in names] + [(start, end) for start, end, _ in metrics or []]
    taken = [any(s <= start < e for s, e in blocked) for start, _, _ in tokens]
    known_starts = {start for start, _, _, _ in names}
    before, nouns = shapes["before"], shapes["noun"]
    in_place = False  # after "on", "across", ... and along the list of names that follows
    index = 0
    while index < len(tokens):
        start, end, word = tokens[index]
        if taken[index]:
            in_place = in_place or start in known_starts
            index += 1
            continue
        found = _known_at(sentence, tokens, index, taken)
        if found:
            names.append(found)
            in_place = True
            index = _index_after(tokens, found[1])
            continue
        strength = SHAPED if _has_benchmark_ending(word) and word not in _excluded() else 0
        if not strength and _name_shaped(word) and (
                (in_place and _continues_list(sentence, tokens, index)) or _noun_follows(sentence, end, nouns)
                or _VALUE_AFTER.match(sentence, end)
                or (_VALUE_BEFORE.search(sentence, max(0, start - 16), start) and _LIST_END.match(sentence, end))):
            strength = PLACED
        if strength:
            last = _name_end(tokens, index, shapes["split"])
            names.append((start, tokens[last][1], sentence[start:tokens[last][1]], strength))
            in_place = True
            index = last + 1
            continue
        lowered = word.lower()
        if lowered in before or (lowered == "the" and in_place) or (lowered == "of" and _SPLIT_BEFORE.search(sentence, 0, start)):
            in_place = True
        elif not (in_place and lowered in ("and", "or")):
            in_place = False
        index += 1
    names.extend(_listed_before_nouns(sentence, tokens, names, taken, nouns))
    names.sort()
    return names


def _continues_list(sentence: str, tokens: list[tuple[int, int, str]], index: int) -> bool:
    """After 'on X' and a comma, a word is the next name of the list only if what follows it can
    follow a name ('on A, B and C', 'on A, B, our model ...'); 'On X, Method improves' is no list."""
    start = tokens[index][0]
    previous_end = tokens[index - 1][1] if index else 0
    if not sentence[previous_end:start].strip().startswith(","):
        return True  # "on X and Y", "on the X"
    follower = tokens[index + 1][2].lower() if index + 1 < len(tokens) else ""
    gap = sentence[tokens[index][1]:tokens[index + 1][0]] if index + 1 < len(tokens) else ""
    return not follower or bool(gap.strip()) or follower in _FOLLOWERS


_FOLLOWERS: Final = frozenset({"and", "or", "respectively", "with", "using", "under", "in", "on", "for", "at",
                               "by", "while", "where", "when", "as", "the", "to", "from", "via", "without"})
_VALUE_AFTER: Final = re.compile(r"\s*(?:\([^()\d]{0,30}\)\s*)?(?:by\s+|:\s*|\(\s*)[+-]?[0-9]")
_LIST_END: Final = re.compile(r"\s*(?:[,;)]|and\b|or\b|\.?$)")  # "48.5% OSWorld," but not "10x FLOP reduction"
_VALUE_BEFORE: Final = re.compile(r"[0-9](?:\s*(?:\\?%|x|×|points?|pts?|pp))?\s+$")


def _known_at(sentence: str, tokens: list[tuple[int, int, str]], index: int, taken: list[bool]) -> Name | None:
    """A listed benchmark written another way ('AIME2024', 'SWE-Bench-Verified', 'MMLU Pro')."""
    for size in (3, 2, 1):
        last = index + size - 1
        if last >= len(tokens) or any(taken[index:last + 1]):
            continue
        if size > 1 and not sentence[tokens[index][1]:tokens[last][0]].isspace():
            continue  # "MMLU Pro" but not "MMLU, Pro"
        text = sentence[tokens[index][0]:tokens[last][1]]
        if _known_by_key(text):
            last = _name_end(tokens, last, benchmark_shapes()["split"])  # "Youtube-VOS 2018"
            return tokens[index][0], tokens[last][1], sentence[tokens[index][0]:tokens[last][1]], KNOWN
    return None


def _index_after(tokens: list[tuple[int, int, str]], end: int) -> int:
    index = 0
    while index < len(tokens) and tokens[index][0] < end:
        index += 1
    return index


def _name_end(tokens: list[tuple[int, int, str]], index: int, split_words: frozenset[str]) -> int:
    """The last token of a name: 'SWE-bench Verified', 'DAVIS 2017', 'NYU-Depth V2'."""
    last = index
    while last + 1 < len(tokens) and tokens[last + 1][0] == tokens[last][1] + 1:
        following = tokens[last + 1][2]
        if following in split_words or _VERSION.fullmatch(following):
            last += 1
        else:
            break
    return last


def _noun_follows(sentence: str, end: int, nouns: frozenset[str]) -> bool:
    """'CrowPose dataset', 'the VisA and the MVTec AD datasets'."""
    rest = sentence[end:end + 40].split()
    for count in (2, 1):
        if len(rest) >= count and " ".join(rest[:count]).strip(".,;:)").lower() in nouns:
            return True
    return False


def _listed_before_nouns(sentence: str, tokens: list[tuple[int, int, str]], names: list[Name], taken: list[bool],
                         nouns: frozenset[str]) -> list[Name]:
    """Capitalized names listed right before a benchmark noun: 'the Calvin benchmark', 'for Kumar,
    CoNSep, and CPM-17 datasets', 'on City Persons and Euro City Person datasets'."""
    found: list[Name] = []
    named = [False] * len(tokens)
    for index, (start, _, _) in enumerate(tokens):
        named[index] = taken[index] or any(s <= start < e for s, e, _, _ in names)
    index = 0
    while index < len(tokens):
        if not _noun_follows(sentence, tokens[index][1], nouns) or not _capitalized(tokens[index][2]):
            index += 1
            continue
        last = index  # walk back over the list: names of capitalized words joined by list words
        while True:
            first = last
            while first > 0 and _capitalized(tokens[first - 1][2]) and sentence[tokens[first - 1][1]:tokens[first][0]] == " ":
                first -= 1
            if not any(named[first:last + 1]):
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
        index += 1
    return found


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


def _name_after(sentence: str, names: list[Name], start: int, end: int) -> str:
    """'8.8% on GPQA', '84.8% top-1 accuracy on ImageNet-1K': the name the claim's own phrase ends on."""
    stop = _OWN_PHRASE_END.search(sentence, end)
    limit = stop.start() if stop else len(sentence)
    for name_start, _, surface, _ in names:
        if end <= name_start <= limit and _ON_BEFORE.search(" " + sentence[end:name_start]):
            return surface
    return ""


def _parallel_names(sentence: str, names: list[Name], claims: list[tuple[int, int, str]]) -> list[str]:
    """Names listed in the order of the values: after them ('on A, B and C'), or before them when
    the sentence says 'respectively'. Empty when no list of as many names is there."""
    count = len(claims)
    after = [name for name in names if name[0] >= claims[-1][1]]
    listed = _name_list(sentence, after)
    if len(listed) == count:
        return listed
    if "respectively" in sentence:
        before = [name for name in names if name[1] <= claims[0][0]]
        lists = _name_lists(sentence, before)
        if lists and len(lists[-1]) == count:
            return lists[-1]
    return []


def _name_list(sentence: str, names: list[Name]) -> list[str]:
    """The first run of names joined only by list words ('A, B, and C')."""
    lists = _name_lists(sentence, names)
    return lists[0] if lists else []


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
    for name_start, name_end, surface, _ in names:
        if name_end <= start and _PAREN_BEFORE.fullmatch(sentence, name_end, start):
            return surface
    return ""


def _nearest(sentence: str, names: list[Name], start: int, end: int) -> tuple[str, bool]:
    """The nearest name in the claim's clause, else in the sentence; and whether it is in the clause."""
    best, best_distance, best_in_clause = "", 0, False
    for name_start, name_end, surface, _ in names:
        distance = name_start - end if name_start >= end else max(0, start - name_end)
        between = sentence[end:name_start] if name_start >= end else sentence[name_end:start]
        in_clause = not _CLAUSE_BREAK.search(between)
        if not best or (in_clause, -distance) > (best_in_clause, -best_distance):
            best, best_distance, best_in_clause = surface, distance, in_clause
    return best, best_in_clause
