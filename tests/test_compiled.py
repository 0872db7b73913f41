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


def make_package(tmp_path: Path, source_age: float, extension_age: float) -> Path:
    """A directory with every compiled module's .py and extension, of the given ages in seconds."""
    suffix = _loader.importlib.machinery.EXTENSION_SUFFIXES[0]
    now = 1_800_000_000
    for module in _loader.COMPILED_MODULES:
        for name, age in ((f"{module}.py", source_age), (f"{module}{suffix}", extension_age)):
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


def test_a_stale_build_warns_and_imports_sources(tmp_path, monkeypatch):
    package = make_package(tmp_path, source_age=10, extension_age=100)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert _loader.choose_modules("stale_pkg", str(package)) == "source"
    assert any("older than its sources" in str(w.message) for w in caught)
    spec = sys.meta_path[0].find_spec("stale_pkg.engine")
    assert spec is not None and spec.origin == str(package / "engine.py")
    assert sys.meta_path[0].find_spec("stale_pkg.vocab") is None  # only the compiled modules


def test_pure_python_is_chosen_on_request_without_warning(tmp_path, monkeypatch):
    package = make_package(tmp_path, source_age=100, extension_age=10)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.setenv("CLAIMKIT_PURE_PYTHON", "1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _loader.choose_modules("pure_pkg", str(package)) == "source"
