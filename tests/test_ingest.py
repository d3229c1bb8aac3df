"""Ingest: readers, encodings, content addressing, bad input."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reckon
from reckon.ingest.decode import decode_bytes
from reckon.ingest.readers import parse_date_field
from reckon.errors import DecodeError, FormatError, InputError


def test_txt_header_lines_become_metadata(r, write):
    p = write("report.txt", "date: 2024-05-02\nurl: https://example.org/a\ntitle: Raid\n\nGunmen raided Kadugli.\n")
    res = r.ingest([p])
    assert res.added == 1 and not res.problems
    (d,) = r.documents()
    assert (d.doc, str(d.date), d.url, d.title) == ("report", "2024-05-02", "https://example.org/a", "Raid")
    assert d.text == "Gunmen raided Kadugli.\n"
    assert d.language == "en"


def test_same_content_twice_is_stored_once(r, write):
    a = write("a.txt", "Militia fighters burned three houses in Jebel Marra on Monday.")
    b = write("copy/b.txt", "Militia fighters burned three houses in Jebel Marra on Monday.")
    assert r.ingest([a]).added == 1
    res = r.ingest([a, b])
    assert res.added == 0 and res.duplicates == 2
    assert len(r.documents()) == 1


def test_jsonl_lines_are_documents_and_bad_lines_are_reported(r, write):
    lines = [
        json.dumps({"id": "n1", "text": "Police fired on protesters in Yangon.", "date": "2021-03-14"}),
        "{not json",
        json.dumps({"id": "n3", "title": "no text"}),
        json.dumps({"id": "n4", "text": "Shelling hit Kharkiv overnight.", "date": "32 March"}),
        json.dumps({"text": "Two killed in Port-au-Prince."}),
    ]
    p = write("feed.jsonl", "\n".join(lines) + "\n")
    res = r.ingest([p])
    assert res.added == 2
    msgs = [str(x) for x in res.problems]
    assert any("feed.jsonl:2" in m and "malformed JSON" in m for m in msgs)
    assert any("feed.jsonl:3" in m and '"text"' in m for m in msgs)
    assert any("feed.jsonl:4" in m and "not a date" in m for m in msgs)
    assert sorted(d.doc for d in r.documents()) == ["feed-5", "n1"]
    assert res.failed


def test_html_main_text_without_scripts(r, write):
    html = (
        "<html><head><title>Clashes in Goma</title></head><body><nav>Home | World | Sport</nav>"
        "<article><h1>Clashes in Goma</h1><p>Fighting between M23 rebels and the army killed at least twelve people "
        "in Goma on Tuesday, hospital staff said.</p><p>Residents fled towards Sake as shells fell near the airport, "
        "and aid groups suspended their work in the city.</p></article>"
        "<script>var tracking = 'secret';</script><footer>Copyright 2024</footer></body></html>"
    )
    res = r.ingest([write("goma.html", html)])
    assert res.added == 1, res.problems
    (d,) = r.documents()
    assert "M23 rebels" in d.text and "tracking" not in d.text and "Copyright" not in d.text


@pytest.mark.parametrize("encoding,bom", [("utf-16", b""), ("utf-8-sig", b"")])
def test_unicode_with_bom(r, write, encoding, bom):
    text = "Des hommes armés ont tué cinq personnes. Armed men killed five people in Bamako on Friday."
    res = r.ingest([write("bom.txt", text.encode(encoding))])
    assert res.added == 1
    assert r.documents()[0].text == text


def test_cp1256_arabic_is_detected(r, write):
    text = "قتل خمسة مدنيين في قصف على مدينة إدلب يوم الجمعة، وأصيب عشرة آخرون بجروح."
    res = r.ingest([write("ar.txt", text.encode("cp1256"))])
    assert res.added == 1, res.problems
    (d,) = r.documents()
    assert d.text == text and d.encoding == "cp1256" and d.language == "ar"


@pytest.mark.parametrize(
    "name,content,code",
    [("empty.txt", b"", "R105"), ("blank.txt", b"  \n\n", "R105"), ("bin.txt", bytes(range(256)) * 4, "R106"), ("x.pdf", b"%PDF-1.4", "R110")],
)
def test_bad_files_are_named_and_the_rest_goes_on(r, write, name, content, code):
    good = write("good.txt", "Security forces arrested twenty people in Khartoum.")
    bad = write(name, content)
    res = r.ingest([bad, good])
    assert res.added == 1 and res.failed
    (p,) = res.problems
    assert p.code == code and name in p.message


def test_file_over_size_limit(tmp_path, write):
    rk = reckon.open(tmp_path / "s.db", settings=reckon.Settings.load(max_file_mb=0.001))
    res = rk.ingest([write("big.txt", "word " * 1000)])
    assert res.added == 0 and res.problems[0].code == "R103" and "limit" in res.problems[0].message


def test_non_english_is_stored_and_extraction_skipped_with_a_note(r, write):
    r.ingest([write("fr.txt", "Des hommes armés ont attaqué un village près de Mopti et tué sept civils, selon des sources locales.")])
    (d,) = r.documents()
    assert d.language == "fr"
    res = r.extract(resolve=False, geocode=False)
    assert res.skipped == 1 and "extraction skipped" in res.notes[0]


def test_missing_path_is_reported(r, tmp_path):
    res = r.ingest([tmp_path / "nope"])
    assert res.failed and "no such file" in res.problems[0].message


def test_parse_date_field_forms():
    assert str(parse_date_field("2025-03-07T10:00:00Z")) == "2025-03-07"
    assert str(parse_date_field("7 March 2025")) == "2025-03-07"
    assert str(parse_date_field("March 7, 2025")) == "2025-03-07"
    with pytest.raises(FormatError):
        parse_date_field("32 March 2025")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=3000))
def test_decode_never_crashes_on_arbitrary_bytes(raw):
    try:
        text, enc = decode_bytes(raw)
        assert isinstance(text, str) and enc
    except InputError:
        pass


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blobs=st.lists(st.binary(max_size=2000), min_size=1, max_size=4))
def test_ingest_of_arbitrary_bytes_never_loses_stored_documents(tmp_path_factory, blobs):
    tmp = tmp_path_factory.mktemp("prop")
    rk = reckon.open(tmp / "p.db")
    keep = tmp / "keep.txt"
    keep.write_text("Armed men abducted four aid workers near Kidal on Sunday.")
    rk.ingest([keep])
    before = [(d.sha256, d.text) for d in rk.documents()]
    paths = []
    for i, b in enumerate(blobs):
        p = tmp / f"f{i}{['.txt', '.jsonl', '.html'][i % 3]}"
        p.write_bytes(b)
        paths.append(p)
    res = rk.ingest(paths)  # must not raise
    after = {(d.sha256, d.text) for d in rk.documents()}
    assert set(before) <= after
    assert res.added + res.duplicates + len(res.problems) >= 0
    rk.close()
