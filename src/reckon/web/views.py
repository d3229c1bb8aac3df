"""Routes of the web app: every HTML page and its JSON twin under ``/api``.

Each route reads or writes through the Python API only (``r.incidents``,
``r.places``, ``r.victims``, ``r.estimates``, ``r.claims``, ``r.documents``); a
capability that is not there makes the page say so (HTTP 501) instead of
showing made-up data.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Callable

from urllib.parse import quote, urlencode

import sqlalchemy as sa

from ..errors import InputError, NotFoundError, ReckonError
from ..model import Claim, Span
from ..store.schema import claims, documents
from .app import MAX_PAGE, PAGE_SIZE, Principal, Unavailable, _int, incident_filters, plain, redact_names
from .common import EVENT_COLOURS, calendar
from .context import claim_context

from fastapi import Body, FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Reckon

#: table columns the incidents store can sort by (its ORDERS)
SORTABLE = ("id", "date", "fatalities", "corroboration", "claims")
#: at most this many markers per map answer; past it the server groups more coarsely
MAX_MAP_POINTS = 4000
#: what the accounts page can report as just done
USER_ACTIONS = {"added": "Account added", "role": "Role changed", "disabled": "Account disabled",
                "enabled": "Account enabled", "revoked": "API tokens revoked"}


def fmt_count(value: Any) -> str:
    """A figure for a table cell: blank for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, dict):
        lo, hi = value.get("min"), value.get("max")
        return str(lo) if lo == hi else (f"{lo}+" if hi is None else f"{lo}-{hi}")
    return str(value)


def _editable() -> dict[str, str]:
    """Incident fields an editor may set, with what each takes."""
    try:
        from ..incidents.review import EDITABLE
    except ImportError:  # pragma: no cover - incidents not installed
        return {}
    return dict(EDITABLE)


def capability(what: str, fn: Callable[[], Any]) -> Any:
    """Call into a capability; one that is missing or unfinished raises :class:`Unavailable`."""
    try:
        return fn()
    except ReckonError:
        raise
    except (AttributeError, NotImplementedError, ImportError, TypeError) as exc:
        raise Unavailable(what, exc) from exc


def _sort(order: str | None) -> str:
    if not order:
        return "-date"
    key = order.lstrip("-")
    if key not in SORTABLE:
        raise InputError(f"cannot sort by {key!r}", field="order", hint=", ".join(SORTABLE))
    return order


# -- data the pages and the API share ---------------------------------------------------
def incidents_page(r: "Reckon", params: Any) -> dict[str, Any]:
    filters = incident_filters(params)
    offset = _int(params.get("offset"), 0, 0, 10**9)
    limit = _int(params.get("limit"), PAGE_SIZE, 1, MAX_PAGE)
    order = _sort(params.get("order"))

    def run() -> dict[str, Any]:
        q = r.incidents(**filters)
        total = q.count()
        rows = [plain(x) for x in q.page(offset, limit, order)]
        return {"total": total, "offset": offset, "limit": limit, "order": order, "filters": plain(filters),
                "incidents": rows}

    return capability("incidents", run)


def incident_detail(r: "Reckon", incident_id: str) -> dict[str, Any]:
    data = plain(capability("incidents", lambda: r.incidents.get(incident_id)))
    if not data:
        raise NotFoundError(f"no incident {incident_id!r}")
    texts: dict[str, str] = {}
    data["claims"] = [claim_dict_view(r, c, texts) for c in data.get("claims") or []]
    return data


def _span(v: Any) -> Span | None:
    return Span(int(v[0]), int(v[1])) if v else None


def claim_dict_view(r: "Reckon", c: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    """A claim given as a dict (the incidents API's form) with its sentence in context."""
    doc = c.get("doc") or ""
    if doc not in texts:
        d = r.document(doc)
        texts[doc] = d.text if d else ""
    text = texts[doc]
    quote = _span(c.get("quote_span")) or Span(0, 0)
    sentence = _span(c.get("sentence_span")) or quote
    spans = {k: tuple(Span(a, b) for a, b in v) for k, v in (c.get("spans") or {}).items() if k != "quote"}
    claim = Claim(doc=doc, quote_span=quote, event_type=c.get("event_type") or "", sub_event_type=c.get("sub_event_type") or "",
                  spans=spans, sentence_span=sentence, text=text)
    out = dict(c)
    info = c.get("document") or {}
    out["source"] = {"doc": doc, "title": info.get("title"), "url": info.get("url"), "date": info.get("date")}
    out["context"] = _context(claim)
    return out


def _context(c: Claim) -> dict[str, Any]:
    segs, cut_start, cut_end = claim_context(c)
    return {"cut_start": cut_start, "cut_end": cut_end,
            "segments": [{"text": s.text, "fields": list(s.fields), "in_sentence": s.in_sentence} for s in segs]}


def claim_view(r: "Reckon", c: Claim) -> dict[str, Any]:
    """A claim as shown on a page: its fields, its source and its sentence in context."""
    d = plain(c)
    doc = r.document(c.doc)
    d["source"] = {"doc": c.doc, "title": doc.title if doc else None, "url": doc.url if doc else None,
                   "date": doc.date.isoformat() if doc and doc.date else None}
    d["context"] = _context(c)
    return d


def timeline_data(r: "Reckon", params: Any) -> dict[str, Any]:
    """Fatalities per day by event type: {"days": [...], "series": {type: [n per day]}}."""
    filters = incident_filters(params)
    raw = capability("incident timeline", lambda: r.incidents.timeline(**filters))
    per: dict[str, dict[str, int]] = {}
    for row in plain(raw) if not isinstance(raw, dict) else [raw]:
        if isinstance(row, dict):
            day = row.get("day") or row.get("date")
            et = row.get("event_type") or "all"
            n = row.get("fatalities_best") or row.get("fatalities") or 0
        else:
            day, et, n = row[0], row[1], row[2]
        if day is None:
            continue
        per.setdefault(et, {})
        per[et][str(day)] = per[et].get(str(day), 0) + int(n or 0)
    days, bucket = calendar({d for s in per.values() for d in s})
    if bucket == "week":
        weekly: dict[str, dict[str, int]] = {}
        for et, s in per.items():
            for d, n in s.items():
                day = dt.date.fromisoformat(d)
                key = (day - dt.timedelta(days=day.weekday())).isoformat()
                weekly.setdefault(et, {})
                weekly[et][key] = weekly[et].get(key, 0) + n
        per = weekly
    return {"days": days, "bucket": bucket, "series": {et: [s.get(d, 0) for d in days] for et, s in sorted(per.items())},
            "colours": EVENT_COLOURS, "filters": plain(filters)}


def map_data(r: "Reckon", params: Any) -> dict[str, Any]:
    filters = incident_filters(params)
    zoom = _int(params.get("zoom"), 6, 0, 20)
    bbox = params.get("bbox")
    if bbox:
        try:
            west, south, east, north = (float(x) for x in str(bbox).split(","))
        except ValueError as exc:
            raise InputError("bbox must be west,south,east,north", field="bbox") from exc
        filters["bbox"] = (west, south, east, north)

    points = [plain(p) for p in capability("incident map", lambda: r.incidents.map_points(filters, zoom))]
    while len(points) > MAX_MAP_POINTS and zoom > 0:  # never ship more than a browser can draw
        zoom -= 1
        points = [plain(p) for p in r.incidents.map_points(filters, zoom)]
    _describe_single_points(r, points)
    return {"zoom": zoom, "points": points, "colours": EVENT_COLOURS, "filters": plain(filters)}


def map_extent(r: "Reckon", params: Any) -> dict[str, Any]:
    """The box around the located incidents that match the filters: {"bbox": [w, s, e, n] or None, "count"}."""
    filters = incident_filters(params)

    def run() -> Any:
        from ..incidents.tables import incidents as t

        q = r.incidents(**filters).select(sa.func.min(t.c.lon), sa.func.min(t.c.lat), sa.func.max(t.c.lon),
                                          sa.func.max(t.c.lat), sa.func.count(t.c.id))
        q = q.where(t.c.lat.is_not(None), t.c.lon.is_not(None))
        with r.store.connect() as conn:
            return conn.execute(q).one()

    west, south, east, north, n = capability("incident map", run)
    return {"bbox": None if not n else [west, south, east, north], "count": int(n or 0)}


def _describe_single_points(r: "Reckon", points: list[dict[str, Any]]) -> None:
    """Give points that stand for one incident what the popup and the colour need."""
    ids = [p["id"] for p in points if p.get("id") and (p.get("count") or 1) == 1]
    if not ids:
        return
    info: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 900):
        chunk = ids[i : i + 900]
        for row in r.incidents(ids=chunk).page(0, len(chunk), "id"):
            info[row["id"]] = row
    for p in points:
        row = info.get(p.get("id") or "")
        if row:
            fat = row.get("fatalities") or {}
            p.update(event_type=row.get("event_type"), date_start=row.get("date_start"), location=row.get("location"),
                     admin1=row.get("admin1"), actor1=row.get("actor1"), fatalities_best=fat.get("best"),
                     fatalities_low=fat.get("low"), fatalities_high=fat.get("high"))


def documents_data(r: "Reckon", params: Any = None) -> dict[str, Any]:
    """One page of documents (newest first, without their text) with how many claims each holds."""
    params = params or {}
    offset = _int(params.get("offset"), 0, 0, 10**9)
    limit = _int(params.get("limit"), 100, 1, MAX_PAGE)
    n_claims = (sa.select(claims.c.document_id, sa.func.count().label("n")).group_by(claims.c.document_id).subquery())
    q = (sa.select(documents.c.doc, documents.c.title, documents.c.url, documents.c.date, documents.c.language,
                   documents.c.n_words, documents.c.sha256, documents.c.extracted_at,
                   sa.func.coalesce(n_claims.c.n, 0).label("claims"))
         .select_from(documents.outerjoin(n_claims, n_claims.c.document_id == documents.c.id))
         .order_by(documents.c.date.desc(), documents.c.id.desc()).offset(offset).limit(limit))
    with r.store.connect() as conn:
        total = int(conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one())
        rows = [plain(dict(row._mapping)) for row in conn.execute(q)]
    for row in rows:
        row["words"] = row.pop("n_words")
    return {"total": total, "offset": offset, "limit": limit, "documents": rows}


def claims_page(r: "Reckon", params: Any) -> dict[str, Any]:
    """One page of claims in document order; only that page is read in full."""
    c, d = claims.c, documents.c
    q = sa.select(c.id).select_from(claims.join(documents, d.id == c.document_id))
    if params.get("doc"):
        q = q.where(d.doc == params["doc"])
    if params.get("event_type"):
        q = q.where(c.event_type == params["event_type"])
    for k, cond in (("date_from", lambda v: c.date_end >= v), ("date_to", lambda v: c.date_start <= v)):
        if params.get(k):
            try:
                q = q.where(cond(dt.date.fromisoformat(params[k])))
            except ValueError as exc:
                raise InputError(f"{k} must be a date YYYY-MM-DD", field=k) from exc
    offset = _int(params.get("offset"), 0, 0, 10**9)
    limit = _int(params.get("limit"), PAGE_SIZE, 1, MAX_PAGE)
    with r.store.connect() as conn:
        total = int(conn.execute(sa.select(sa.func.count()).select_from(q.subquery())).scalar_one())
        ids = [row.id for row in conn.execute(q.order_by(c.document_id, c.seq).offset(offset).limit(limit))]
    found = [x.to_dict() for x in r.claims(ids=ids)] if ids else []
    return {"total": total, "offset": offset, "limit": limit, "claims": found}


def document_detail(r: "Reckon", doc: str) -> dict[str, Any]:
    d = r.document(doc)
    if d is None:
        raise NotFoundError(f"no document {doc!r}")
    row = d.as_dict()
    row["claims"] = [claim_view(r, c) for c in r.claims(doc=doc)]
    return row


def victims_data(r: "Reckon", p: Principal, params: Any = None) -> dict[str, Any]:
    """One page of persons; names only for users allowed to see them."""
    sees = p.user.sees_names
    params = params or {}
    offset = _int(params.get("offset"), 0, 0, 10**9)
    limit = _int(params.get("limit"), 200, 1, MAX_PAGE)
    everyone = capability("victims", lambda: r.victims.persons(with_names=sees))
    persons = [plain(x) for x in everyone[offset : offset + limit]]
    return {"names_shown": sees, "total": len(everyone), "offset": offset, "limit": limit,
            "persons": persons if sees else redact_names(persons)}


def add_routes(app: "FastAPI", r: "Reckon", *, page: Callable[..., Any], viewer: Any, editor: Any, admin: Any,
               actor_for: Callable[[Principal], "Reckon"], users: Any) -> None:
    """Attach the pages and the JSON API to ``app``."""
    # -- map -------------------------------------------------------------------------
    @app.get("/map", include_in_schema=False)
    def map_page(request: Request, p: Principal = viewer) -> Response:
        return page(request, "map.html", p, title="Map", params=dict(request.query_params), colours=EVENT_COLOURS)

    @app.get("/api/map/extent", tags=["incidents"], summary="The box around the located incidents that match the filters")
    def api_map_extent(request: Request, p: Principal = viewer) -> dict[str, Any]:
        return map_extent(r, request.query_params)

    @app.get("/api/map", tags=["incidents"], summary="Incidents for the map, clustered by the server for a zoom level")
    def api_map(request: Request, p: Principal = viewer) -> dict[str, Any]:
        return map_data(r, request.query_params)

    # -- timeline --------------------------------------------------------------------
    @app.get("/timeline", include_in_schema=False)
    def timeline_page(request: Request, p: Principal = viewer) -> Response:
        return page(request, "timeline.html", p, title="Timeline", params=dict(request.query_params),
                    colours=EVENT_COLOURS)

    @app.get("/api/timeline", tags=["incidents"], summary="Fatalities per day by event type")
    def api_timeline(request: Request, p: Principal = viewer) -> dict[str, Any]:
        return timeline_data(r, request.query_params)

    # -- incidents -------------------------------------------------------------------
    @app.get("/incidents", include_in_schema=False)
    def incidents_html(request: Request, p: Principal = viewer) -> Response:
        data = incidents_page(r, request.query_params)
        return page(request, "incidents.html", p, title="Incidents", data=data, params=dict(request.query_params),
                    sortable=SORTABLE, colours=EVENT_COLOURS)

    @app.get("/api/incidents", tags=["incidents"],
             summary="Incidents, filtered (event_type, date_from, date_to, place, admin1, country, actor, "
                     "min_fatalities, q full text), sorted (order=[-]column) and paged (offset, limit)")
    def api_incidents(request: Request, p: Principal = viewer) -> dict[str, Any]:
        return incidents_page(r, request.query_params)

    @app.get("/incidents/{incident_id}", include_in_schema=False)
    def incident_html(request: Request, incident_id: str, p: Principal = viewer) -> Response:
        data = incident_detail(r, incident_id)
        return page(request, "incident.html", p, title=f"Incident {incident_id}", inc=data, colours=EVENT_COLOURS,
                    editable=_editable())

    @app.get("/api/incidents/{incident_id}", tags=["incidents"],
             summary="One incident: fused figures, corroboration, conflicts and every claim in context")
    def api_incident(incident_id: str, p: Principal = viewer) -> dict[str, Any]:
        return incident_detail(r, incident_id)

    def _merge(p: Principal, a: str, b: str, why: str) -> Any:
        return plain(capability("incident merge", lambda: actor_for(p).incidents.merge(a, b, why=why)))

    def _split(p: Principal, incident_id: str, claim_ids: list[int], why: str) -> Any:
        return plain(capability("incident split", lambda: actor_for(p).incidents.split(incident_id, claim_ids, why=why)))

    def _edit(p: Principal, incident_id: str, field: str, value: Any, why: str) -> Any:
        return plain(capability("incident edit", lambda: actor_for(p).incidents.edit(incident_id, field, value, why=why)))

    @app.post("/api/incidents/merge", tags=["corrections"], summary="Merge incident b into incident a (editor)")
    def api_merge(a: str = Body(...), b: str = Body(...), why: str = Body(...), p: Principal = editor) -> dict[str, Any]:
        return {"result": _merge(p, a, b, why)}

    @app.post("/api/incidents/{incident_id}/split", tags=["corrections"], summary="Split claims off an incident (editor)")
    def api_split(incident_id: str, claim_ids: list[int] = Body(...), why: str = Body(...),
                  p: Principal = editor) -> dict[str, Any]:
        return {"result": _split(p, incident_id, claim_ids, why)}

    @app.post("/api/incidents/{incident_id}/edit", tags=["corrections"], summary="Correct an incident's fields (editor)")
    def api_edit(incident_id: str, field: str = Body(...), value: Any = Body(...), why: str = Body(...),
                 p: Principal = editor) -> dict[str, Any]:
        return {"result": _edit(p, incident_id, field, value, why)}

    @app.post("/incidents/merge", include_in_schema=False)
    def merge_form(a: str = Form(...), b: str = Form(...), why: str = Form(...), p: Principal = editor) -> Response:
        res = _merge(p, a.strip(), b.strip(), why)
        target = res if isinstance(res, str) else a.strip()
        return RedirectResponse(f"/incidents/{quote(target)}", status_code=303)

    @app.post("/incidents/{incident_id}/edit", include_in_schema=False)
    def edit_form(incident_id: str, field: str = Form(...), value: str = Form(...), why: str = Form(...),
                  p: Principal = editor) -> Response:
        _edit(p, incident_id, field, value, why)
        return RedirectResponse(f"/incidents/{quote(incident_id)}", status_code=303)

    @app.post("/incidents/{incident_id}/split", include_in_schema=False)
    def split_form(incident_id: str, claim_ids: str = Form(...), why: str = Form(...),
                   p: Principal = editor) -> Response:
        try:
            cids = [int(x) for x in claim_ids.replace(",", " ").split()]
        except ValueError as exc:
            raise InputError("claim ids must be numbers", field="claim_ids") from exc
        _split(p, incident_id, cids, why)
        return RedirectResponse(f"/incidents/{quote(incident_id)}", status_code=303)

    # -- documents and claims ----------------------------------------------------------
    @app.get("/documents", include_in_schema=False)
    def documents_html(request: Request, p: Principal = viewer) -> Response:
        return page(request, "documents.html", p, title="Documents", data=documents_data(r, request.query_params))

    @app.get("/api/documents", tags=["documents"], summary="Stored documents without their text, newest first, paged")
    def api_documents(request: Request, p: Principal = viewer) -> dict[str, Any]:
        return documents_data(r, request.query_params)

    @app.get("/documents/{doc}", include_in_schema=False)
    def document_html(request: Request, doc: str, p: Principal = viewer) -> Response:
        return page(request, "document.html", p, title=f"Document {doc}", d=document_detail(r, doc))

    @app.get("/api/documents/{doc}", tags=["documents"], summary="One document with its text and claims in context")
    def api_document(doc: str, p: Principal = viewer) -> dict[str, Any]:
        return document_detail(r, doc)

    @app.get("/api/claims", tags=["documents"], summary="Claims, paged (doc, event_type, date_from, date_to, offset, limit)")
    def api_claims(request: Request, p: Principal = viewer) -> dict[str, Any]:
        return claims_page(r, request.query_params)

    # -- places ----------------------------------------------------------------------
    def _mentions(status: str, limit: int = 100_000) -> list[Any]:
        return [plain(m) for m in capability("places", lambda: r.places.mentions(status))[:limit]]

    @app.get("/places", include_in_schema=False)
    def places_html(request: Request, status: str = "unresolved", name: str = "", fixed: str = "",
                    p: Principal = viewer) -> Response:
        status = status if status in ("unresolved", "ambiguous", "resolved") else "unresolved"
        found = [plain(x) for x in capability("places", lambda: r.places.search(name))] if name.strip() else []
        mentions = _mentions(status)
        return page(request, "places.html", p, title="Places", status=status, mentions=mentions[:500],
                    total=len(mentions), search=name, found=found, fixed=bool(fixed))

    @app.get("/api/places/mentions", tags=["places"], summary="Place mentions by status (unresolved, ambiguous, resolved)")
    def api_mentions(status: str = "unresolved", p: Principal = viewer) -> list[Any]:
        return _mentions(status)

    @app.get("/api/places/search", tags=["places"], summary="Gazetteer places matching a name")
    def api_place_search(name: str, p: Principal = viewer) -> list[Any]:
        return [plain(x) for x in capability("places", lambda: r.places.search(name))]

    def _set_place(p: Principal, mention: str, place_id: str, doc: str | None, why: str) -> Any:
        return plain(capability("place correction",
                                lambda: actor_for(p).places.set(mention, place_id, doc=doc or None, why=why)))

    @app.post("/api/places/set", tags=["corrections"], summary="Set the place a mention refers to (editor)")
    def api_set_place(mention: str = Body(...), place_id: str = Body(...), doc: str | None = Body(None),
                      why: str = Body(...), p: Principal = editor) -> dict[str, Any]:
        return {"result": _set_place(p, mention, place_id, doc, why)}

    @app.post("/places/set", include_in_schema=False)
    def set_place_form(mention: str = Form(...), place_id: str = Form(...), doc: str = Form(""),
                       why: str = Form(...), status: str = Form("unresolved"), p: Principal = editor) -> Response:
        _set_place(p, mention, place_id, doc, why)
        return RedirectResponse(f"/places?status={status}&fixed=1", status_code=303)

    # -- victims ---------------------------------------------------------------------
    @app.get("/victims", include_in_schema=False)
    def victims_html(request: Request, p: Principal = viewer) -> Response:
        data = victims_data(r, p, request.query_params)
        queue = []
        if p.user.may("editor"):
            queue = [plain(x) for x in capability("victims review", lambda: r.victims.review_queue())]
        return page(request, "victims.html", p, title="Victims", data=data, queue=queue)

    @app.get("/api/victims", tags=["victims"],
             summary="Persons with records across sources, paged (offset, limit); names only with the right")
    def api_victims(request: Request, p: Principal = viewer) -> dict[str, Any]:
        return victims_data(r, p, request.query_params)

    @app.get("/api/victims/review", tags=["victims"], summary="Uncertain record pairs to review (editor)")
    def api_victims_review(p: Principal = editor) -> list[Any]:
        return [plain(x) for x in capability("victims review", lambda: r.victims.review_queue())]

    def _decide(p: Principal, pair: str, decision: str, why: str) -> Any:
        if decision not in ("same", "different"):
            raise InputError("decision must be 'same' or 'different'", field="decision")
        same = decision == "same"
        return plain(capability("victims review", lambda: actor_for(p).victims.decide(pair, same, why=why)))

    @app.post("/api/victims/decide", tags=["corrections"], summary="Decide a review pair: same or different (editor)")
    def api_decide(pair: str = Body(...), decision: str = Body(...), why: str = Body(...),
                   p: Principal = editor) -> dict[str, Any]:
        return {"result": _decide(p, pair, decision, why)}

    @app.post("/victims/decide", include_in_schema=False)
    def decide_form(pair: str = Form(...), decision: str = Form(...), why: str = Form(...),
                    p: Principal = editor) -> Response:
        _decide(p, pair, decision, why)
        return RedirectResponse("/victims", status_code=303)

    # -- estimates -------------------------------------------------------------------
    def _estimates() -> Any:
        return plain(capability("estimates", lambda: r.estimates.latest()))

    @app.get("/estimates", include_in_schema=False)
    def estimates_html(request: Request, p: Principal = viewer) -> Response:
        return page(request, "estimates.html", p, title="Estimates", est=_estimates())

    @app.get("/api/estimates", tags=["estimates"], summary="The latest estimates with their method and intervals")
    def api_estimates(p: Principal = viewer) -> Any:
        return _estimates()

    # -- accounts --------------------------------------------------------------------
    @app.get("/api/me", tags=["accounts"], summary="Who you are logged in as")
    def api_me(p: Principal = viewer) -> dict[str, Any]:
        u = p.user
        return {"name": u.name, "role": u.role, "can_see_names": u.sees_names, "via": p.via}

    @app.get("/api/users", tags=["accounts"], summary="Accounts (admin)")
    def api_users(p: Principal = admin) -> list[dict[str, Any]]:
        return [plain(u) for u in users.overview()]

    # Account management: the same audited methods as ``reckon users`` (reckon.web.auth.Users), run as
    # ``web:<admin>`` so the audit log names who did it. Admins only; forms carry the session's CSRF token.
    def _as(p: Principal) -> Any:
        from .auth import Users

        return Users(actor_for(p))

    def _not_myself(p: Principal, name: str, what: str) -> None:
        if name == p.user.name:
            raise InputError(f"you cannot {what} your own account here", field="name",
                             hint="ask another admin, or use reckon users on the server")

    def _add_user(p: Principal, name: str, role: str, can_see_names: bool, password: str | None, why: str) -> Any:
        u = _as(p).add(name, role=role, password=password, can_see_names=can_see_names, why=why or "new account")
        return {"name": u.name, "role": u.role, "can_see_names": u.can_see_names}

    def _set_role(p: Principal, name: str, role: str, can_see_names: bool | None, why: str) -> Any:
        if role != "admin":
            _not_myself(p, name, "lower the role of")
        u = _as(p).set_role(name, role, can_see_names=can_see_names, why=why or "role changed")
        return {"name": u.name, "role": u.role, "can_see_names": u.can_see_names}

    def _disable(p: Principal, name: str, why: str) -> Any:
        _not_myself(p, name, "disable")
        _as(p).disable(name, why=why or "account disabled")
        return {"name": name, "disabled": True}

    def _enable(p: Principal, name: str, why: str) -> Any:
        _as(p).enable(name, why=why or "account enabled")
        return {"name": name, "disabled": False}

    def _revoke(p: Principal, name: str, why: str) -> Any:
        return {"name": name, "revoked": _as(p).revoke_tokens(name, why=why or "API tokens revoked")}

    @app.get("/users", include_in_schema=False)
    def users_html(request: Request, done: str = "", user: str = "", p: Principal = admin) -> Response:
        from .auth import ROLES

        return page(request, "users.html", p, title="Accounts", accounts=users.overview(), roles=ROLES,
                    done=USER_ACTIONS.get(done, ""), done_user=user)

    @app.post("/api/users", tags=["accounts"], summary="Add an account (admin); no password makes a token-only account")
    def api_add_user(name: str = Body(...), role: str = Body("viewer"), can_see_names: bool = Body(False),
                     password: str | None = Body(None), why: str = Body("new account"),
                     p: Principal = admin) -> dict[str, Any]:
        return {"result": _add_user(p, name, role, can_see_names, password, why)}

    @app.post("/api/users/{name}/role", tags=["accounts"], summary="Change an account's role (admin)")
    def api_set_role(name: str, role: str = Body(...), can_see_names: bool | None = Body(None),
                     why: str = Body("role changed"), p: Principal = admin) -> dict[str, Any]:
        return {"result": _set_role(p, name, role, can_see_names, why)}

    @app.post("/api/users/{name}/disable", tags=["accounts"], summary="Disable an account (admin)")
    def api_disable(name: str, why: str = Body("account disabled", embed=True), p: Principal = admin) -> dict[str, Any]:
        return {"result": _disable(p, name, why)}

    @app.post("/api/users/{name}/enable", tags=["accounts"], summary="Enable a disabled account (admin)")
    def api_enable(name: str, why: str = Body("account enabled", embed=True), p: Principal = admin) -> dict[str, Any]:
        return {"result": _enable(p, name, why)}

    @app.post("/api/users/{name}/revoke", tags=["accounts"], summary="Revoke every API token of an account (admin)")
    def api_revoke(name: str, why: str = Body("API tokens revoked", embed=True), p: Principal = admin) -> dict[str, Any]:
        return {"result": _revoke(p, name, why)}

    def _done(action: str, name: str) -> Response:
        return RedirectResponse("/users?" + urlencode({"done": action, "user": name}), status_code=303)

    @app.post("/users/add", include_in_schema=False)
    def add_user_form(name: str = Form(...), role: str = Form("viewer"), can_see_names: str = Form(""),
                      password: str = Form(""), password2: str = Form(""), token_only: str = Form(""),
                      why: str = Form(""), p: Principal = admin) -> Response:
        if token_only:
            pw = None
        elif not password:
            raise InputError("give an initial password, or tick 'API tokens only'", field="password")
        elif password != password2:
            raise InputError("the two passwords differ", field="password")
        else:
            pw = password
        res = _add_user(p, name, role, bool(can_see_names), pw, why)
        return _done("added", res["name"])

    @app.post("/users/{name}/role", include_in_schema=False)
    def role_form(name: str, role: str = Form(...), can_see_names: str = Form(""), why: str = Form(""),
                  p: Principal = admin) -> Response:
        _set_role(p, name, role, bool(can_see_names), why)
        return _done("role", name)

    @app.post("/users/{name}/disable", include_in_schema=False)
    def disable_form(name: str, why: str = Form(""), p: Principal = admin) -> Response:
        _disable(p, name, why)
        return _done("disabled", name)

    @app.post("/users/{name}/enable", include_in_schema=False)
    def enable_form(name: str, why: str = Form(""), p: Principal = admin) -> Response:
        _enable(p, name, why)
        return _done("enabled", name)

    @app.post("/users/{name}/revoke", include_in_schema=False)
    def revoke_form(name: str, why: str = Form(""), p: Principal = admin) -> Response:
        _revoke(p, name, why)
        return _done("revoked", name)

    @app.get("/api/runs", tags=["methods"], summary="What was run on this database, with settings and summaries")
    def api_runs(p: Principal = viewer) -> list[Any]:
        return plain(r.runs())
