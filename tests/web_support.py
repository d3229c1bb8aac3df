"""Helpers for the web tests: hand-built documents and claims, logged-in clients."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest

from reckon.model import Claim, Count, Document, Location, Span
from reckon.store import repo

PASSWORD = "correct horse battery"


REAL_HASHER: list = []


@pytest.fixture(autouse=True, scope="session")
def cheap_argon2():
    """Argon2 with tiny costs: each hash takes ~0.5 s with the real parameters (import this into a test module)."""
    from argon2 import PasswordHasher

    from reckon.web import auth

    real = auth._hasher
    REAL_HASHER.append(real)
    auth._hasher = lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    auth._hasher = real


def add_document(r: Any, doc: str, text: str, *, title: str | None = None, url: str | None = None,
                 date: dt.date | None = dt.date(2024, 3, 2)) -> Document:
    d = Document(sha256=hashlib.sha256(text.encode()).hexdigest(), doc=doc, text=text, title=title, url=url, date=date)
    with r.store.transaction() as conn:
        doc_id = repo.insert_document(conn, d)
    return d.__class__(**{**d.__dict__, "id": doc_id})


def add_claim(r: Any, d: Document, sentence: str, *, killed: str | None = None, place: str | None = None,
              actor: str | None = None, event_type: str = "explosions_remote_violence",
              sub_event_type: str = "air_drone_strike", lat: float | None = None, lon: float | None = None,
              admin1: str | None = None, day: dt.date = dt.date(2024, 3, 1)) -> Claim:
    """A claim over ``sentence`` (which must occur in the document) with spans found by string search."""
    start = d.text.index(sentence)
    sent = Span(start, start + len(sentence))
    spans: dict[str, tuple[Span, ...]] = {}
    locs: tuple[Location, ...] = ()
    fatalities = None
    if killed:
        a = d.text.index(killed, start)
        spans["fatalities"] = (Span(a, a + len(killed)),)
        n = int(re.search(r"\d+", killed).group()) if re.search(r"\d+", killed) else 1
        fatalities = Count.exact(n)
    if place:
        a = d.text.index(place, start)
        spans["location"] = (Span(a, a + len(place)),)
        located = dict(lat=lat, lon=lon, admin1=admin1, country="SY", status="resolved", geo_precision=1,
                       place_id=f"test:{place}") if lat is not None else {}
        locs = (Location(name=place, span=Span(a, a + len(place)), **located),)
    if actor:
        a = d.text.index(actor, start)
        spans["actor1"] = (Span(a, a + len(actor)),)
    c = Claim(doc=d.doc, quote_span=sent, event_type=event_type, sub_event_type=sub_event_type,
              date_start=day, date_end=day, locations=locs, actor1=actor,
              fatalities=fatalities, spans=spans, sentence_span=sent, text=d.text)
    with r.store.transaction() as conn:
        existing = [x for x in repo.iter_claims(conn, _claims_of(d))]
        ids = repo.replace_claims(conn, d.id, [*existing, c], "test")
    return c.replace(id=ids[-1])


def _claims_of(d: Document):
    import sqlalchemy as sa

    from reckon.store.schema import claims

    return sa.select(claims).where(claims.c.document_id == d.id).order_by(claims.c.seq)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF field in the page"
    return m.group(1)


def login(client: Any, name: str, password: str = PASSWORD) -> str:
    """Log ``client`` in through the form; returns the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    res = client.post("/login", data={"name": name, "password": password, "csrf": token, "next": "/documents"},
                      follow_redirects=False)
    assert res.status_code == 303, res.text
    page = client.get("/documents")
    m = re.search(r'data-csrf="([^"]+)"', page.text)
    assert m
    return m.group(1)


STRIKE = ("On 1 March an air strike on Kafr Nabl killed 5 people, activists said. "
          "Residents were still searching the rubble the next morning.")
SHELLING = "Government shelling of Douma killed 12 civilians on Friday, the monitor said."
PROTEST = "Hundreds marched in Suwayda on Sunday; nobody was hurt."


def seed(r: Any) -> dict[str, str]:
    """Three hand-written reports, their claims and incidents; returns {"strike": id, ...}."""
    d1 = add_document(r, "strike-report", STRIKE, title="Strike on Kafr Nabl", url="https://example.org/strike")
    add_claim(r, d1, STRIKE.split(" Residents")[0], killed="killed 5 people", place="Kafr Nabl", lat=35.56, lon=36.56,
              admin1="Idlib", actor="air strike")
    d2 = add_document(r, "shelling-report", SHELLING, title="Douma shelling")
    add_claim(r, d2, SHELLING, killed="killed 12 civilians", place="Douma", lat=33.57, lon=36.40, admin1="Rif Dimashq",
              actor="Government", sub_event_type="shelling_artillery_missile_attack", day=dt.date(2024, 3, 2))
    d3 = add_document(r, "protest-report", PROTEST, title="March in Suwayda")
    add_claim(r, d3, PROTEST, place="Suwayda", lat=32.71, lon=36.57, admin1="As-Suwayda", event_type="protests",
              sub_event_type="peaceful_protest", day=dt.date(2024, 3, 3))
    r.incidents.resolve()
    out = {}
    for row in r.incidents().page(0, 10, "id"):
        out[{"Kafr Nabl": "strike", "Douma": "shelling", "Suwayda": "protest"}[row["location"]]] = row["id"]
    return out
