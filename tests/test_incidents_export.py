"""Exports: ACLED-style CSV and GeoJSON round-trip through pandas / a GeoJSON parser; JSON, JSONL,
Parquet; exporters are a registry a plugin can add to."""

from __future__ import annotations

import json

import pytest

from incidents_support import add_document, claim, load_corpus, loc
from reckon.errors import ReckonError
from reckon.incidents.export import ACLED_COLUMNS, EXPORTERS

pytestmark = pytest.mark.issue(4)


@pytest.fixture
def corpus(r):
    load_corpus(r)
    text = "Shells hit the market of Kadugli town on 14 May 2025, killing 25 people."
    add_document(r, "located", text, "2025-05-15", claims=[claim(
        text, text, date="2025-05-14", event_type="explosions_remote_violence",
        sub_event_type="shelling_artillery_missile_attack", fatalities=25,
        places=[loc("Kadugli", "South Kordofan", "SD", place_id="373141", lat=11.01, lon=29.72, geo_precision=1,
                    status="resolved")])])
    r.incidents.resolve()
    return r


def test_acled_csv_round_trips_through_pandas(corpus, tmp_path):
    import pandas as pd

    out = tmp_path / "acled.csv"
    n = corpus.incidents.export("acled-csv", out)
    df = pd.read_csv(out)
    assert n == len(df) == 7
    assert list(df.columns) == ACLED_COLUMNS
    arzah = df[df["tags"].str.contains("corroboration=4")].iloc[0]
    assert arzah["event_type"] == "Violence against civilians" and arzah["sub_event_type"] == "Attack"
    assert arzah["fatalities"] == 12  # ACLED keeps the most conservative figure
    assert arzah["iso"] == 760 and arzah["country"] == "Syria" and arzah["region"] == "Middle East"
    assert arzah["event_id_cnty"].startswith("SYR") and arzah["event_date"] == "2025-03-03"
    assert arzah["year"] == 2025 and arzah["time_precision"] == 1
    assert arzah["disorder_type"] == "Political violence" and arzah["civilian_targeting"] == "Civilian targeting"
    kad = df[df["location"] == "Kadugli"].iloc[0]
    assert kad["latitude"] == pytest.approx(11.01) and kad["longitude"] == pytest.approx(29.72)
    assert kad["sub_event_type"] == "Shelling/artillery/missile attack" and kad["country"] == "Sudan"


def test_geojson_round_trips_through_a_geojson_parser(corpus, tmp_path):
    import geojson

    out = tmp_path / "incidents.geojson"
    corpus.incidents.export("geojson", out)
    fc = geojson.loads(out.read_text(encoding="utf-8"))
    assert isinstance(fc, geojson.FeatureCollection) and fc.is_valid
    assert len(fc["features"]) == 7
    located = [f for f in fc["features"] if f["geometry"] is not None]
    assert len(located) == 1
    assert located[0]["geometry"]["coordinates"] == [29.72, 11.01]
    assert located[0]["properties"]["fatalities_best"] == 25


def test_json_and_jsonl_carry_claims_with_quotes(corpus, tmp_path):
    corpus.incidents.export("json", tmp_path / "a.json")
    corpus.incidents.export("jsonl", tmp_path / "a.jsonl")
    items = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    lines = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert items == lines and len(items) == 7
    assert all(c["quote"] and c["doc"] for i in items for c in i["claims"])


def test_parquet_reads_back(corpus, tmp_path):
    import pandas as pd

    corpus.incidents.export("parquet", tmp_path / "a.parquet")
    df = pd.read_parquet(tmp_path / "a.parquet")
    assert len(df) == 7 and "fatalities_best" in df.columns
    assert json.loads(df.iloc[0]["claims"])[0]["quote"]


def test_export_filters(corpus, tmp_path):
    assert corpus.incidents.export("jsonl", tmp_path / "x.jsonl", date_from="2025-05-01", place="Sumy") == 2


def test_unknown_format_names_the_known_ones(corpus, tmp_path):
    with pytest.raises(ReckonError, match="acled-csv"):
        corpus.incidents.export("kml", tmp_path / "x.kml")


def test_a_plugin_exporter_registers_like_the_built_ins(corpus, tmp_path):
    def write_ids(query, path):
        ids = [i["id"] for i in query]
        path.write_text("\n".join(ids))
        return len(ids)

    EXPORTERS.register("ids-test", write_ids)
    try:
        assert corpus.incidents.export("ids-test", tmp_path / "ids.txt") == 7
    finally:
        EXPORTERS._items.pop("ids-test")
