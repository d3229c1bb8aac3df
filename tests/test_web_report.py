"""The published report: HTML, PDF, and figures equal to the database's."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from reckon.cli import app as cli
from reckon.incidents.tables import incidents
from reckon.web.report import ADMIN1, admin1_areas, admin1_lines, build_report, country_rings, map_svg, timeline_svg
from web_support import add_claim, add_document, seed, cheap_argon2  # noqa: F401


def db_sums(r, key):
    col = getattr(incidents.c, key)
    q = sa.select(col, sa.func.count(), sa.func.sum(incidents.c.fatalities_low), sa.func.sum(incidents.c.fatalities_best),
                  sa.func.sum(incidents.c.fatalities_high)).group_by(col)
    with r.store.connect() as conn:
        return {row[0]: tuple(int(x or 0) for x in row[1:]) for row in conn.execute(q)}


@pytest.fixture
def built(r, tmp_path):
    seed(r)
    return build_report(r, tmp_path / "out", pdf=False)


def test_report_by_place_equals_the_database(r, built):
    want = db_sums(r, "admin1")
    got = {g["admin1"]: (g["incidents"], g["fatalities"]["low"], g["fatalities"]["best"], g["fatalities"]["high"])
           for g in built.figures["by_place"]}
    assert got == want


def test_report_by_perpetrator_equals_the_database(r, built):
    want = {k or None: v for k, v in db_sums(r, "actor1").items()}
    got = {g["actor"]: (g["incidents"], g["fatalities"]["low"], g["fatalities"]["best"], g["fatalities"]["high"])
           for g in built.figures["by_perpetrator"]}
    assert got == want


def test_report_total_equals_the_database(r, built):
    with r.store.connect() as conn:
        best = conn.execute(sa.select(sa.func.sum(incidents.c.fatalities_best))).scalar_one()
    assert built.figures["total"]["fatalities"]["best"] == best == 17
    html = built.html.read_text()
    assert '<b id="total-best">17</b>' in html


def test_report_html_rows_show_the_figures(built):
    html = built.html.read_text()
    row = html.split('data-admin1="Rif Dimashq"')[1].split("</tr>")[0]
    assert "<b>12</b>" in row
    assert "Douma shelling" in html  # the source is named


def test_report_is_self_contained(built):
    html = built.html.read_text()
    assert "<svg" in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in html and "<link" not in html


def test_figures_json_is_written(built):
    data = json.loads((built.html.parent / "figures.json").read_text())
    assert data["total"]["incidents"] == 3


def test_methods_come_from_the_recorded_runs(built):
    html = built.html.read_text()
    assert "Claims describing the same event were grouped into incidents" in html
    assert "setting best_rule" in html or "resolve" in html


def test_report_text_with_html_is_inert(r, tmp_path):
    evil = "<script>alert(1)</script>"
    text = f"Gunmen from {evil} killed 2 people in Hama on Monday."
    d = add_document(r, "evil", text, title=evil)
    add_claim(r, d, text, killed="killed 2 people", place="Hama", lat=35.13, lon=36.75, admin1=evil, actor=evil)
    r.incidents.resolve()
    html = build_report(r, tmp_path / "o", pdf=False).html.read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_report_renders_to_pdf(r, tmp_path):
    seed(r)
    res = build_report(r, tmp_path / "pdf", pdf=True)
    data = res.pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000


def test_cli_report_writes_html_and_pdf_flag(db_path, tmp_path):
    import reckon

    with reckon.open(db_path) as r:
        seed(r)
    out = tmp_path / "cli"
    res = CliRunner().invoke(cli, ["report", "--out", str(out), "--no-pdf", "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    assert (out / "index.html").exists() and not (out / "report.pdf").exists()


def test_boundaries_decode_to_closed_rings():
    shapes = dict(country_rings())
    syria = shapes["Syria"]
    ring = max(syria, key=len)
    assert ring[0] == pytest.approx(ring[-1], abs=1e-6)
    lons = [x for x, _ in ring]
    assert 35 < min(lons) < 36.5 and 42 < max(lons) < 42.5


def test_vendored_first_level_areas_cover_the_world():
    topo = json.loads(ADMIN1.read_text(encoding="utf-8"))
    geoms = topo["objects"]["admin1"]["geometries"]
    assert len(geoms) == 4596  # every Natural Earth 1:10m admin-1 area, none dropped by simplification
    assert all(set(g["properties"]) <= {"name", "country", "region", "lon", "lat", "minzoom"} for g in geoms)
    syria = {a["name"] for a in admin1_areas() if a["country"] == "SYR"}
    assert {"Idlib", "Aleppo", "Rif Dimashq", "Deir ez-Zor", "Latakia"} <= syria
    assert len({a["country"] for a in admin1_areas()}) > 200


def test_first_level_borders_are_internal_lines_only():
    lines = admin1_lines()
    assert len(lines) > 3000
    # the Idlib / Hama governorate border runs east-west near 35.6 N between 36.2 and 37 E
    near = [ln for ln in lines if any(36.2 < x < 37.0 and 35.4 < y < 35.8 for x, y in ln)]
    assert near
    # coasts are not internal borders: Puerto Rico, one first-level area, has none
    assert not [ln for ln in lines if any(-67.3 < x < -65.7 and 17.8 < y < 18.6 for x, y in ln)]


def test_report_map_draws_first_level_borders_and_names(built):
    svg = (built.html.parent / "map.svg").read_text()
    assert 'class="admin1"' in svg
    names = re.findall(r'class="admin1-name">([^<]+)<', svg)
    assert {"Idlib", "Hama", "Rif Dimashq", "As-Suwayda"} <= set(names)
    assert len(names) == len(set(names))


def test_map_svg_escapes_and_sizes_by_fatalities():
    svg = map_svg([{"lat": 35.0, "lon": 36.0, "event_type": "battles", "fatalities_best": 100},
                   {"lat": 34.0, "lon": 37.0, "event_type": "<b>", "fatalities_best": 0}], {"battles": "#c0392b"})
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    radii = [float(x) for x in re.findall(r'<circle [^>]*r="([\d.]+)"', svg)]
    assert max(radii) > min(radii)


def test_timeline_svg_switches_to_weeks_after_two_years():
    rows = [{"date": "2020-01-01", "event_type": "battles", "fatalities_best": 1},
            {"date": "2023-01-01", "event_type": "battles", "fatalities_best": 2}]
    _, bucket = timeline_svg(rows, {})
    assert bucket == "week"


def test_report_of_an_empty_database(r, tmp_path):
    res = build_report(r, tmp_path / "empty", pdf=False)
    html = res.html.read_text()
    assert res.figures["total"]["incidents"] == 0
    assert "No incidents." in html and "No runs are recorded" in html

