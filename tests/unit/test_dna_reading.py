"""The case reader treats its files as hostile: every problem named by file, row and field."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from parley.dna.reading import read_case
from parley.domain.errors import ImportRejected

GOOD = {
    "pedigree.csv": "component,id,fid,mid,sex\nPM,V1,0,0,1\nF1,FA,0,0,1\nF1,MO,0,0,2\n"
    "F1,M1,FA,MO,1\n",
    "genotypes.csv": "component,id,marker,allele1,allele2\nPM,V1,L1,1,2\nF1,FA,L1,1,1\n",
    "freqs.csv": "marker,allele,freq\nL1,1,0.25\nL1,2,0.75\n",
    "mutation.csv": "marker,sex,model,rate\nL1,male,equal,0.001\nL1,female,none,\n",
    "missing.csv": "missing\nM1\n",
}


def write(folder: Path, **changes: str) -> Path:
    for name, text in {**GOOD, **{k.replace("_", "."): v for k, v in changes.items()}}.items():
        (folder / name).write_text(text)
    return folder


def problems(folder: Path) -> tuple[str, list[tuple[int, str]]]:
    with pytest.raises(ImportRejected) as caught:
        read_case(folder)
    return caught.value.file, [(p.row, p.field) for p in caught.value.problems]


def test_a_good_case_reads(tmp_path: Path) -> None:
    case = read_case(write(tmp_path))
    assert [v.id for v in case.victims] == ["V1"]
    assert case.missing == ("M1",)
    assert case.markers[0].male_mutation is not None
    assert case.markers[0].female_mutation is None
    assert case.families[0].profiles["FA"] == {0: (0, 0)}


def test_an_allele_missing_from_the_table_gets_the_minimum_frequency(tmp_path: Path) -> None:
    folder = write(tmp_path, genotypes_csv="component,id,marker,allele1,allele2\nPM,V1,L1,1,9\n")
    marker = read_case(folder, min_allele_frequency=0.01).markers[0]
    assert marker.alleles == ("1", "2", "9")
    np.testing.assert_allclose(marker.frequencies, np.array([0.25, 0.75, 0.01]) / 1.01)


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        ("freqs.csv", "marker,allele\nL1,1\n", [(1, "freq")]),
        ("freqs.csv", "marker,allele,freq\nL1,1,abc\nL1,2,1\n", [(2, "freq")]),
        ("freqs.csv", "marker,allele,freq\nL1,1,-0.5\nL1,2,1.5\n", [(2, "freq"), (3, "freq")]),
        ("freqs.csv", "marker,allele,freq\nL1,1,0.5\nL1,2,0.2\n", [(2, "freq")]),
        ("freqs.csv", "marker,allele,freq\nL1,1,0.5\nL1,1,0.5\n", [(3, "allele"), (2, "freq")]),
        ("freqs.csv", "marker,allele,freq\nL1,1,nan\nL1,2,1\n", [(2, "freq")]),
        ("mutation.csv", "marker,sex,model,rate\nL1,male,wild,0.1\n", [(2, "model")]),
        ("mutation.csv", "marker,sex,model,rate\nL1,male,equal,x\n", [(2, "rate")]),
        ("mutation.csv", "marker,sex,model,rate\nL9,male,equal,0.1\n", [(2, "marker")]),
        ("mutation.csv", "marker,sex,model,rate\nL1,both,equal,0.1\n", [(2, "sex")]),
        (
            "pedigree.csv",
            "component,id,fid,mid,sex\nPM,V1,0,0,3\nF1,FA,0,0,1\nF1,MO,0,0,2\nF1,M1,FA,MO,1\n",
            [(2, "sex")],
        ),
        (
            "pedigree.csv",
            "component,id,fid,mid,sex\nPM,V1,0,0,1\nF1,FA,0,0,1\nF1,MO,0,0,2\nF1,M1,XX,MO,1\n",
            [(5, "fid")],
        ),
        (
            "pedigree.csv",
            "component,id,fid,mid,sex\nPM,V1,0,0,1\nF1,FA,0,0,1\nF1,MO,0,0,2\nF1,M1,MO,FA,1\n",
            [(5, "fid"), (5, "mid")],
        ),
        (
            "pedigree.csv",
            "component,id,fid,mid,sex\nPM,V1,0,0,1\nF1,FA,0,0,1\nF1,FA,0,0,1\nF1,MO,0,0,2\n"
            "F1,M1,FA,MO,1\n",
            [(4, "id")],
        ),
        (
            "pedigree.csv",
            "component,id,fid,mid,sex\nPM,V1,0,0,1\nF1,FA,M1,MO,1\nF1,MO,0,0,2\nF1,M1,FA,MO,1\n",
            [(0, "fid")],
        ),
        (
            "pedigree.csv",
            "component,id,fid,mid,sex\nPM,V1,0,0,1\nF1,FA,0,0,1\nF1,MO,0,0,2\nF1,M1,FA,0,1\n",
            [(5, "mid")],
        ),
        (
            "genotypes.csv",
            "component,id,marker,allele1,allele2\nPM,V9,L1,1,2\nF1,FA,L9,1,1\nF1,MO,L1,,1\n",
            [(2, "id"), (3, "marker"), (4, "allele1")],
        ),
        (
            "genotypes.csv",
            "component,id,marker,allele1,allele2\nPM,V1,L1,1,2\nPM,V1,L1,1,1\n",
            [(3, "marker")],
        ),
        ("missing.csv", "missing\nM7\n", [(2, "missing")]),
        ("missing.csv", "missing\nFA\n", [(2, "missing")]),
        ("missing.csv", "person\nM1\n", [(1, "missing")]),
    ],
)
def test_every_problem_names_file_row_and_field(
    tmp_path: Path, file: str, text: str, expected: list[tuple[int, str]]
) -> None:
    folder = write(tmp_path, **{file.replace(".", "_"): text})
    name, found = problems(folder)
    assert name == file
    assert found == expected


def test_a_ragged_row_and_an_unreadable_file_are_reported(tmp_path: Path) -> None:
    folder = write(tmp_path, freqs_csv="marker,allele,freq\nL1,1\nL1,2,1\n")
    assert problems(folder) == ("freqs.csv", [(2, "*")])
    (tmp_path / "freqs.csv").write_bytes(b"marker,allele,freq\n\xff\xfe,1,1\n")
    assert problems(folder) == ("freqs.csv", [(0, "*")])
