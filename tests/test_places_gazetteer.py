"""GeoNames import: formats, re-imports, and bad files that change nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reckon.errors import FormatError, InputError
from reckon.places.gazetteer import read_geonames, strip_admin_words
from reckon.places.tables import gazetteer_names, gazetteer_places

pytestmark = pytest.mark.issue(3)

FIXTURES = Path(__file__).parent / "fixtures" / "gazetteer"
SY = FIXTURES / "sy_sample.txt"


def count(r, table=gazetteer_places) -> int:
    with r.store.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_import_reads_every_row(r) -> None:
    res = r.places.import_geonames(SY)
    assert (res.added, res.updated) == (17, 0)
    assert count(r) == 17


def test_reimport_updates_and_never_duplicates(r) -> None:
    r.places.import_geonames(SY)
    n_names = count(r, gazetteer_names)
    res = r.places.import_geonames(SY)
    assert (res.added, res.updated) == (0, 17)
    assert count(r) == 17
    assert count(r, gazetteer_names) == n_names


def test_imported_place_gets_english_admin1_name(r) -> None:
    r.places.import_geonames(SY)
    p = r.places.get("gn:166712")
    assert p is not None and (p.name, p.admin1, p.country, p.source) == ("Mukhtārīyah", "Latakia", "SY", "import")


def test_zip_dump_is_read(r, tmp_path: Path) -> None:
    z = tmp_path / "SY.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("readme.txt", "not data")
        zf.write(SY, "SY.txt")
    assert r.places.import_geonames(z).added == 17


def test_header_row_and_extra_columns_are_tolerated(r) -> None:
    res = r.places.import_geonames(FIXTURES / "lb_header.tsv")
    assert res.added == 2
    akkar = r.places.get("wof:85673875")  # no GeoNames id: the WOF id names it
    assert akkar is not None and akkar.kind == "admin1" and akkar.admin1 == "Akkar"


def test_alternate_names_file_adds_spellings(r) -> None:
    r.places.import_geonames(SY, alternate_names=FIXTURES / "alternate_names.txt")
    assert "gn:166712" in [p.id for p in r.places.search("Al-Mukhtareyah")]


def test_truncated_file_names_its_line_and_changes_nothing(r, tmp_path: Path) -> None:
    r.places.import_geonames(SY)
    lines = SY.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "SY.txt"
    bad.write_text("\n".join(lines[:5] + [lines[5][:40]]) + "\n", encoding="utf-8")  # cut mid-row
    before = count(r), count(r, gazetteer_names)
    with pytest.raises(FormatError) as exc:
        r.places.import_geonames(bad)
    assert exc.value.line == 6 and "19 tab-separated columns" in str(exc.value)
    assert (count(r), count(r, gazetteer_names)) == before


def test_bad_coordinate_is_reported_with_line_and_field(tmp_path: Path) -> None:
    row = SY.read_text(encoding="utf-8").splitlines()[0].split("\t")
    row[4] = "north"
    bad = tmp_path / "bad.txt"
    bad.write_text("\t".join(row) + "\n", encoding="utf-8")
    with pytest.raises(FormatError) as exc:
        list(read_geonames(bad))
    assert (exc.value.line, exc.value.field) == (1, "latitude")


def test_malformed_file_leaves_an_empty_gazetteer_empty(r, tmp_path: Path) -> None:
    bad = tmp_path / "x.txt"
    bad.write_bytes(SY.read_bytes() + b"12\tbroken\n")
    with pytest.raises(FormatError):
        r.places.import_geonames(bad)
    assert count(r) == 0


def test_missing_file_is_an_input_error(r, tmp_path: Path) -> None:
    with pytest.raises(InputError):
        r.places.import_geonames(tmp_path / "nope.txt")


def test_admin_words_are_stripped() -> None:
    assert strip_admin_words("Homs Governorate") == "Homs"
    assert strip_admin_words("Caza de Zahleh") == "Zahleh"
    assert strip_admin_words("محافظة حمص") == "حمص"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(alphabet=st.characters(blacklist_characters="\t\n\r", blacklist_categories=("Cs",)), max_size=12), min_size=0,
                         max_size=22), max_size=5))
def test_any_tab_separated_text_parses_or_fails_cleanly(tmp_path: Path, rows: list[list[str]]) -> None:
    p = tmp_path / "any.txt"
    p.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    try:
        out = list(read_geonames(p))
    except InputError as exc:
        assert exc.line is not None and exc.line >= 1
    else:
        assert all(-90 <= r.lat <= 90 and r.id for r in out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_the_reader(tmp_path: Path, data: bytes) -> None:
    p = tmp_path / "bytes.txt"
    p.write_bytes(data)
    try:
        list(read_geonames(p))
    except InputError:
        pass


def test_disk_cache_builds_once_rebuilds_a_damaged_file_and_drops_former_versions(tmp_path, monkeypatch) -> None:
    from reckon.places import gazetteer

    monkeypatch.setenv("RECKON_CACHE_DIR", str(tmp_path))
    calls = []

    def build() -> dict:
        calls.append(1)
        return {"built": len(calls)}

    former = tmp_path / "demo-v0-0000000000-old.pickle"
    former.write_bytes(b"left by an older release")
    assert gazetteer._disk_cached("demo", build, dict) == {"built": 1}
    assert gazetteer._disk_cached("demo", build, dict) == {"built": 1} and len(calls) == 1  # read back, not built
    assert not former.exists()
    (current,) = tmp_path.glob("demo-v*.pickle")
    current.write_bytes(b"\x80\x05damaged")
    assert gazetteer._disk_cached("demo", build, dict) == {"built": 2}  # a damaged file is built again
    assert gazetteer._disk_cached("demo", build, list) == {"built": 3}  # so is one holding something else
