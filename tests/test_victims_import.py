"""Importing victim lists: formats, encodings, mappings, bad rows, re-import."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reckon.errors import InputError
from reckon.victims.importer import parse_age, parse_date, parse_mapping, parse_sex, read_list

CSV = (
    "record_id,name,age,sex,date,place,witness\n"
    "A1,Mohammad Ali Deeb,34,m,2012-05-25,Al-Mukhtariya,Abu Salim\n"
    "A2,Fatima Hassan,29,f,25/05/2012,Al-Mukhtariya,Abu Salim\n"
)


def test_csv_import_maps_headers_by_name(r, write):
    res = r.victims.import_file(write("a.csv", CSV), source="monitor")
    assert (res.added, res.problems) == (2, [])
    rec = r.victims.records().set_index("record_id").loc["A2"]
    assert (rec.full_name, rec.age, rec.sex, rec.date_of_death) == ("Fatima Hassan", 29, "female", dt.date(2012, 5, 25))


def test_unknown_columns_are_kept_in_extra(r, write):
    r.victims.import_file(write("a.csv", CSV), source="monitor")
    assert r.victims.records().iloc[0].extra == {"witness": "Abu Salim"}


def test_arabic_headers_with_explicit_mapping_in_cp1256(r, write):
    text = "الرقم,الاسم الثلاثي,العمر\n7,محمد علي ديب,34\n"
    res = r.victims.import_file(write("b.csv", text.encode("cp1256")), source="council",
                                mapping={"الاسم الثلاثي": "full_name"})
    assert res.added == 1
    rec = r.victims.records().iloc[0]
    assert (rec.record_id, rec.full_name, rec.age) == ("7", "محمد علي ديب", 34)


def test_jsonl_import_reports_bad_line_and_keeps_the_rest(r, write):
    lines = ['{"id": "x1", "name": "Omar Khaled"}', "{not json", '{"id": "x3", "name": "Huda Saleh"}']
    res = r.victims.import_file(write("c.jsonl", "\n".join(lines) + "\n"), source="network")
    assert res.added == 2
    assert [(p.line, p.code) for p in res.problems] == [(2, "R133")]
    assert res.failed


def test_csv_row_with_wrong_cell_count_is_skipped_with_its_line(r, write):
    text = "name,age\nOmar Khaled,40\nHuda,Saleh,33\nAli Deeb,50\n"
    res = r.victims.import_file(write("d.csv", text), source="x")
    assert res.added == 2
    assert [p.line for p in res.problems] == [3]


def test_row_without_a_name_is_reported(r, write):
    res = r.victims.import_file(write("e.csv", "name,age\n,40\nAli Deeb,50\n"), source="x")
    assert res.added == 1 and res.problems[0].code == "R131" and res.problems[0].line == 2


def test_bad_field_value_is_a_note_and_the_row_imports(r, write):
    res = r.victims.import_file(write("f.csv", "name,age\nAli Deeb,forty\n"), source="x")
    assert res.added == 1
    assert res.problems[0].level == "note" and res.problems[0].line == 2
    rec = r.victims.records().iloc[0]
    assert rec.age is None or rec.age != rec.age
    assert rec.extra == {"age": "forty"}


def test_reimport_updates_changed_rows_and_removes_missing_ones(r, write):
    p = write("a.csv", CSV)
    r.victims.import_file(p, source="monitor")
    p.write_text("record_id,name,age\nA1,Mohammad Ali Deeb,35\nA3,Omar Khaled,20\n", encoding="utf-8")
    res = r.victims.import_file(p, source="monitor")
    assert (res.added, res.updated, res.removed) == (1, 1, 1)
    assert sorted(r.victims.records().record_id) == ["A1", "A3"]


def test_reimport_unchanged_list_changes_nothing(r, write):
    p = write("a.csv", CSV)
    r.victims.import_file(p, source="monitor")
    res = r.victims.import_file(p, source="monitor")
    assert (res.added, res.updated, res.unchanged) == (0, 0, 2)


def test_list_without_record_ids_uses_line_numbers(r, write):
    r.victims.import_file(write("g.csv", "name\nAli Deeb\nOmar Khaled\n"), source="x")
    assert list(r.victims.records().record_id) == ["L2", "L3"]


def test_xlsx_import(r, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Name", "Age", "Notes"])
    ws.append(["k1", "Zainab al-Ahmad", 12, "school"])
    ws.append(["k2", "Yusuf Qassem", 41, None])
    path = tmp_path / "list.xlsx"
    wb.save(path)
    res = r.victims.import_file(path, source="families")
    assert res.added == 2
    rec = r.victims.records().set_index("record_id").loc["k1"]
    assert (rec.full_name, rec.age, rec.notes) == ("Zainab al-Ahmad", 12, "school")


def test_mapping_from_yaml_file(r, write):
    m = write("map.yaml", "mapping:\n  الضحية: full_name\n  سن: age\n")
    res = r.victims.import_file(write("h.csv", "الضحية,سن\nأحمد الحسن,22\n"), source="x", mapping=m)
    assert res.added == 1 and r.victims.records().iloc[0].age == 22


def test_separate_name_parts_compose_the_full_name(r, write):
    text = "given,father,family\nMohammad,Ali,Deeb\n"
    r.victims.import_file(write("i.csv", text), source="x",
                          mapping={"given": "given_name", "father": "father_name", "family": "family_name"})
    assert r.victims.records().iloc[0].full_name == "Mohammad Ali Deeb"


def test_duplicate_record_id_in_one_list_is_reported(r, write):
    res = r.victims.import_file(write("j.csv", "id,name\n1,Ali Deeb\n1,Omar Khaled\n"), source="x")
    assert res.added == 1 and res.problems[0].code == "R137" and res.problems[0].line == 3


def test_parse_mapping_rejects_unknown_field():
    with pytest.raises(InputError):
        parse_mapping(["name=nickname"])


def test_parse_helpers():
    assert parse_age("٣٤") == 34 and parse_age("30-40") == 35 and parse_age("") is None
    assert parse_date("2012/05/25") == parse_date("25.05.2012") == parse_date("25 May 2012") == dt.date(2012, 5, 25)
    assert parse_sex("أنثى") == "female" and parse_sex("ذكر") == "male"


@given(st.text(max_size=20))
def test_parse_age_returns_int_or_raises_value_error(text):
    try:
        age = parse_age(text)
    except ValueError:
        return
    assert age is None or 0 <= age <= 120


@settings(deadline=None, max_examples=50)
@given(st.lists(st.dictionaries(st.sampled_from(["name", "age", "x", "date"]), st.text(max_size=8)), min_size=1, max_size=5))
def test_jsonl_reader_never_crashes(tmp_path_factory, rows):
    p = tmp_path_factory.mktemp("j") / "l.jsonl"
    p.write_text("\n".join(json.dumps(x) for x in rows) + "\n", encoding="utf-8")
    problems: list = []
    out, _, _ = read_list(p, None, problems)
    assert len(out) + sum(1 for q in problems if q.level == "error") == len(rows)
