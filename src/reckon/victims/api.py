"""Victims namespace of the API (``r.victims``): lists in, linked persons out.

    >>> r.victims.import_file("monitor.csv", source="monitor", mapping={"الاسم": "full_name"})
    >>> r.victims.link()
    >>> r.victims.persons()[0]
    >>> r.victims.overlap(["place", "sex"])      # the input of multiple systems estimation
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

import sqlalchemy as sa

from ..errors import InputError, Problem
from . import review as _review
from .importer import read_list
from .names import place_key
from .tables import RECORD_FIELDS, victim_decisions, victim_links, victim_lists, victim_pairs, victim_records

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..api import Reckon

__all__ = ["VictimsAPI", "ImportResult", "LinkSummary", "Person", "VictimRecord", "STRATA"]

STRATA = ("place", "sex", "age_group", "period", "status")
AGE_GROUPS = ((0, 17, "0-17"), (18, 29, "18-29"), (30, 44, "30-44"), (45, 59, "45-59"), (60, 200, "60+"))
NAME_FIELDS = ("full_name", "given_name", "father_name", "grandfather_name", "family_name")
_STORED = tuple(f for f in RECORD_FIELDS if f != "record_id")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


@dataclass
class ImportResult:
    source: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    geocoded: int = 0
    mapping: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(p.level == "error" for p in self.problems)


@dataclass
class LinkSummary:
    records: int = 0
    persons: int = 0
    pairs: int = 0
    linked: int = 0
    review: int = 0
    held_apart: int = 0
    decisions: int = 0
    trained: bool = False
    backend: str = "duckdb"
    threshold: float = 0.9
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class VictimRecord:
    """One row of one list as imported (names empty when hidden)."""

    id: int
    source: str
    record_id: str
    line: int | None
    full_name: str | None
    given_name: str | None
    father_name: str | None
    grandfather_name: str | None
    family_name: str | None
    sex: str | None
    age: int | None
    birth_year: int | None
    date_of_death: dt.date | None
    place: str | None
    district: str | None
    place_id: str | None
    place_admin1: str | None
    cause: str | None
    status: str | None
    notes: str | None
    extra: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["date_of_death"] = self.date_of_death.isoformat() if self.date_of_death else None
        return d


@dataclass(frozen=True)
class Person:
    """One unique person: the records that document them and the lists they come from."""

    person_id: int
    records: tuple[VictimRecord, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({r.source for r in self.records}))

    @property
    def name(self) -> str | None:
        names = [r.full_name for r in self.records if r.full_name]
        return Counter(names).most_common(1)[0][0] if names else None

    def value(self, fld: str) -> Any:
        """The most frequent non-empty value of a field over the person's records."""
        vals = [getattr(r, fld) for r in self.records if getattr(r, fld) not in (None, "")]
        return Counter(vals).most_common(1)[0][0] if vals else None

    def to_dict(self) -> dict[str, Any]:
        return {"person_id": self.person_id, "name": self.name, "sources": list(self.sources),
                "records": [r.to_dict() for r in self.records]}

    def __repr__(self) -> str:
        return f"<Person {self.person_id} {self.name!r} {len(self.records)} record(s) {','.join(self.sources)}>"


class VictimsAPI:
    """Import victim lists, link them into unique persons, review, and count by source pattern."""

    def __init__(self, r: "Reckon") -> None:
        self._r = r

    # -- import ---------------------------------------------------------------
    def import_file(self, path: str | os.PathLike[str], source: str, mapping: Mapping[str, str] | str | os.PathLike[str] | None = None,
                    *, geocode: bool = True) -> ImportResult:
        """Import (or re-import, replacing) the list ``source`` from a CSV, XLSX or JSONL file.

        ``mapping`` is ``{column: field}`` or the path of a YAML mapping file; columns
        named like a field are mapped without it. Unmapped columns are kept in
        ``extra``. A bad row is reported in ``problems`` with its line and skipped.
        """
        from .importer import load_mapping

        if not source or not source.strip():
            raise InputError("a list needs a source name", hint="give --source NAME", code="R136")
        source = source.strip()
        result = ImportResult(source=source)
        if isinstance(mapping, (str, os.PathLike)):
            mapping = load_mapping(mapping)
        rows, used, encoding = read_list(path, mapping, result.problems)
        result.mapping = used
        has_ids = "record_id" in used.values()
        locate = self._geocoder() if geocode else None
        now = _now()
        new: dict[str, dict[str, Any]] = {}
        for row in rows:
            rid = str(row.fields.get("record_id") or "").strip() if has_ids else f"L{row.line}"
            if not rid:
                result.problems.append(Problem(f"R137 {path}:{row.line}: empty record id; row skipped",
                                               path=str(path), line=row.line, code="R137"))
                continue
            if rid in new:
                result.problems.append(Problem(f"R137 {path}:{row.line}: record id {rid!r} repeats line "
                                               f"{new[rid]['line']}; row skipped", path=str(path), line=row.line, code="R137"))
                continue
            values = {f: row.fields.get(f) for f in _STORED}
            values.update(line=row.line, extra=row.extra, place_id=None, place_admin1=None, lat=None, lon=None)
            if locate and values.get("place"):
                hit = locate(values["place"])
                if hit:
                    values.update(hit)
                    result.geocoded += 1
            new[rid] = values
        compare = _STORED + ("extra", "place_id", "place_admin1")
        with self._r.store.transaction() as conn:
            exists = conn.execute(sa.select(victim_lists.c.source).where(victim_lists.c.source == source)).first()
            list_values = dict(path=str(path), encoding=encoding, mapping=used, n_records=len(new), imported_at=now)
            if exists:
                conn.execute(victim_lists.update().where(victim_lists.c.source == source).values(**list_values))
            else:
                conn.execute(victim_lists.insert().values(source=source, **list_values))
            old = {r.record_id: r for r in conn.execute(sa.select(victim_records).where(victim_records.c.source == source))}
            inserts = []
            for rid, values in new.items():
                prev = old.get(rid)
                if prev is None:
                    inserts.append(dict(source=source, record_id=rid, imported_at=now, **values))
                    result.added += 1
                elif any(_norm(getattr(prev, c)) != _norm(values.get(c)) for c in compare):
                    conn.execute(victim_records.update().where(victim_records.c.id == prev.id).values(imported_at=now, **values))
                    result.updated += 1
                else:
                    if prev.line != values["line"]:
                        conn.execute(victim_records.update().where(victim_records.c.id == prev.id).values(line=values["line"]))
                    result.unchanged += 1
            gone = [r.id for rid, r in old.items() if rid not in new]
            for b in range(0, len(gone), 500):
                conn.execute(victim_records.delete().where(victim_records.c.id.in_(gone[b:b + 500])))
            result.removed = len(gone)
            for b in range(0, len(inserts), 2000):
                conn.execute(victim_records.insert(), inserts[b:b + 2000])
        return result

    def _geocoder(self) -> Callable[[str], dict[str, Any] | None] | None:
        """place text -> gazetteer fields, through ``r.places.search`` when the places capability offers it."""
        try:
            search = getattr(self._r.places, "search", None)
        except Exception:
            return None
        if search is None:
            return None
        cache: dict[str, dict[str, Any] | None] = {}

        def locate(text: str) -> dict[str, Any] | None:
            if text in cache:
                return cache[text]
            hit: dict[str, Any] | None = None
            try:
                found = search(text, country=self._r.settings.default_country)
                cands = list(found)[:1] if found is not None else []
            except Exception:
                cands = []
            if cands:
                c = cands[0]
                get = c.get if isinstance(c, dict) else (lambda k, c=c: getattr(c, k, None))
                place = get("place") or c
                pget = place.get if isinstance(place, dict) else (lambda k, p=place: getattr(p, k, None))
                pid = pget("id") or pget("place_id")
                if pid:
                    hit = {"place_id": str(pid), "place_admin1": pget("admin1"), "lat": pget("lat"), "lon": pget("lon")}
            cache[text] = hit
            return hit

        return locate

    def lists(self) -> list[dict[str, Any]]:
        """The imported lists with their record counts."""
        with self._r.store.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.select(victim_lists).order_by(victim_lists.c.source))]

    def records(self, source: str | None = None) -> "pd.DataFrame":
        """All records (or one list's) as a DataFrame, with ``person_id`` from the last link."""
        import pandas as pd

        q = (sa.select(victim_records, victim_links.c.person_id)
             .select_from(victim_records.outerjoin(victim_links, victim_links.c.record == victim_records.c.id))
             .order_by(victim_records.c.id))
        if source:
            q = q.where(victim_records.c.source == source)
        with self._r.store.connect() as conn:
            df = pd.read_sql(q, conn)
        df["person_id"] = df["person_id"].astype("float64").fillna(df["id"].astype("float64")).astype("int64")
        return df

    # -- link -----------------------------------------------------------------
    def link(self, threshold: float | None = None, *, model: str | os.PathLike[str] | Mapping[str, Any] | None = None,
             save_model: str | os.PathLike[str] | None = None, labels: str | os.PathLike[str] | None = None,
             train: bool | None = None) -> LinkSummary:
        """Deduplicate all records across and within lists into persons.

        Splink scores candidate pairs (backend from ``settings.victims_backend``);
        pairs at or above ``threshold`` (default ``settings.link_threshold``) join
        their records; pairs inside ``settings.review_band`` go to the review queue.
        People's decisions always win. ``model`` is a saved Splink model (JSON) to
        apply instead of training; ``save_model`` writes the model used;
        ``labels`` is a CSV of ``record_l,record_r`` pairs known to be the same person.
        """
        import pandas as pd

        from .link import cluster, complete_pairs, features, field_weights, score

        started = _now()
        t0 = time.perf_counter()
        s = self._r.settings
        threshold = float(threshold if threshold is not None else s.link_threshold)
        low = min(float(s.review_band[0]), threshold)
        summary = LinkSummary(threshold=threshold, backend=s.victims_backend)
        df = self.records()
        summary.records = len(df)
        with self._r.store.connect() as conn:
            same, different = _review.decisions(conn)
        summary.decisions = len(same) + len(different)
        model_dict: Mapping[str, Any] | None = None
        if model is not None:
            model_dict = model if isinstance(model, Mapping) else json.loads(Path(model).read_text(encoding="utf-8"))
            model_dict = {**model_dict, "reckon_trained": True}
        label_df = self._labels(labels, same)
        pairs_df = None
        used_model: dict[str, Any] = {}
        if len(df) >= 2:
            feats = features(df)
            res = score(feats, model=model_dict, labels=label_df, min_probability=low, backend=s.victims_backend,
                        train=train)
            # pairs inside candidate persons that blocking did not compare, scored with the same model
            extra = complete_pairs(feats, res, threshold, same=same)
            res.linker = None
            pairs_df = pd.concat([res.pairs, extra], ignore_index=True) if len(extra) else res.pairs
            used_model = res.model
            summary.trained = res.trained
            summary.notes.extend(res.notes)
            if save_model:
                Path(save_model).write_text(json.dumps(used_model, indent=2, default=str), encoding="utf-8")
        ids = df["id"].astype(int).tolist()
        triples: list[tuple[int, int, float]] = []
        rows: list[dict[str, Any]] = []
        if pairs_df is not None and len(pairs_df):
            recs = pairs_df.to_dict("records")
            for p in recs:
                a, b = sorted((int(p["unique_id_l"]), int(p["unique_id_r"])))
                triples.append((a, b, float(p["match_probability"])))
                if float(p["match_probability"]) >= low:  # the pairs kept for review and explanation
                    rows.append({"record_l": a, "record_r": b, "match_probability": float(p["match_probability"]),
                                 "match_weight": float(p["match_weight"]), "weights": field_weights(p)})
        assign = cluster(ids, triples, threshold, same=same, different=different)
        decided = {tuple(x) for x in same} | {tuple(x) for x in different}
        kept_apart = {frozenset((assign[a], assign[b])) for a, b in different if a in assign and b in assign}
        for row in rows:
            key = (row["record_l"], row["record_r"])
            if key in decided:
                row["status"] = "decided"
            elif row["match_probability"] >= threshold:
                persons = (assign[key[0]], assign[key[1]])
                if persons[0] == persons[1]:
                    row["status"] = "linked"
                else:
                    # two persons a decision keeps apart, or whose other records are, on average, unlike:
                    # a strong pair the clustering did not follow is worth a person's look
                    row["status"] = "held apart" if frozenset(persons) in kept_apart else "review"
            else:
                row["status"] = "review"
        summary.pairs = len(rows)
        summary.linked = sum(r["status"] == "linked" for r in rows)
        summary.review = sum(r["status"] == "review" for r in rows)
        summary.held_apart = sum(r["status"] == "held apart" for r in rows)
        summary.persons = len(set(assign.values()))
        with self._r.store.transaction() as conn:
            conn.execute(victim_pairs.delete())
            conn.execute(victim_links.delete())
            for b in range(0, len(rows), 5000):
                conn.execute(victim_pairs.insert(), rows[b:b + 5000])
            links = [{"record": i, "person_id": pid} for i, pid in assign.items()]
            for b in range(0, len(links), 5000):
                conn.execute(victim_links.insert(), links[b:b + 5000])
        summary.seconds = time.perf_counter() - t0
        self._r.record_run("victims.link", started, {"threshold": threshold, "review_band": [low, threshold],
                                                     "backend": s.victims_backend, "model": used_model},
                           {k: v for k, v in summary.__dict__.items() if k != "notes"})
        return summary

    def _labels(self, labels: str | os.PathLike[str] | None, same: list[tuple[int, int]]) -> "pd.DataFrame | None":
        import pandas as pd

        pairs = list(same)
        if labels is not None:
            lab = pd.read_csv(labels)
            cols = [c for c in ("record_l", "record_r") if c in lab.columns]
            if len(cols) != 2:
                raise InputError("a labels file needs columns record_l and record_r", path=labels, code="R142")
            pairs += [(int(a), int(b)) for a, b in zip(lab.record_l, lab.record_r)]
        if len(pairs) < 10:  # too few to estimate from; decisions still bind the clusters
            return None
        return pd.DataFrame(pairs, columns=["unique_id_l", "unique_id_r"])

    # -- review ---------------------------------------------------------------
    def review_queue(self, *, include_decided: bool = False) -> list[_review.ReviewPair]:
        """Pairs in the review band of the last link, least certain first."""
        with self._r.store.connect() as conn:
            return _review.queue(conn, include_decided=include_decided)

    def decide(self, pair_or_record_ids: str | tuple[int, int] | list[int], same: bool, why: str) -> dict[str, Any]:
        """Record that two records are (or are not) the same person; audit-logged, honoured by later links.

        The persons are updated at once for ``same``; a ``different`` decision splits
        a person at the next :meth:`link`.
        """
        pair = _review.parse_pair(pair_or_record_ids)
        with self._r.store.transaction() as conn:
            payload = _review.record_decision(conn, pair, same, actor=self._r.settings.actor, why=why)
            if same:
                pa = conn.execute(sa.select(victim_links.c.person_id).where(victim_links.c.record == pair[0])).scalar()
                pb = conn.execute(sa.select(victim_links.c.person_id).where(victim_links.c.record == pair[1])).scalar()
                pa, pb = pa or pair[0], pb or pair[1]
                if pa != pb:
                    keep, drop = min(pa, pb), max(pa, pb)
                    conn.execute(victim_links.update().where(victim_links.c.person_id == drop).values(person_id=keep))
                    for rid in pair:
                        if conn.execute(sa.select(victim_links.c.record).where(victim_links.c.record == rid)).first() is None:
                            conn.execute(victim_links.insert().values(record=rid, person_id=keep))
        return payload

    def explain(self, pair: str | tuple[int, int]) -> dict[str, Any]:
        """The scored pair: match probability, total weight and the weight each field gave."""
        a, b = _review.parse_pair(pair)
        with self._r.store.connect() as conn:
            r = conn.execute(sa.select(victim_pairs).where(victim_pairs.c.record_l == a, victim_pairs.c.record_r == b)).first()
            d = conn.execute(sa.select(victim_decisions).where(victim_decisions.c.record_l == a,
                                                               victim_decisions.c.record_r == b)).first()
        out: dict[str, Any] = {"pair": _review.pair_name(a, b), "scored": r is not None}
        if r is not None:
            out.update(match_probability=r.match_probability, match_weight=r.match_weight, weights=r.weights, status=r.status)
        if d is not None:
            out["decision"] = {"same": d.same, "actor": d.actor, "why": d.why, "at": d.decided_at.isoformat()}
        return out

    # -- outputs --------------------------------------------------------------
    def _iter_records(self, conn: sa.Connection, with_names: bool) -> Iterator[tuple[int, VictimRecord]]:
        q = (sa.select(victim_records, victim_links.c.person_id)
             .select_from(victim_records.outerjoin(victim_links, victim_links.c.record == victim_records.c.id))
             .order_by(victim_records.c.id))
        for r in conn.execute(q):
            m = r._mapping
            rec = VictimRecord(**{k: m[k] for k in VictimRecord.__dataclass_fields__ if k != "extra"},
                               extra=dict(m["extra"] or {}))
            if not with_names:
                rec = _hide_names(rec)
            yield (m["person_id"] or m["id"]), rec

    def persons(self, *, source: str | None = None, with_names: bool = True, limit: int | None = None) -> list[Person]:
        """Unique persons (after the last link) with their records and sources.

        ``source`` keeps persons documented by that list; ``with_names=False``
        blanks every name field (for viewers without the right to see names).
        """
        groups: dict[int, list[VictimRecord]] = {}
        with self._r.store.connect() as conn:
            for pid, rec in self._iter_records(conn, with_names):
                groups.setdefault(pid, []).append(rec)
        out = [Person(pid, tuple(recs)) for pid, recs in sorted(groups.items())]
        if source:
            out = [p for p in out if source in p.sources]
        return out[:limit] if limit else out

    def count(self) -> int:
        """The number of unique persons."""
        return len(self.persons())

    def export(self, path: str | os.PathLike[str] | None = None, format: str = "csv", *,  # noqa: A002
               with_names: bool = True) -> str | None:
        """Every record with its person: ``record_id, source, person_id`` then the fields (CSV or JSONL).

        ``record_id`` is the list's own id when it had a record id column, else
        ``L<line>``. Returns the text when ``path`` is None.
        """
        cols = ["record_id", "source", "person_id", "id", "line", *_STORED, "place_id", "place_admin1", "extra"]
        with self._r.store.connect() as conn:
            items = list(self._iter_records(conn, with_names))
        if format == "csv":
            buf: Any = io.StringIO() if path is None else Path(path).open("w", encoding="utf-8", newline="")
            w = csv.writer(buf)
            w.writerow(cols)
            for pid, rec in items:
                d = rec.to_dict()
                d["person_id"] = pid
                d["extra"] = json.dumps(rec.extra, ensure_ascii=False, default=str) if rec.extra else ""
                w.writerow(["" if d.get(c) is None else d[c] for c in cols])
        elif format == "jsonl":
            buf = io.StringIO() if path is None else Path(path).open("w", encoding="utf-8")
            for pid, rec in items:
                d = rec.to_dict()
                d["person_id"] = pid
                buf.write(json.dumps({c: d.get(c) for c in cols}, ensure_ascii=False, default=str) + "\n")
        else:
            raise InputError(f"unknown export format {format!r}", hint="use csv or jsonl", code="R143")
        if path is None:
            return buf.getvalue()
        buf.close()
        return None

    def overlap(self, strata: Sequence[str] = ()) -> "pd.DataFrame":
        """Persons per pattern of sources, per stratum: the input of multiple systems estimation.

        Columns: the ``strata`` (any of ``place``, ``sex``, ``age_group``, ``period``
        (year-month of death), ``status``; missing values are ``"unknown"``), then one
        0/1 int column per source (sorted names), then ``count``; only patterns with
        ``count > 0``. A person's stratum value is the most frequent one over their records.
        """
        import pandas as pd

        strata = list(strata)
        bad = [s for s in strata if s not in STRATA]
        if bad:
            raise InputError(f"unknown stratum {bad[0]!r}", hint="use " + ", ".join(STRATA), code="R144")
        with self._r.store.connect() as conn:
            sources = sorted(r.source for r in conn.execute(sa.select(victim_lists.c.source)))
        persons = self.persons(with_names=False)
        labels = _place_labels(persons) if "place" in strata else {}
        rows = []
        for p in persons:
            row: dict[str, Any] = {s: _stratum(p, s, labels) for s in strata}
            present = set(p.sources)
            row.update({src: int(src in present) for src in sources})
            rows.append(row)
        cols = strata + sources
        if not rows:
            return pd.DataFrame({c: pd.Series(dtype="object" if c in strata else "int64") for c in cols + ["count"]})
        df = pd.DataFrame(rows, columns=cols)
        out = df.groupby(cols, dropna=False).size().reset_index(name="count")
        out = out[out["count"] > 0].sort_values(cols).reset_index(drop=True)
        for src in sources:
            out[src] = out[src].astype("int64")
        out["count"] = out["count"].astype("int64")
        return out


def _norm(v: Any) -> Any:
    if isinstance(v, dict):
        return json.dumps(v, sort_keys=True, default=str)
    if v == "":
        return None
    return v


def _hide_names(rec: VictimRecord) -> VictimRecord:
    import dataclasses

    return dataclasses.replace(rec, **{f: None for f in NAME_FIELDS})


def _age_group(age: int | None) -> str:
    if age is None:
        return "unknown"
    for lo, hi, label in AGE_GROUPS:
        if lo <= age <= hi:
            return label
    return "unknown"


def _place_labels(persons: list[Person]) -> dict[str, str]:
    """place key -> its most frequent spelling, so one village spelled three ways is one stratum."""
    spellings: dict[str, Counter[str]] = {}
    for p in persons:
        for r in p.records:
            if r.place:
                spellings.setdefault(place_key(r.place) or r.place, Counter())[r.place] += 1
    return {k: c.most_common(1)[0][0] for k, c in spellings.items()}


def _stratum(p: Person, name: str, place_labels: dict[str, str]) -> str:
    if name == "place":
        admin = p.value("place_admin1")
        if admin:
            return str(admin)
        keys = [place_key(r.place) or r.place for r in p.records if r.place]
        if not keys:
            return "unknown"
        return place_labels.get(Counter(keys).most_common(1)[0][0], "unknown")
    if name == "age_group":
        ages = [r.age if r.age is not None else (r.date_of_death.year - r.birth_year if r.birth_year and r.date_of_death else None)
                for r in p.records]
        ages = [a for a in ages if a is not None]
        return _age_group(Counter(ages).most_common(1)[0][0] if ages else None)
    if name == "period":
        d = p.value("date_of_death")
        return d.strftime("%Y-%m") if d else "unknown"
    v = p.value(name)
    return str(v) if v else "unknown"
