"""Writing the claims table: format by suffix, atomic replace, ordinary file permissions."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from claimkit import extract_claims
from claimkit.errors import InputError
from claimkit.io import write_claims

PAPERS = pd.DataFrame({"paper": ["p1"], "title": ["Fast"], "abstract": ["It is 3.2x faster on 8 V100 GPUs."]})


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_written_file_has_the_usual_permissions(tmp_path, suffix: str) -> None:
    target = tmp_path / f"claims{suffix}"
    write_claims(extract_claims(PAPERS), target)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path) -> None:
    target = tmp_path / "claims.parquet"
    target.write_text("old result")
    not_a_table = pd.DataFrame({"bad": [object()]})  # pyarrow cannot write a bare object
    with pytest.raises(Exception):
        write_claims(not_a_table, target)
    assert target.read_text() == "old result"
    assert [p.name for p in tmp_path.iterdir()] == ["claims.parquet"]


def test_unknown_suffix_is_an_input_error(tmp_path) -> None:
    with pytest.raises(InputError, match=r"claims\.xlsx"):
        write_claims(extract_claims(PAPERS), tmp_path / "claims.xlsx")
