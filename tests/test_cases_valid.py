"""The golden cases in tests/cases are well-formed: every gold claim follows the annotation guidelines' format.

These tests check the data, not the extractor: a gold file that drifts from its document (a quote
edited away, a typo in an event type, a reversed count) fails here before it can skew a score.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from reckon.model import EVENT_TYPES, SUB_EVENT_TYPES

CASES = Path(__file__).parent / "cases"
FIELDS = (
    "doc",
    "quote",
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "locations",
    "actor1",
    "actor2",
    "fatalities",
    "injured",
    "displaced",
    "reported_by",
)
HEADER = re.compile(r"^(date|title|url)\s*:\s*(.+)$")


def _case_names() -> list[str]:
    return sorted(p.name[: -len(".gold.jsonl")] for p in CASES.glob("*.gold.jsonl"))


def _read_case(name: str) -> tuple[dict[str, str], str]:
    """A case's header fields and body, split the way the text reader splits them."""
    lines = (CASES / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    header: dict[str, str] = {}
    i = 0
    while i < len(lines) and (m := HEADER.match(lines[i])):
        header[m[1]] = m[2]
        i += 1
    assert i < len(lines) and lines[i] == "", f"{name}.txt: header lines must be followed by one blank line"
    return header, "\n".join(lines[i + 1 :])


def _read_gold(name: str) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate((CASES / f"{name}.gold.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{name}.gold.jsonl:{n}: blank line"
        row = json.loads(line)
        assert isinstance(row, dict), f"{name}.gold.jsonl:{n}: not a JSON object"
        rows.append(row)
    return rows


def _iso(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    assert isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), f"{where}: {value!r} is not ISO"
    return dt.date.fromisoformat(value)


def _check_count(value: Any, where: str) -> None:
    if value is None:
        return
    assert isinstance(value, dict) and set(value) == {"min", "max"}, f"{where}: count must be {{min, max}}"
    lo, hi = value["min"], value["max"]
    assert isinstance(lo, int) and not isinstance(lo, bool) and lo >= 0, f"{where}: min {lo!r}"
    assert hi is None or (isinstance(hi, int) and not isinstance(hi, bool)), f"{where}: max {hi!r}"
    assert hi is None or lo <= hi, f"{where}: min {lo} > max {hi}"


NAMES = _case_names()


def test_there_are_enough_cases() -> None:
    assert len(NAMES) >= 24
    assert sum(n.startswith("holdout_") for n in NAMES) == 6


def test_every_document_has_a_gold_file() -> None:
    texts = {p.stem for p in CASES.glob("*.txt")}
    assert texts == set(NAMES)


def test_cases_cover_at_least_ten_countries() -> None:
    countries = {loc["country"] for n in NAMES for row in _read_gold(n) for loc in row["locations"]}
    assert len(countries) >= 10, countries


@pytest.mark.parametrize("name", NAMES)
def test_header_has_date_title_and_url(name: str) -> None:
    header, _ = _read_case(name)
    assert set(header) == {"date", "title", "url"}
    dt.date.fromisoformat(header["date"])
    assert header["url"].startswith("https://example.org/")


@pytest.mark.parametrize("name", NAMES)
def test_body_length_is_between_120_and_400_words(name: str) -> None:
    _, body = _read_case(name)
    assert 120 <= len(body.split()) <= 400


@pytest.mark.parametrize("name", NAMES)
def test_gold_rows_have_exactly_the_guideline_fields(name: str) -> None:
    rows = _read_gold(name)
    assert rows, f"{name}: no gold claims"
    for n, row in enumerate(rows, 1):
        assert tuple(row) == FIELDS, f"{name}.gold.jsonl:{n}: fields {tuple(row)}"
        assert row["doc"] == name


@pytest.mark.parametrize("name", NAMES)
def test_quotes_are_verbatim_substrings_of_the_body(name: str) -> None:
    _, body = _read_case(name)
    for n, row in enumerate(_read_gold(name), 1):
        assert row["quote"] and row["quote"] in body, f"{name}.gold.jsonl:{n}: quote not in body: {row['quote']!r}"
        assert "\n" not in row["quote"], f"{name}.gold.jsonl:{n}: a quote is one sentence or less"


@pytest.mark.parametrize("name", NAMES)
def test_event_and_sub_event_types_are_valid(name: str) -> None:
    for n, row in enumerate(_read_gold(name), 1):
        assert row["event_type"] in EVENT_TYPES, f"{name}.gold.jsonl:{n}: {row['event_type']!r}"
        allowed = SUB_EVENT_TYPES[row["event_type"]]
        assert row["sub_event_type"] in allowed, f"{name}.gold.jsonl:{n}: {row['sub_event_type']!r}"


@pytest.mark.parametrize("name", NAMES)
def test_counts_are_ranges_with_min_at_most_max(name: str) -> None:
    for n, row in enumerate(_read_gold(name), 1):
        for field in ("fatalities", "injured", "displaced"):
            _check_count(row[field], f"{name}.gold.jsonl:{n}:{field}")


@pytest.mark.parametrize("name", NAMES)
def test_dates_are_iso_and_ordered(name: str) -> None:
    header, _ = _read_case(name)
    published = dt.date.fromisoformat(header["date"])
    for n, row in enumerate(_read_gold(name), 1):
        where = f"{name}.gold.jsonl:{n}"
        start, end = _iso(row["date_start"], where), _iso(row["date_end"], where)
        assert start is None or end is not None, f"{where}: a start date needs an end date"
        if start and end:
            assert start <= end, f"{where}: {start} after {end}"
        if end:
            assert end <= published, f"{where}: event after the document date"


@pytest.mark.parametrize("name", NAMES)
def test_locations_are_named_as_written(name: str) -> None:
    _, body = _read_case(name)
    for n, row in enumerate(_read_gold(name), 1):
        where = f"{name}.gold.jsonl:{n}"
        assert isinstance(row["locations"], list), where
        for loc in row["locations"]:
            assert set(loc) == {"name", "admin1", "country"}, where
            assert loc["name"] and loc["name"] in body, f"{where}: {loc['name']!r} not in body"
            assert loc["admin1"] is None or (isinstance(loc["admin1"], str) and loc["admin1"]), where
            assert re.fullmatch(r"[A-Z]{2}", loc["country"]), f"{where}: country {loc['country']!r}"


@pytest.mark.parametrize("name", NAMES)
def test_actors_and_sources_have_the_right_types(name: str) -> None:
    for n, row in enumerate(_read_gold(name), 1):
        where = f"{name}.gold.jsonl:{n}"
        for field in ("actor1", "actor2"):
            assert row[field] is None or (isinstance(row[field], str) and row[field].strip()), f"{where}:{field}"
        assert isinstance(row["reported_by"], list), where
        assert all(isinstance(s, str) and s.strip() for s in row["reported_by"]), where


# --------------------------------------------------------------------------- demo examples and benchmark corpus

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "src" / "reckon" / "examples"


def _load_corpus_module() -> Any:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("reckon_bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_example_reports_read_without_problems() -> None:
    from reckon.errors import Problem
    from reckon.ingest.readers import read_path

    paths = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".jsonl"))
    assert sorted(p.suffix for p in paths) == [".jsonl", ".txt"]
    docs = [d for p in paths for d in read_path(p, max_bytes=10_000_000)]
    assert not [d for d in docs if isinstance(d, Problem)]
    assert len(docs) == 3
    assert all(d.date is not None and d.title for d in docs)


def test_corpus_document_depends_only_on_seed_and_number() -> None:
    corpus = _load_corpus_module()
    first = list(corpus.iter_documents(3, seed=4))
    assert first[2] == corpus.make_document(3, seed=4)
    assert corpus.make_document(3, seed=5).text != first[2].text


def test_corpus_documents_are_between_250_and_700_words() -> None:
    corpus = _load_corpus_module()
    lengths = [doc.words() for doc in corpus.iter_documents(60, seed=1)]
    assert min(lengths) >= 250 and max(lengths) <= 700


def test_corpus_has_a_minority_of_incident_sentences() -> None:
    corpus = _load_corpus_module()
    docs = list(corpus.iter_documents(60, seed=2))
    share = sum(d.incident_sentences for d in docs) / sum(d.sentences for d in docs)
    assert 0.1 < share < 0.45


def test_corpus_txt_files_read_back_with_their_header(tmp_path: Path) -> None:
    from reckon.ingest.readers import read_path

    corpus = _load_corpus_module()
    stats = corpus.write_corpus(str(tmp_path / "out"), 2, seed=3)
    assert stats["documents"] == 2
    expected = corpus.make_document(2, seed=3)
    (doc,) = list(read_path(tmp_path / "out" / "doc-000002.txt", max_bytes=10_000_000))
    assert (doc.date, doc.title, doc.text.strip()) == (expected.date, expected.title, expected.text)


def test_corpus_jsonl_has_one_article_per_line(tmp_path: Path) -> None:
    corpus = _load_corpus_module()
    corpus.main(["--n", "4", "--out", str(tmp_path / "c.jsonl"), "--seed", "9"])
    rows = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["doc-000001", "doc-000002", "doc-000003", "doc-000004"]
    assert set(rows[0]) == {"id", "date", "title", "url", "text"}
