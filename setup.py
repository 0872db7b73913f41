"""Build hook: compile the extractor's hot modules with mypyc (C extensions, same Python source),
and the one hand-written C helper, ``claimkit/extract/_scan.c`` (a one-pass word search).

The extension modules are optional: without a C compiler the build falls back to the pure
Python modules, which give the same claims more slowly. ``CLAIMKIT_PURE_PYTHON=1`` skips the
compilation on purpose. Everything else about the package lives in pyproject.toml.
"""

import os

from setuptools import Extension, setup

COMPILED = [
    "claimkit/extract/endings.py",
    "claimkit/extract/numbers.py",
    "claimkit/extract/cues.py",
    "claimkit/extract/kinds.py",
    "claimkit/extract/benchmarks.py",
    "claimkit/extract/context.py",
    "claimkit/extract/engine.py",
]


def compiled_extensions() -> list:
    if os.environ.get("CLAIMKIT_PURE_PYTHON"):
        return []
    from mypyc.build import mypycify

    extensions = mypycify(["--ignore-missing-imports", "--follow-imports=silent", *COMPILED],
                          opt_level="3", group_name="claimkit.extract._native")
    extensions.append(Extension("claimkit.extract._scan", ["claimkit/extract/_scan.c"], extra_compile_args=["-O3"]))
    for extension in extensions:
        extension.optional = True  # a failed compile leaves the pure Python module in use
    return extensions


setup(ext_modules=compiled_extensions())
