"""Readers turn files into :class:`RawDocument` records, chosen by file suffix.

- ``.txt`` / ``.md``: optional header lines (``date:``, ``url:``, ``title:``,
  ``id:``, ``language:``) then a blank line, then the body;
- ``.html`` / ``.htm``: main text extracted with trafilatura (navigation,
  scripts and boilerplate dropped), title and date from the page's metadata;
- ``.jsonl``: one article per line with ``text`` and optional ``id``,
  ``title``, ``url``, ``date``, ``language``.

A reader yields documents and :class:`~reckon.errors.Problem` records; one bad
line of a ``.jsonl`` file does not stop the others. New readers register in
:data:`READERS` (a third-party package can add its own suffixes).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..errors import FormatError, InputError, Problem, ReckonError, TooLargeError
from .decode import decode_bytes
from .fingerprint import sha256_bytes

__all__ = ["RawDocument", "READERS", "read_path", "iter_files", "parse_date_field"]


@dataclass(frozen=True)
class RawDocument:
    sha256: str
    doc: str
    text: str
    source_path: str
    title: str | None = None
    url: str | None = None
    date: dt.date | None = None
    language: str | None = None
    encoding: str | None = None
    line: int | None = None


Reader = Callable[[Path, bytes], Iterator["RawDocument | Problem"]]
READERS: dict[str, Reader] = {}


def reader(*suffixes: str) -> Callable[[Reader], Reader]:
    def deco(fn: Reader) -> Reader:
        for s in suffixes:
            READERS[s] = fn
        return fn

    return deco


_MONTHS = "january february march april may june july august september october november december".split()


def parse_date_field(value: object, *, path: str | None = None, line: int | None = None) -> dt.date | None:
    """A publication date from a header or JSON field: ISO, '9 March 2025' or 'March 9, 2025'."""
    if value is None or value == "":
        return None
    s = str(value).strip()
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", s)
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.match(r"^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$", s)
        if m and m[2].lower()[:3] in [x[:3] for x in _MONTHS]:
            return dt.date(int(m[3]), [x[:3] for x in _MONTHS].index(m[2].lower()[:3]) + 1, int(m[1]))
        m = re.match(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$", s)
        if m and m[1].lower()[:3] in [x[:3] for x in _MONTHS]:
            return dt.date(int(m[3]), [x[:3] for x in _MONTHS].index(m[1].lower()[:3]) + 1, int(m[2]))
    except ValueError:
        pass
    raise FormatError(
        f"{s!r} is not a date", path=path, line=line, field="date", hint="use YYYY-MM-DD", code="R104"
    )


_HEADER = re.compile(r"^(date|url|title|id|language)\s*:\s*(.*)$", re.IGNORECASE)


@reader(".txt", ".md", ".text")
def read_text(path: Path, raw: bytes) -> Iterator[RawDocument | Problem]:
    text, enc = decode_bytes(raw, path=str(path))
    meta: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines) and (m := _HEADER.match(lines[i].strip("\ufeff\r "))):
        meta[m[1].lower()] = m[2].strip()
        i += 1
    if meta and i < len(lines) and lines[i].strip() == "":
        body = "\n".join(lines[i + 1 :])
    else:  # no header block: the whole file is the body
        meta, body = {}, text
    if not body.strip():
        raise InputError("no text after the header lines", path=str(path), code="R105")
    yield RawDocument(
        sha256=sha256_bytes(raw),
        doc=meta.get("id") or path.stem,
        text=body,
        source_path=str(path),
        title=meta.get("title"),
        url=meta.get("url"),
        date=parse_date_field(meta.get("date"), path=str(path)),
        language=meta.get("language"),
        encoding=enc,
    )


@reader(".html", ".htm", ".xhtml")
def read_html(path: Path, raw: bytes) -> Iterator[RawDocument | Problem]:
    import trafilatura

    html, enc = decode_bytes(raw, path=str(path))
    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True)
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if not text:
        raise InputError("no main text found in the HTML page", path=str(path), code="R108")
    title = getattr(result, "title", None)
    if title and text.startswith(title + "\n"):
        text = text[len(title) + 1 :]
    date = None
    if getattr(result, "date", None):
        try:
            date = parse_date_field(result.date, path=str(path))
        except FormatError:
            date = None
    yield RawDocument(
        sha256=sha256_bytes(raw),
        doc=path.stem,
        text=text,
        source_path=str(path),
        title=title,
        url=getattr(result, "url", None),
        date=date,
        encoding=enc,
    )


@reader(".jsonl", ".ndjson")
def read_jsonl(path: Path, raw: bytes) -> Iterator[RawDocument | Problem]:
    text, enc = decode_bytes(raw, path=str(path))
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise FormatError("is not a JSON object", path=str(path), line=n, code="R102")
            body = obj.get("text")
            if not isinstance(body, str) or not body.strip():
                raise FormatError("missing or empty", path=str(path), line=n, field="text", hint="each line needs a \"text\" string", code="R102")
            yield RawDocument(
                sha256=sha256_bytes(line.strip().encode("utf-8")),
                doc=str(obj.get("id") or f"{path.stem}-{n}"),
                text=body,
                source_path=str(path),
                title=obj.get("title"),
                url=obj.get("url"),
                date=parse_date_field(obj.get("date"), path=str(path), line=n),
                language=obj.get("language"),
                encoding=enc,
                line=n,
            )
        except json.JSONDecodeError as exc:
            yield Problem.from_error(FormatError(f"malformed JSON: {exc.msg} (column {exc.colno}); line skipped", path=str(path), line=n, code="R102"))
        except ReckonError as exc:
            yield Problem.from_error(exc)


def iter_files(paths: list[str | os.PathLike[str]]) -> Iterator[Path | Problem]:
    """Files to ingest: each path as given, folders recursively (hidden files skipped)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for sub in sorted(path.rglob("*")):
                if sub.is_file() and not any(part.startswith(".") for part in sub.relative_to(path).parts):
                    if sub.suffix.lower() in READERS:
                        yield sub
        elif path.is_file():
            yield path
        else:
            yield Problem(f"R109 {path}: no such file or folder", path=str(path), code="R109")


def read_path(path: Path, *, max_bytes: int) -> Iterator[RawDocument | Problem]:
    """Documents (and problems) from one file; never raises for bad input."""
    try:
        fn = READERS.get(path.suffix.lower())
        if fn is None:
            raise InputError(
                f"unsupported file type {path.suffix or '(none)'!r}",
                path=str(path),
                hint="use .txt, .md, .html or .jsonl",
                code="R110",
            )
        size = path.stat().st_size
        if size > max_bytes:
            raise TooLargeError(
                f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit",
                path=str(path),
                hint="raise max_file_mb (RECKON_MAX_FILE_MB) or split it",
            )
        raw = path.read_bytes()
        yield from fn(path, raw)
    except ReckonError as exc:
        yield Problem.from_error(exc)
    except OSError as exc:
        yield Problem(f"R111 {path}: cannot read: {exc.strerror or exc}", path=str(path), code="R111")
