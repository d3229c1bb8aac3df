"""Places namespace of the API (``r.places``): gazetteer, geocoding, review of mentions.

    >>> r.places.import_geonames("SY.zip")          # every village of a country
    >>> r.places.geocode()                          # re-resolve stored claims
    >>> r.places.mentions(status="ambiguous")       # what a person should look at
    >>> r.places.set("Snobar", "gn:163806", why="the coastal village, per the list")
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import sqlalchemy as sa

from ..errors import InputError, NotFoundError
from ..store import audit, repo
from ..store.schema import claim_locations, claims, documents
from .gazetteer import Place, PlaceIndex, builtin_index, import_rows, load_imported, read_geonames
from .geocoder import Geocoder, make_resolver, mention_key
from .tables import gazetteer_names, gazetteer_places, place_corrections

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Reckon
    from ..model import Claim, Document

__all__ = ["PlacesAPI", "ImportResult", "GeocodeResult"]


@dataclass(frozen=True)
class ImportResult:
    """What ``import_geonames`` did."""

    path: str
    added: int
    updated: int
    seconds: float

    @property
    def rows(self) -> int:
        return self.added + self.updated


@dataclass(frozen=True)
class GeocodeResult:
    """Counts of a geocoding run over stored claims, by status and precision."""

    claims: int
    mentions: int
    by_status: dict[str, int]
    by_precision: dict[str, int]
    seconds: float


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


class PlacesAPI:
    """The gazetteer and the geocoder of one database."""

    def __init__(self, r: "Reckon") -> None:
        self._r = r
        self._imported: PlaceIndex | None = None

    # -- gazetteer ----------------------------------------------------------------------------------
    def import_geonames(self, path: str | os.PathLike[str], alternate_names: str | os.PathLike[str] | None = None) -> ImportResult:
        """Import a GeoNames dump (``SY.txt``, ``SY.zip``; 19 tab-separated columns) into the store.

        Re-importing updates places by id and never duplicates them. The whole
        file is one transaction: a malformed line raises :class:`FormatError`
        with its line number and leaves the gazetteer as it was.
        """
        t0 = time.perf_counter()
        p = Path(path)
        with self._r.store.transaction() as conn:
            added, updated = import_rows(conn, read_geonames(p, alternate_names), source=p.name)
        self._imported = None
        res = ImportResult(str(p), added, updated, time.perf_counter() - t0)
        self._r.record_run("gazetteer_import", _now(), {"path": str(p), "alternate_names": str(alternate_names or "")},
                           {"added": added, "updated": updated})
        return res

    def stats(self) -> dict[str, Any]:
        """Sizes of the imported and built-in gazetteers."""
        with self._r.store.connect() as conn:
            n = conn.execute(sa.select(sa.func.count()).select_from(gazetteer_places)).scalar_one()
            by_cc = {cc: k for cc, k in conn.execute(
                sa.select(gazetteer_places.c.country, sa.func.count()).group_by(gazetteer_places.c.country))}
            n_names = conn.execute(sa.select(sa.func.count()).select_from(gazetteer_names)).scalar_one()
            n_corr = conn.execute(sa.select(sa.func.count()).select_from(place_corrections)).scalar_one()
        b = builtin_index()
        kinds: dict[str, int] = {}
        for row in b.rows:
            kinds[row[12]] = kinds.get(row[12], 0) + 1
        return {"imported_places": int(n), "imported_by_country": by_cc, "imported_name_keys": int(n_names),
                "builtin_places": kinds.get("place", 0), "builtin_admin1": kinds.get("admin1", 0),
                "builtin_admin2": kinds.get("admin2", 0), "builtin_countries": kinds.get("country", 0),
                "corrections": int(n_corr)}

    def _indexes(self) -> list[PlaceIndex]:
        if self._imported is None:
            with self._r.store.connect() as conn:
                self._imported = load_imported(conn)
        return [self._imported, builtin_index()]

    def _corrections(self) -> dict[tuple[str, str | None], str]:
        with self._r.store.connect() as conn:
            rows = conn.execute(sa.select(place_corrections).order_by(place_corrections.c.id)).fetchall()
        return {(r.mention_key, r.doc): r.place_id for r in rows}  # later decisions win

    def geocoder(self) -> Geocoder:
        """A geocoder over the imported gazetteer, then the built-in one, honouring corrections."""
        return Geocoder(self._indexes(), self._corrections(), self._r.settings.default_country, self._stored_countries())

    def _stored_countries(self) -> dict[str, int]:
        """How many stored mentions resolved to each country (a prior for reports that name none)."""
        cl = claim_locations.c
        with self._r.store.connect() as conn:
            return {cc: int(n) for cc, n in conn.execute(
                sa.select(cl.country, sa.func.count()).where(cl.status == "resolved", cl.country.is_not(None))
                .group_by(cl.country))}

    def search(self, name: str, country: str | None = None, limit: int = 10) -> list[Place]:
        """Gazetteer entries whose names match ``name`` (transliteration-aware), best first."""
        geo = Geocoder(self._indexes())
        cands = geo.candidates(name, [country] if country else [])
        if country:
            cands = [c for c in cands if c.row[2] == country.upper()]
        cands.sort(key=lambda c: (-c.sim, -(c.row[12] != "place"), -c.row[11]))
        return [c.idx.place(c.i) for c in cands[:limit]]

    def get(self, place_id: str) -> Place | None:
        """One gazetteer entry by id ("gn:170017")."""
        for idx in self._indexes():
            p = idx.get(place_id)
            if p is not None:
                return p
        return None

    # -- geocoding -----------------------------------------------------------------------------------
    def resolver(self) -> "Callable[[Document, list[Claim]], list[Claim]]":
        """A function that geocodes one document's claims; indexes are loaded on its first use."""
        state: dict[str, Callable[["Document", list["Claim"]], list["Claim"]]] = {}

        def resolve(document: "Document", found: list["Claim"]) -> list["Claim"]:
            if not any(c.locations for c in found):
                return found
            if "fn" not in state:
                state["fn"] = make_resolver(self.geocoder())
            return state["fn"](document, found)

        return resolve

    def geocode(self, doc: str | None = None, progress: Callable[[int, int], None] | None = None) -> GeocodeResult:
        """Re-resolve the locations of stored claims (all, or one document's), e.g. after an import."""
        t0 = time.perf_counter()
        started = _now()
        self._imported = None
        geo = self.geocoder()
        workers = self._r.settings.workers or os.cpu_count() or 1
        q = sa.select(documents.c.id)
        if doc:
            q = q.where(documents.c.doc == doc)
        with self._r.store.connect() as conn:
            doc_ids = [r.id for r in conn.execute(q.order_by(documents.c.id))]
        n_claims = n_mentions = 0
        by_status: dict[str, int] = {}
        by_prec: dict[str, int] = {}
        step = max(1, self._r.settings.batch_size)
        for b in range(0, len(doc_ids), step):
            chunk = doc_ids[b : b + step]
            with self._r.store.connect() as conn:
                docs = repo.get_documents(conn, chunk)
                found = list(repo.iter_claims(conn, sa.select(claims).where(claims.c.document_id.in_(chunk))
                                              .order_by(claims.c.document_id, claims.c.seq)))
            by_doc: dict[str, list["Claim"]] = {}
            for c in found:
                by_doc.setdefault(c.doc, []).append(c)
            items = [(d, by_doc[d.doc]) for d in docs.values() if any(c.locations for c in by_doc.get(d.doc, ()))]
            done = geo.geocode_documents(items, workers)
            done += [cs for d in docs.values() if (cs := by_doc.get(d.doc)) and not any(c.locations for c in cs)]
            with self._r.store.transaction() as conn:
                for cs in done:
                    for c in cs:
                        n_claims += 1
                        repo.update_locations(conn, c.id, c.locations)  # type: ignore[arg-type]
                        for loc in c.locations:
                            n_mentions += 1
                            by_status[loc.status] = by_status.get(loc.status, 0) + 1
                            key = str(loc.geo_precision) if loc.geo_precision else "none"
                            by_prec[key] = by_prec.get(key, 0) + 1
            if progress:
                progress(min(b + step, len(doc_ids)), len(doc_ids))
        geo.close()  # its worker processes, if any (dropping it would end them too)
        res = GeocodeResult(n_claims, n_mentions, by_status, by_prec, time.perf_counter() - t0)
        self._r.record_run("geocode", started, {"doc": doc}, {"claims": n_claims, "mentions": n_mentions,
                                                               "by_status": by_status, "by_precision": by_prec})
        return res

    # -- review ---------------------------------------------------------------------------------------
    def mentions(self, status: str | None = None, doc: str | None = None) -> list[dict[str, Any]]:
        """Location mentions grouped by (mention, doc, outcome): what resolved where, what did not."""
        cl = claim_locations.c
        q = (sa.select(cl.name, documents.c.doc, cl.status, cl.place_id, cl.country, cl.admin1, cl.admin2, cl.lat, cl.lon,
                       cl.geo_precision, cl.hint, cl.kind, cl.candidates, claims.c.id.label("claim_id"))
             .join(claims, claims.c.id == cl.claim_id).join(documents, documents.c.id == claims.c.document_id)
             .order_by(documents.c.doc, cl.name))
        if status:
            q = q.where(cl.status == status)
        if doc:
            q = q.where(documents.c.doc == doc)
        groups: dict[tuple[Any, ...], dict[str, Any]] = {}
        with self._r.store.connect() as conn:
            for r in conn.execute(q):
                k = (r.name, r.doc, r.status, r.place_id, r.admin1)
                g = groups.get(k)
                if g is None:
                    groups[k] = g = {"mention": r.name, "doc": r.doc, "status": r.status, "place_id": r.place_id,
                                     "kind": r.kind, "country": r.country, "admin1": r.admin1, "admin2": r.admin2,
                                     "lat": r.lat, "lon": r.lon, "geo_precision": r.geo_precision, "hint": r.hint,
                                     "candidates": list(r.candidates or []), "claims": [], "count": 0}
                g["count"] += 1
                g["claims"].append(r.claim_id)
        return list(groups.values())

    def set(self, mention: str, place_id: str, doc: str | None = None, why: str = "") -> int:
        """Record that ``mention`` (in ``doc``, or anywhere) is the place ``place_id``; later runs honour it.

        The decision goes to the audit log in the same transaction, and the stored
        claims it concerns are re-geocoded at once. Returns how many mentions changed.
        """
        if not mention.strip():
            raise InputError("empty mention", field="mention")
        place = self.get(place_id)
        if place is None:
            raise NotFoundError(f"no gazetteer place {place_id!r}", hint="find ids with `reckon places search NAME`")
        if doc is not None and self._r.document(doc) is None:
            raise NotFoundError(f"no document {doc!r}")
        key = mention_key(mention)
        with self._r.store.transaction() as conn:
            audit.append(conn, actor=self._r.settings.actor, action="places.set", target=f"mention:{mention}",
                         payload={"mention": mention, "doc": doc, "place_id": place_id, "place": place.name,
                                  "admin1": place.admin1, "country": place.country}, why=why)
            conn.execute(place_corrections.insert().values(mention=mention, mention_key=key, doc=doc, place_id=place_id,
                                                           actor=self._r.settings.actor, why=why, at=_now()))
        # re-geocode the documents that mention it
        cl = claim_locations.c
        q = (sa.select(cl.name, documents.c.doc).join(claims, claims.c.id == cl.claim_id)
             .join(documents, documents.c.id == claims.c.document_id))
        if doc:
            q = q.where(documents.c.doc == doc)
        with self._r.store.connect() as conn:
            docs = sorted({r.doc for r in conn.execute(q) if mention_key(r.name) == key})
        changed = 0
        for d in docs:
            before = sum(1 for m in self.mentions(doc=d) if mention_key(m["mention"]) == key and m["place_id"] == place_id)
            self.geocode(doc=d)
            after = sum(m["count"] for m in self.mentions(doc=d) if mention_key(m["mention"]) == key and m["place_id"] == place_id)
            changed += max(0, after - before)
        return changed

    def corrections(self) -> list[dict[str, Any]]:
        """People's place decisions, oldest first."""
        with self._r.store.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.select(place_corrections).order_by(place_corrections.c.id))]

