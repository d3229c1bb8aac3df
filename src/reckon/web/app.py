"""The web app: server-rendered pages, each with a JSON twin under ``/api``.

    >>> from reckon.web.app import create_app
    >>> app = create_app(reckon.open("reckon.db"))   # an ASGI app; ``reckon serve`` runs it

Every route checks the caller's role on the server. Browsers log in with a
session cookie (HttpOnly, SameSite=Strict) and must send the session's CSRF
token with every POST/PUT/PATCH/DELETE (form field ``csrf`` or header
``X-CSRF-Token``); scripts send ``Authorization: Bearer <token>`` instead.
Editors' corrections call the same audited API methods as the CLI, with the
logged-in user as the audit actor. Victims' names are removed from every page
and answer for viewers without the ``can_see_names`` right.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hmac
import secrets
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlencode

try:
    from fastapi import Depends, FastAPI, Request
    from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
    from fastapi.staticfiles import StaticFiles
    from jinja2 import Environment, FileSystemLoader
except ImportError as _exc:  # pragma: no cover - the web extra is missing
    from ..errors import MissingExtra as _Missing

    raise _Missing("fastapi", "web") from _exc

from ..errors import InputError, MissingExtra, NotFoundError, ReckonError

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Reckon

__all__ = ["create_app", "serve", "Principal", "SESSION_COOKIE"]

SESSION_COOKIE = "reckon_session"
LOGIN_CSRF_COOKIE = "reckon_login_csrf"
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]
PAGE_SIZE = 50
MAX_PAGE = 500
#: incident filters taken from the query string, as the CLI names them
INCIDENT_FILTERS = ("event_type", "sub_event_type", "date_from", "date_to", "place", "admin1", "country", "actor",
                    "min_fatalities", "min_corroboration", "conflict", "q")

HERE = Path(str(files("reckon.web")))


@dataclasses.dataclass(frozen=True)
class Principal:
    """Who is asking and how: ``via`` is "session" (browser) or "token" (script)."""

    user: Any  # reckon.web.auth.User
    via: str
    csrf: str = ""


class NotLoggedIn(Exception):
    """Raised by the auth dependency; pages redirect to the login form, the API answers 401."""


class Forbidden(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- plain values for templates and JSON -------------------------------------------
def plain(obj: Any) -> Any:
    """Records (dataclasses, objects with ``to_dict``) as JSON-ready dicts and lists."""
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    if hasattr(obj, "to_dict") and callable(obj.to_dict):
        return plain(obj.to_dict())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: plain(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name != "text"}
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [plain(v) for v in obj]
    if hasattr(obj, "_mapping"):
        return plain(dict(obj._mapping))
    return str(obj)


def redact_names(obj: Any) -> Any:
    """Replace every value under a key that names a person (``name``, ``full_name``...) with None."""
    if isinstance(obj, dict):
        return {k: (None if _is_name_key(k) else redact_names(v)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [redact_names(v) for v in obj]
    return obj


def _is_name_key(key: str) -> bool:
    k = key.lower()
    return "name" in k and not k.startswith(("place", "admin", "country", "source", "list", "file"))


def _int(value: Any, default: int, lo: int, hi: int) -> int:
    try:
        return max(lo, min(hi, int(value)))
    except (TypeError, ValueError):
        return default


def incident_filters(params: Any) -> dict[str, Any]:
    """The incident filters given in a query string (empty ones dropped)."""
    out: dict[str, Any] = {}
    for k in INCIDENT_FILTERS:
        v = params.get(k)
        if v is None or str(v).strip() == "":
            continue
        v = str(v).strip()
        if k == "q":
            out["text"] = v  # full-text search (SQLite FTS5 in the incidents store)
        elif k == "conflict":
            out[k] = v.lower() in ("1", "true", "yes", "on")
        elif k in ("min_fatalities", "min_corroboration"):
            try:
                out[k] = int(v)
            except ValueError as exc:
                raise InputError(f"{k} must be a whole number, not {v!r}", field=k) from exc
        elif k in ("date_from", "date_to"):
            try:
                out[k] = dt.date.fromisoformat(v)
            except ValueError as exc:
                raise InputError(f"{k} must be a date YYYY-MM-DD, not {v!r}", field=k) from exc
        else:
            out[k] = v
    return out


class Unavailable(Exception):
    """A capability the page needs is not installed or not built yet."""

    def __init__(self, what: str, exc: BaseException | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.detail = repr(exc) if exc else ""


def create_app(reckon: "Reckon", *, allowed_hosts: list[str] | None = None, login_limit: Any = None) -> "FastAPI":
    """The web app over one open database.

    ``allowed_hosts`` limits the Host header the app answers to (``reckon serve`` on the loopback
    address allows only loopback names, which defeats DNS rebinding); None allows any.
    ``login_limit`` (a :class:`reckon.web.throttle.LoginLimit`) sets how many failed logins are
    allowed per name and per client address; None reads it from the environment, with defaults.
    """
    from . import views
    from .auth import Users
    from .throttle import LoginThrottle

    users = Users(reckon)
    throttle = LoginThrottle(reckon, login_limit)
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["count"] = views.fmt_count
    env.globals["qs"] = lambda params, **kw: urlencode({**{k: v for k, v in params.items() if v not in (None, "")},
                                                         **{k: v for k, v in kw.items() if v is not None}})

    app = FastAPI(
        title="Reckon",
        description="Incidents, claims, places, victims and estimates of one Reckon database. "
        "Authenticate with `Authorization: Bearer <token>` (see `reckon users token`).",
        version="1",
        docs_url=None,  # the interactive docs load scripts from a CDN; the schema is at /openapi.json
        redoc_url=None,
        openapi_url=None,  # served below, to logged-in users only
    )
    app.state.reckon = reckon
    app.state.users = users
    app.state.throttle = throttle
    if allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # -- who is asking ---------------------------------------------------------------
    def principal(request: Request) -> Principal | None:
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            user = users.token_user(auth[7:].strip())
            return Principal(user, "token") if user else None
        secret = request.cookies.get(SESSION_COOKIE)
        if secret:
            s = users.session(secret)
            if s is not None:
                return Principal(s.user, "session", s.csrf)
        return None

    async def _csrf_ok(request: Request, p: Principal) -> bool:
        if p.via == "token":
            return True  # no ambient credentials: a token must be sent on purpose
        sent = request.headers.get("x-csrf-token")
        if not sent:
            ctype = request.headers.get("content-type", "")
            if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
                form = await request.form()
                value = form.get("csrf")
                sent = value if isinstance(value, str) else None
        return bool(sent) and bool(p.csrf) and hmac.compare_digest(str(sent), p.csrf)

    def need(role: str) -> Callable[..., Any]:
        async def dep(request: Request) -> Principal:
            p = principal(request)
            if p is None:
                raise NotLoggedIn()
            if request.method in MUTATING and not await _csrf_ok(request, p):
                raise Forbidden("missing or wrong CSRF token; reload the page and try again")
            if not p.user.may(role):
                raise Forbidden(f"this needs the {role} role; you are {p.user.role}")
            return p

        dep.__name__ = f"need_{role}"
        return dep

    viewer = Depends(need("viewer"))
    editor = Depends(need("editor"))
    admin = Depends(need("admin"))
    app.state.need = need

    def actor_for(p: Principal) -> "Reckon":
        """The database as this user: their name goes into the audit log."""
        from ..api import Reckon

        return Reckon(reckon.store, reckon.settings.replace(user=f"web:{p.user.name}"))

    def page(request: Request, template: str, p: Principal | None, http_status: int = 200, **ctx: Any) -> HTMLResponse:
        html = env.get_template(template).render(request=request, me=p.user if p else None,
                                                 csrf=p.csrf if p else "", path=request.url.path, **ctx)
        return HTMLResponse(html, status_code=http_status)

    # -- errors ----------------------------------------------------------------------
    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api") or request.url.path.endswith(".json") or "application/json" in request.headers.get("accept", "")

    @app.exception_handler(NotLoggedIn)
    async def _not_logged_in(request: Request, exc: NotLoggedIn) -> Response:
        if wants_json(request):
            return JSONResponse({"error": "not logged in", "hint": "log in or send Authorization: Bearer <token>"},
                                status_code=401)
        nxt = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/login?" + urlencode({"next": nxt}), status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        if wants_json(request):
            return JSONResponse({"error": exc.message}, status_code=403)
        return page(request, "error.html", principal(request), http_status=403, title="Refused", message=exc.message)

    @app.exception_handler(ReckonError)
    async def _reckon_error(request: Request, exc: ReckonError) -> Response:
        status = 404 if isinstance(exc, NotFoundError) else 403 if exc.code.startswith("R30") and exc.code != "R302" else 400
        if wants_json(request):
            return JSONResponse({"error": str(exc), "code": exc.code}, status_code=status)
        return page(request, "error.html", principal(request), http_status=status, title="Problem", message=str(exc))

    @app.exception_handler(Unavailable)
    async def _unavailable(request: Request, exc: Unavailable) -> Response:
        msg = f"{exc.what} is not available in this installation yet"
        if wants_json(request):
            return JSONResponse({"error": msg, "detail": exc.detail}, status_code=501)
        return page(request, "error.html", principal(request), http_status=501, title="Not available", message=msg)

    @app.middleware("http")
    async def _security_headers(request: Request, call_next: Callable[..., Any]) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        if request.url.path.startswith("/api") or request.url.path in ("/login",):
            response.headers["Cache-Control"] = "no-store"
        return response

    # -- login -----------------------------------------------------------------------
    @app.get("/login", include_in_schema=False)
    def login_form(request: Request, next: str = "/map") -> HTMLResponse:
        token = secrets.token_urlsafe(24)
        resp = page(request, "login.html", None, login_csrf=token, next=_safe_next(next), error=None)
        resp.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login")
        return resp

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form()
        sent, cookie = str(form.get("csrf", "")), request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not sent or not cookie or not hmac.compare_digest(sent, cookie):
            return page(request, "error.html", None, http_status=403, title="Refused",
                        message="missing or wrong CSRF token; reload the login page and try again")
        name = str(form.get("name", ""))
        nxt = _safe_next(str(form.get("next", "/map")))
        address = request.client.host if request.client else None

        def again(status: int, error: str, headers: dict[str, str] | None = None) -> Response:
            token = secrets.token_urlsafe(24)
            resp = page(request, "login.html", None, http_status=status, login_csrf=token, next=nxt, error=error)
            resp.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login")
            for k, v in (headers or {}).items():
                resp.headers[k] = v
            return resp

        # refused before the password is looked at, with one answer whether or not the account exists
        wait = throttle.blocked(name, address)
        if wait:
            return again(429, f"too many failed logins; try again in {_minutes(wait)}", {"Retry-After": str(wait)})
        user = users.authenticate(name, str(form.get("password", "")))
        if user is None:
            throttle.failed(name, address)
            return again(401, "wrong name or password")
        throttle.succeeded(name)
        secret, _ = users.open_session(user)
        resp = RedirectResponse(nxt, status_code=303)
        resp.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")
        resp.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
        return resp

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, p: Principal = viewer) -> Response:
        secret = request.cookies.get(SESSION_COOKIE)
        if secret:
            users.close_session(secret)
        resp = RedirectResponse("/login", status_code=303)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_schema(p: Principal = viewer) -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/", include_in_schema=False)
    def home(p: Principal = viewer) -> Response:
        return RedirectResponse("/map", status_code=303)

    # -- the pages and their JSON twins live in views --------------------------------
    views.add_routes(app, reckon, page=page, viewer=viewer, editor=editor, admin=admin, actor_for=actor_for,
                     users=users)
    return app


def _minutes(seconds: int) -> str:
    m = max(1, -(-seconds // 60))
    return f"{m} minute{'s' if m != 1 else ''}"


def _safe_next(nxt: str) -> str:
    """Only same-site paths: never redirect a login to another host."""
    if not nxt.startswith("/") or nxt.startswith("//") or "\\" in nxt:
        return "/map"
    return nxt


def serve(reckon: "Reckon", host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> None:
    """Run the app with uvicorn until interrupted."""
    try:
        import uvicorn
    except ImportError as exc:  # pragma: no cover
        raise MissingExtra("uvicorn", "web") from exc
    hosts = LOOPBACK_NAMES if host in LOOPBACK_NAMES else None
    uvicorn.run(create_app(reckon, allowed_hosts=hosts), host=host, port=port, log_level=log_level, access_log=False)
