"""Import the extractor compiled (fast) or from source (always current).

setup.py compiles the extractor's modules with mypyc into C extensions that sit beside their
``.py`` files, and builds the C helper ``_scan`` from ``_scan.c``. Python would keep importing
an extension after its source was edited, and compiled modules call each other directly, so
the choice is all or nothing: the sources (without ``_scan``) are imported when
``CLAIMKIT_PURE_PYTHON`` is set, or (with a warning) when, in a source tree, any source is
newer than its extension. ``pip install -e .`` rebuilds the extensions.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import warnings
from pathlib import Path

COMPILED_MODULES = ("endings", "numbers", "cues", "kinds", "benchmarks", "context", "engine")
C_MODULES = {"_scan": "_scan.c"}  # hand-written C, no Python twin: numbers.py falls back without it


def _extension(directory: Path, module: str) -> Path | None:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        candidate = directory / f"{module}{suffix}"
        if candidate.exists():
            return candidate
    return None


def _sources(directory: Path) -> dict[str, Path]:
    return {**{module: directory / f"{module}.py" for module in COMPILED_MODULES},
            **{module: directory / source for module, source in C_MODULES.items()}}


def in_source_tree(directory: Path) -> bool:
    """True for a checkout built in place (``pip install -e .``), where sources get edited; an
    installed wheel unpacks its files in any order, so their times say nothing there."""
    return (directory.parent.parent / "setup.py").exists()


def compiled_is_current(directory: Path) -> bool:
    """True when every compiled module exists and, in a source tree, is at least as new as its source."""
    check_times = in_source_tree(directory)
    for module, source in _sources(directory).items():
        extension = _extension(directory, module)
        if extension is None:
            return False
        if check_times and source.exists() and extension.stat().st_mtime < source.stat().st_mtime:
            return False
    return True


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Finds ``<package>.<module>`` in its ``.py`` file, ahead of any extension beside it."""

    def __init__(self, package: str, directory: Path) -> None:
        self.package, self.directory = package, directory

    def find_spec(self, name: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec | None:
        package, _, module = name.rpartition(".")
        if package != self.package:
            return None
        if module in C_MODULES:
            raise ModuleNotFoundError(f"{name}: the sources are in use, not the compiled build", name=name)
        if module not in COMPILED_MODULES:
            return None
        return importlib.util.spec_from_file_location(name, self.directory / f"{module}.py")


def choose_modules(package: str, directory: str) -> str:
    """Install the source finder when the extensions must not be used; return "compiled" or "source"."""
    where = Path(directory)
    built = any(_extension(where, module) for module in _sources(where))
    if built and not os.environ.get("CLAIMKIT_PURE_PYTHON") and compiled_is_current(where):
        return "compiled"
    if built and not os.environ.get("CLAIMKIT_PURE_PYTHON"):
        warnings.warn("claimkit: the compiled extractor is older than its sources; using the sources "
                      "(slower). Run `pip install -e .` to rebuild.", stacklevel=3)
    if not any(isinstance(finder, _SourceFinder) and finder.package == package for finder in sys.meta_path):
        sys.meta_path.insert(0, _SourceFinder(package, where))
    return "source"
