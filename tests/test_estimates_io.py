"""Reading capture tables: list1..listK,count CSVs and DataFrames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reckon.errors import FormatError, InputError
from reckon.estimates.io import CaptureTable, from_frame, read_table


def test_read_table_counts_people_per_pattern(write):
    path = write("t.csv", "list1,list2,list3,count\n0,0,1,5\n0,1,0,7\n1,1,1,2\n")
    (t,) = read_table(path)
    assert t.lists == ("list1", "list2", "list3")
    assert t.observed == 14
    assert t.list_totals() == {"list1": 2, "list2": 9, "list3": 7}


def test_read_table_full_fills_absent_patterns_with_zero(write):
    path = write("t.csv", "a,b,count\n1,1,3\n")
    (t,) = read_table(path)
    pats, counts = t.full()
    assert pats.tolist() == [[0, 1], [1, 0], [1, 1]]
    assert counts.tolist() == [0, 0, 3]


def test_read_table_without_count_column_names_the_header_line(write):
    path = write("t.csv", "list1,list2,n\n0,1,3\n")
    with pytest.raises(FormatError) as e:
        read_table(path)
    assert "t.csv:1" in str(e.value) and "count" in str(e.value)


def test_read_table_names_line_and_field_of_a_bad_list_value(write):
    path = write("t.csv", "list1,list2,count\n0,1,3\n1,2,4\n")
    with pytest.raises(FormatError) as e:
        read_table(path)
    assert e.value.line == 3 and e.value.field == "list2"
    assert "t.csv:3" in str(e.value)


def test_read_table_refuses_a_negative_count(write):
    path = write("t.csv", "list1,list2,count\n0,1,-3\n")
    with pytest.raises(FormatError) as e:
        read_table(path)
    assert e.value.field == "count" and e.value.line == 2


def test_read_table_refuses_people_on_no_list(write):
    path = write("t.csv", "list1,list2,count\n0,0,9\n1,1,3\n")
    with pytest.raises(FormatError, match="all-zero"):
        read_table(path)


def test_read_table_accepts_an_all_zero_row_with_count_zero(write):
    path = write("t.csv", "list1,list2,count\n0,0,0\n1,1,3\n")
    (t,) = read_table(path)
    assert t.observed == 3


def test_read_table_sums_repeated_patterns(write):
    path = write("t.csv", "list1,list2,count\n1,1,3\n1,1,4\n")
    (t,) = read_table(path)
    assert t.counts.tolist() == [7]


def test_read_table_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_table(tmp_path / "absent.csv")


def test_read_table_row_with_too_few_fields(write):
    path = write("t.csv", "list1,list2,count\n1,1\n")
    with pytest.raises(FormatError) as e:
        read_table(path)
    assert e.value.line == 2


def test_read_table_splits_strata_in_sorted_order(write):
    path = write("t.csv", "sex,list1,list2,count\nm,1,1,3\nf,1,0,2\nm,0,1,1\n")
    tables = read_table(path, strata=["sex"])
    assert [t.stratum for t in tables] == [{"sex": "f"}, {"sex": "m"}]
    assert [t.observed for t in tables] == [2, 4]


def test_read_table_unknown_stratum_column(write):
    path = write("t.csv", "list1,list2,count\n1,1,3\n")
    with pytest.raises(FormatError, match="stratum column 'place'"):
        read_table(path, strata=["place"])


def test_from_frame_names_the_row_of_a_bad_value():
    df = pd.DataFrame({"l1": [1, 0], "l2": [0, 1], "count": [3, 2.5]})
    with pytest.raises(FormatError) as e:
        from_frame(df)
    assert e.value.line == 2 and e.value.field == "count"


patterns = st.lists(
    st.tuples(st.tuples(*[st.integers(0, 1)] * 3), st.integers(0, 500)), min_size=1, max_size=12
)


@settings(max_examples=60, deadline=None)
@given(patterns)
def test_frame_round_trip_keeps_every_count(rows):
    rows = [(p, n) for p, n in rows if any(p)] or [((1, 0, 0), 1)]
    df = pd.DataFrame([list(p) + [n] for p, n in rows], columns=["a", "b", "c", "count"])
    (t,) = from_frame(df)
    (back,) = from_frame(t.to_frame())
    assert back.observed == sum(n for _, n in rows)
    assert np.array_equal(back.full()[1], t.full()[1])


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_read_table_never_fails_other_than_format_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("h") / "t.csv"
    path.write_text(text, encoding="utf-8")
    try:
        tables = read_table(path)
    except FormatError:
        return
    assert all(isinstance(t, CaptureTable) for t in tables)
