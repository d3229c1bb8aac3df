"""Victim lists in: CSV, XLSX and JSON Lines, UTF-8 or cp1256, mapped onto the victim fields.

Reading is pure (:func:`read_list` yields :class:`ListRow` or :class:`~reckon.errors.Problem`);
storing is done by :class:`reckon.victims.api.VictimsAPI`. A bad row is reported with its
line number and the rest is read; a bad field value is reported, its raw text kept
in ``extra`` and the row kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from ..errors import FormatError, InputError, MissingExtra, Problem
from ..ingest.decode import decode_bytes
from .names import clean_arabic, has_arabic
from .tables import RECORD_FIELDS

__all__ = ["ListRow", "read_list", "parse_mapping", "load_mapping", "auto_mapping", "parse_age", "parse_date",
           "parse_sex", "parse_status", "parse_year"]

# Column headers recognised without a mapping (compared after lower-casing and Arabic cleanup).
_ALIASES: dict[str, tuple[str, ...]] = {
    "record_id": ("record_id", "id", "record", "no", "number", "رقم", "الرقم", "الرقم التسلسلي", "رقم السجل"),
    "full_name": ("full_name", "name", "full name", "victim", "victim name", "الاسم", "اسم", "الاسم الكامل", "اسم الضحية"),
    "given_name": ("given_name", "first name", "first_name", "given name", "الاسم الاول"),
    "father_name": ("father_name", "father", "father's name", "fathers name", "اسم الاب", "الاب"),
    "grandfather_name": ("grandfather_name", "grandfather", "اسم الجد", "الجد"),
    "family_name": ("family_name", "surname", "last name", "last_name", "family name", "family", "الكنية", "العائلة",
                    "اسم العائلة", "النسبة"),
    "sex": ("sex", "gender", "الجنس"),
    "age": ("age", "العمر", "السن"),
    "birth_year": ("birth_year", "year of birth", "born", "سنة الولادة", "مواليد", "تاريخ الميلاد"),
    "date_of_death": ("date_of_death", "date", "date of death", "died", "death date", "تاريخ الوفاة",
                      "تاريخ الاستشهاد", "التاريخ", "تاريخ الاستشهاد/الوفاة"),
    "place": ("place", "place of death", "location", "place_of_death", "town", "village", "city", "مكان الوفاة",
              "المكان", "مكان الاستشهاد", "البلدة", "المدينة"),
    "district": ("district", "area", "county", "region", "المنطقة", "منطقة", "الناحية"),
    "cause": ("cause", "cause of death", "سبب الوفاة", "سبب الاستشهاد"),
    "status": ("status", "civilian", "civilian/combatant", "الصفة", "مدني/عسكري"),
    "notes": ("notes", "note", "comments", "ملاحظات"),
}


@dataclass(frozen=True)
class ListRow:
    """One row of a list mapped onto victim fields; ``extra`` keeps unmapped columns."""

    line: int
    fields: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)


def _header_key(h: str) -> str:
    h = clean_arabic(h) if has_arabic(h) else h
    return re.sub(r"\s+", " ", h.strip().lower())


def auto_mapping(headers: list[str]) -> dict[str, str]:
    """Columns whose header names a victim field (English or Arabic), as ``{column: field}``."""
    index = {_header_key(a): f for f, aliases in _ALIASES.items() for a in aliases}
    out: dict[str, str] = {}
    taken: set[str] = set()
    for h in headers:
        f = index.get(_header_key(h))
        if f and f not in taken:
            out[h] = f
            taken.add(f)
    return out


def parse_mapping(items: list[str] | None) -> dict[str, str]:
    """``["الاسم=full_name", "Age=age"]`` -> ``{"الاسم": "full_name", "Age": "age"}``."""
    out: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise InputError(f"mapping {item!r} is not COLUMN=FIELD", hint="e.g. --map \"الاسم=full_name\"", code="R130")
        col, _, fld = item.rpartition("=")
        fld = fld.strip()
        if fld not in RECORD_FIELDS:
            raise InputError(f"mapping {item!r}: unknown field {fld!r}", hint="fields: " + ", ".join(RECORD_FIELDS), code="R130")
        out[col.strip()] = fld
    return out


def load_mapping(path: str | os.PathLike[str]) -> dict[str, str]:
    """A YAML mapping file: ``{column: field}``, optionally under a ``mapping:`` key."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read mapping file: {exc}", path=path, code="R130") from exc
    if isinstance(data, dict) and isinstance(data.get("mapping"), dict):
        data = data["mapping"]
    if not isinstance(data, dict):
        raise FormatError("a mapping file holds COLUMN: FIELD pairs", path=path, code="R130")
    return parse_mapping([f"{k}={v}" for k, v in data.items()])


# -- field parsers ---------------------------------------------------------------

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return clean_arabic(str(v)) if has_arabic(str(v)) else str(v).strip()


def parse_age(v: Any) -> int | None:
    """``"34"``, ``"34 years"``, ``"٣٤"``, ``"30-35"`` (midpoint) -> int; ValueError otherwise."""
    s = _text(v)
    if not s:
        return None
    m = re.fullmatch(r"(\d{1,3})\s*(?:-|–|to)\s*(\d{1,3})", s)
    if m:
        age = (int(m.group(1)) + int(m.group(2))) // 2
    else:
        m = re.fullmatch(r"(\d{1,3})(?:\.0)?\s*(?:y|yrs?|years?( old)?|سنة|عام|سنوات)?", s, flags=re.I)
        if not m:
            raise ValueError(f"{s!r} is not an age")
        age = int(m.group(1))
    if age > 120:
        raise ValueError(f"{s!r} is not a plausible age")
    return age


def parse_year(v: Any) -> int | None:
    s = _text(v)
    if not s:
        return None
    m = re.search(r"\b(1[89]\d\d|20\d\d)\b", s)
    if not m:
        raise ValueError(f"{s!r} is not a year")
    return int(m.group(1))


def parse_date(v: Any) -> dt.date | None:
    """ISO, d/m/Y, d.m.Y, Y/m/d and ``25 May 2012`` dates; ValueError otherwise."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = _text(v)
    if not s:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s[:10]) and len(s) in (10, 19):
            return dt.date.fromisoformat(s[:10])
        m = re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", s)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", s)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})", s)
        if m and m.group(2)[:3].lower() in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(2)[:3].lower()], int(m.group(1)))
    except ValueError:
        pass
    raise ValueError(f"{s!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


_SEX = {"m": "male", "male": "male", "man": "male", "boy": "male", "ذكر": "male", "رجل": "male", "طفل": "male",
        "f": "female", "female": "female", "woman": "female", "girl": "female", "انثي": "female", "امراه": "female",
        "طفله": "female"}


def parse_sex(v: Any) -> str | None:
    s = _text(v).lower()
    if not s or s in ("unknown", "?", "u", "غير معروف"):
        return None
    if s in _SEX:
        return _SEX[s]
    raise ValueError(f"{s!r} is not a sex (male/female, ذكر/أنثى)")


_STATUS = {"civilian": "civilian", "civ": "civilian", "c": "civilian", "مدني": "civilian",
           "combatant": "combatant", "fighter": "combatant", "military": "combatant", "armed": "combatant",
           "عسكري": "combatant", "مقاتل": "combatant", "مسلح": "combatant"}


def parse_status(v: Any) -> str | None:
    s = _text(v).lower()
    if not s or s in ("unknown", "?", "غير معروف"):
        return None
    if s in _STATUS:
        return _STATUS[s]
    raise ValueError(f"{s!r} is not a status (civilian or combatant)")


_PARSERS = {"age": parse_age, "birth_year": parse_year, "date_of_death": parse_date, "sex": parse_sex,
            "status": parse_status}


def _map_row(line: int, raw: Mapping[str, Any], mapping: Mapping[str, str], path: str,
             problems: list[Problem]) -> ListRow | None:
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for col, value in raw.items():
        fld = mapping.get(col)
        if fld is None:
            if value not in (None, ""):
                extra[col] = value if isinstance(value, (int, float, bool, str)) else str(value)
            continue
        parser = _PARSERS.get(fld)
        if parser is None:
            text = _text(value)
            fields[fld] = text or None
            continue
        try:
            fields[fld] = parser(value)
        except ValueError as exc:
            problems.append(Problem(f"R132 {path}:{line}: field {fld!r}: {exc}; value kept in extra, row imported",
                                    path=path, line=line, code="R132", level="note"))
            extra[col] = _text(value)
    if not fields.get("full_name"):
        parts = [fields.get(k) for k in ("given_name", "father_name", "grandfather_name", "family_name")]
        joined = " ".join(p for p in parts if p)
        fields["full_name"] = joined or None
    if not fields.get("full_name"):
        problems.append(Problem(f"R131 {path}:{line}: no name in this row; row skipped", path=path, line=line, code="R131"))
        return None
    return ListRow(line, fields, extra)


def _rows_csv(text: str, path: str, problems: list[Problem]) -> Iterator[tuple[int, dict[str, Any]]]:
    sample = text[:20000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header: list[str] | None = None
    for cells in reader:
        line = reader.line_num
        if header is None:
            if not any(c.strip() for c in cells):
                continue
            header = [c.strip() for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(
                f"R133 {path}:{line}: {len(cells)} cells where the header has {len(header)}; row skipped",
                path=path, line=line, code="R133"))
            continue
        yield line, dict(zip(header, cells))
    if header is None:
        raise FormatError("no header row", path=path, code="R134")


def _rows_jsonl(text: str, path: str, problems: list[Problem]) -> Iterator[tuple[int, dict[str, Any]]]:
    for i, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(Problem(f"R133 {path}:{i}: not JSON ({exc.msg}); row skipped", path=path, line=i, code="R133"))
            continue
        if not isinstance(obj, dict):
            problems.append(Problem(f"R133 {path}:{i}: not a JSON object; row skipped", path=path, line=i, code="R133"))
            continue
        yield i, obj


def _rows_xlsx(p: Path, problems: list[Problem]) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise MissingExtra("openpyxl", "victims") from exc
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:
        raise FormatError(f"not a readable XLSX workbook: {exc}", path=p, code="R134") from exc
    ws = wb.worksheets[0]
    header: list[str] | None = None
    for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if header is None:
            if not any(c not in (None, "") for c in row):
                continue
            header = [str(c).strip() if c is not None else f"column_{j + 1}" for j, c in enumerate(row)]
            continue
        if not any(c not in (None, "") for c in row):
            continue
        cells = list(row) + [None] * (len(header) - len(row))
        if any(c not in (None, "") for c in cells[len(header):]):
            problems.append(Problem(f"R133 {p}:{i}: cells beyond the header's columns; row skipped",
                                    path=str(p), line=i, code="R133"))
            continue
        yield i, dict(zip(header, cells[: len(header)]))
    wb.close()


def read_list(path: str | os.PathLike[str], mapping: Mapping[str, str] | None = None,
              problems: list[Problem] | None = None) -> tuple[list[ListRow], dict[str, str], str | None]:
    """Read a list file into rows: ``(rows, mapping used, encoding)``.

    ``mapping`` (``{column: field}``) is applied over the columns recognised by
    header (:func:`auto_mapping`). Problems are appended to ``problems``.
    """
    problems = problems if problems is not None else []
    p = Path(path)
    suffix = p.suffix.lower()
    encoding: str | None = None
    try:
        if suffix in (".xlsx", ".xlsm"):
            raw_rows = list(_rows_xlsx(p, problems))
        else:
            text, encoding = decode_bytes(p.read_bytes(), path=str(p))
            text = text.lstrip("\ufeff")
            if suffix in (".jsonl", ".ndjson", ".json"):
                raw_rows = list(_rows_jsonl(text, str(p), problems))
            elif suffix in (".csv", ".tsv", ".txt"):
                raw_rows = list(_rows_csv(text, str(p), problems))
            else:
                raise FormatError(f"unknown list format {suffix!r}", path=p, hint="use .csv, .xlsx or .jsonl", code="R134")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=p, code="R135") from exc
    headers: list[str] = []
    for _, row in raw_rows:
        for k in row:
            if k not in headers:
                headers.append(k)
    used = auto_mapping(headers)
    for col, fld in (mapping or {}).items():
        if col not in headers:
            problems.append(Problem(f"R130 {p}: mapped column {col!r} is not in the list", path=str(p), code="R130",
                                    level="note"))
        used = {c: f for c, f in used.items() if f != fld and c != col}
        used[col] = fld
    rows: list[ListRow] = []
    for line, raw in raw_rows:
        row = _map_row(line, raw, used, str(p), problems)
        if row is not None:
            rows.append(row)
    return rows, used, encoding
