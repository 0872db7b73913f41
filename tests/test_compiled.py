"""The compiled extractor (mypyc, built by setup.py) gives exactly the claims of its sources.

CI sets CLAIMKIT_REQUIRE_COMPILED=1: there the build must have produced the extensions, so a
broken compile cannot pass unnoticed as a slow pure-Python install.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import claimkit.extract
from claimkit import corpus
from claimkit.extract import _loader, find_claims
from claimkit.readers import read_papers

CLAIMS_OF_SEED = """
import json, sys
from claimkit import corpus
from claimkit.extract import BUILD, find_claims
from claimkit.readers import read_papers
papers = read_papers(corpus.SEED_PAPERS)
texts = list(papers["title"]) + list(papers["abstract"])
json.dump({"build": BUILD, "claims": [[list(c) for c in find_claims(t)] for t in texts]}, sys.stdout)
"""


def seed_claims_in_subprocess(**env: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CLAIMS_OF_SEED], capture_output=True, text=True, check=True,
                          env={**os.environ, **env})
    return json.loads(done.stdout)


def test_compiled_build_is_in_use_when_required():
    if os.environ.get("CLAIMKIT_REQUIRE_COMPILED") != "1" and claimkit.extract.BUILD != "compiled":
        pytest.skip("extensions not built here (pip install -e . builds them)")
    assert claimkit.extract.BUILD == "compiled"
    assert Path(claimkit.extract.engine.__file__).suffix != ".py"


def test_sources_give_the_claims_of_the_compiled_build():
    papers = read_papers(corpus.SEED_PAPERS)
    texts = list(papers["title"]) + list(papers["abstract"])
    here = json.loads(json.dumps([[list(c) for c in find_claims(t)] for t in texts]))
    source = seed_claims_in_subprocess(CLAIMKIT_PURE_PYTHON="1")
    assert source["build"] == "source"
    assert sum(map(len, here)) > 150  # a non-vacuous comparison
    assert source["claims"] == here


# Texts where the builds once disagreed, and their kin: characters that re and regex read
# differently (superscripts, other Unicode digits and spaces next to scales and units).
HOSTILE = ["8 billion² TPU", "8 billion³ GPUs", "3 times² faster", "7 B² params", "12 percent¹ more",
           "40 fold٣ less", "2 million images", "GPT4. 70B", "5 points² higher", "9 mm² error",
           "10 thousand⁰ pairs", "1.5 billion tokens", "3x² faster on ＧＰＵ"]

CLAIMS_OF_TEXTS = """
import json, sys
from claimkit.extract import BUILD, find_claims
texts = json.loads(sys.argv[1])
json.dump({"build": BUILD, "claims": [[list(c) for c in find_claims(t)] for t in texts]}, sys.stdout)
"""


def test_the_builds_agree_on_characters_re_and_regex_read_differently():
    done = subprocess.run([sys.executable, "-c", CLAIMS_OF_TEXTS, json.dumps(HOSTILE)], capture_output=True,
                          text=True, check=True, env={**os.environ, "CLAIMKIT_PURE_PYTHON": "1"})
    source = json.loads(done.stdout)
    assert source["build"] == "source"
    assert source["claims"] == json.loads(json.dumps([[list(c) for c in find_claims(t)] for t in HOSTILE]))


def make_package(tmp_path: Path, source_age: float, extension_age: float, checkout: bool = True) -> Path:
    """``pkg/extract`` with every compiled module's source and extension, of the given ages in
    seconds, in a source checkout (a setup.py two levels up) or an installed package."""
    suffix = _loader.importlib.machinery.EXTENSION_SUFFIXES[0]
    now = 1_800_000_000
    if checkout:
        (tmp_path / "setup.py").write_text("")
    tmp_path = tmp_path / "pkg" / "extract"
    tmp_path.mkdir(parents=True)
    sources = {**{module: f"{module}.py" for module in _loader.COMPILED_MODULES}, **_loader.C_MODULES}
    for module, source in sources.items():
        for name, age in ((source, source_age), (f"{module}{suffix}", extension_age)):
            path = tmp_path / name
            path.write_text("")
            os.utime(path, (now - age, now - age))
    return tmp_path


@pytest.mark.parametrize("source_age, extension_age, current", [
    (100, 10, True),     # built after the last edit
    (10, 100, False),    # a source edited after the build
    (100, 100, True),    # same second
])
def test_compiled_is_current_only_when_built_after_every_edit(tmp_path, source_age, extension_age, current):
    assert _loader.compiled_is_current(make_package(tmp_path, source_age, extension_age)) is current


def test_an_installed_package_is_current_whatever_order_its_files_were_unpacked_in(tmp_path):
    assert _loader.compiled_is_current(make_package(tmp_path, source_age=10, extension_age=100, checkout=False))


def test_a_missing_extension_is_never_current(tmp_path):
    package = make_package(tmp_path, source_age=100, extension_age=10, checkout=False)
    next(package.glob("engine.*[!y]")).unlink()  # the extension, not engine.py
    assert not _loader.compiled_is_current(package)


def test_a_stale_build_warns_and_imports_sources(tmp_path, monkeypatch):
    package = make_package(tmp_path, source_age=10, extension_age=100)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.delenv("CLAIMKIT_PURE_PYTHON", raising=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert _loader.choose_modules("stale_pkg", str(package)) == "source"
    assert any("older than its sources" in str(w.message) for w in caught)
    spec = sys.meta_path[0].find_spec("stale_pkg.engine")
    assert spec is not None and spec.origin == str(package / "engine.py")
    assert sys.meta_path[0].find_spec("stale_pkg.vocab") is None  # only the compiled modules
    with pytest.raises(ModuleNotFoundError):
        sys.meta_path[0].find_spec("stale_pkg._scan")  # C without a Python twin: numbers.py falls back


def test_pure_python_is_chosen_on_request_without_warning(tmp_path, monkeypatch):
    package = make_package(tmp_path, source_age=100, extension_age=10)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.setenv("CLAIMKIT_PURE_PYTHON", "1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _loader.choose_modules("pure_pkg", str(package)) == "source"


# The C word search (_scan.c) against the str.find loop it replaces.

from hypothesis import given, settings, strategies as st  # noqa: E402

from claimkit.extract import numbers  # noqa: E402

TRIGGERS = numbers._WORD_TRIGGERS
c_scan = pytest.mark.skipif(numbers.C_FIND_WORDS is None, reason="the C helper _scan is not built here")


def find_loop(text: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """str.find per word in the text with its ASCII capitals lowered (and nothing else)."""
    text = "".join(c.lower() if "A" <= c <= "Z" else c for c in text)
    hits = []
    for index, word in enumerate(words):
        position = text.find(word)
        while position >= 0:
            hits.append((position, index))
            position = text.find(word, position + 1)
    return sorted(hits)


def test_c_word_search_is_built_when_required():
    if os.environ.get("CLAIMKIT_REQUIRE_COMPILED") == "1":
        assert numbers.C_FIND_WORDS is not None


@c_scan
@pytest.mark.parametrize("text", [
    "", "da", "day", "today", "a single gpu", "twotimestimes", "dayday", "hundredthousand",
    "ünïcode day ½ gpu", "emoji 😀 tpus 😀", "daY DAY day", "single" * 50, "A SINGLE GPU", "TWO-FOLD",
    "\u212a \u0130 SİNGLE", "ＧＰＵ",  # Kelvin sign, dotted capital I, full-width letters: not folded
])
def test_c_word_search_finds_what_str_find_finds(text):
    assert numbers.C_FIND_WORDS(text, TRIGGERS) == find_loop(text, TRIGGERS)


@pytest.mark.parametrize("text", ["A SINGLE GPU", "Ten-Fold, ONE THOUSAND", "\u212a SİNGLE ＧＰＵ gpu", ""])
def test_the_python_fallback_finds_what_the_c_search_finds(text, monkeypatch):
    monkeypatch.setattr(numbers, "C_FIND_WORDS", None)
    assert sorted(numbers.trigger_hits(text)) == find_loop(text, TRIGGERS)


@c_scan
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("dayguptimesfoldhrDAYGPU -.") + ["é", "😀", "Ω", "İ", "single", "TRILLION"]),
                max_size=40).map("".join))
def test_c_word_search_agrees_on_any_text(text):
    assert numbers.C_FIND_WORDS(text, TRIGGERS) == find_loop(text, TRIGGERS)


@c_scan
@pytest.mark.parametrize("words, message", [
    (("ab",), "3 or more characters"),
    (("déjà",), "ASCII"),
    (("GPU",), "lower case"),
    (tuple(f"w{index:03d}" for index in range(65)), "at most 64 words"),
])
def test_c_word_search_rejects_words_it_cannot_search(words, message):
    with pytest.raises(ValueError, match=message):
        numbers.C_FIND_WORDS("text", words)


# digit_runs (C) and the re matches at those digits against the regex module's own scan.

NUMBERISH = st.lists(st.sampled_from(list("0123456789 .,-e+%xX×kKMBT") + [" billion", " times", "-fold", " pts",
                                                                     "\\%", "$\\times$", "ms", "é", "٣", " "]),
                     max_size=30).map("".join)


def digit_runs_by_python(text: str) -> list[int]:
    return [index for index, char in enumerate(text)
            if "0" <= char <= "9" and not (index and "0" <= text[index - 1] <= "9")]


@c_scan
@settings(max_examples=300, deadline=None)
@given(NUMBERISH)
def test_c_digit_runs_start_where_python_says(text):
    assert numbers.C_DIGIT_RUNS(text) == digit_runs_by_python(text)


@settings(max_examples=500, deadline=None)
@given(NUMBERISH)
def test_digit_matches_are_the_regex_scan(text):
    expected = [(m.span(), m.groups()) for m in numbers.DIGIT_SCAN.finditer(text)]
    assert [(m.span(), m.groups()) for m in numbers.digit_matches(text)] == expected


def test_c_digit_runs_is_built_when_required():
    if os.environ.get("CLAIMKIT_REQUIRE_COMPILED") == "1":
        assert numbers.C_DIGIT_RUNS is not None


# words (C) against the Python twin benchmarks.py keeps.

from claimkit.extract import benchmarks  # noqa: E402

WORDISH = st.lists(st.sampled_from(list("aBz09 .-+/'’_,:()") + ["'s", "’s", "é", "Ω", "τ²", "😀", "İ", "Bench", "the ",
                                                                "28.1", "gpt4", "and/or"]),
                   max_size=40).map("".join)
c_words = pytest.mark.skipif(benchmarks.C_WORDS is None, reason="the C helper _scan is not built here")


@c_words
@settings(max_examples=500, deadline=None)
@given(WORDISH, st.booleans())
def test_c_words_are_the_python_words(text, names_only):
    assert benchmarks.C_WORDS(text, names_only) == benchmarks.words_by_python(text, names_only)


@c_words
@pytest.mark.parametrize("text, names_only, expected", [
    ("We reach 28.1% on AIME2024's test set.", True, ["We", "AIME2024"]),
    ("the model's score on τ-bench and foo-bench", True, ["τ-bench", "foo-bench"]),
    ("A.B. e.g. c++ end.", False, ["A.B", "e.g", "c++", "end"]),
])
def test_c_words_reads_names_as_benchmarks_py_does(text, names_only, expected):
    assert [text[start:end] for start, end in benchmarks.C_WORDS(text, names_only)] == expected


def test_c_words_is_built_when_required():
    if os.environ.get("CLAIMKIT_REQUIRE_COMPILED") == "1":
        assert benchmarks.C_WORDS is not None
