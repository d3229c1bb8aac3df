"""Bytes -> text: byte-order marks, UTF-8, legacy encodings (cp1256 Arabic and others).

Refuses, with a reason, what is not text: empty files, binary files and bytes
no known encoding reads.
"""

from __future__ import annotations

import codecs

from ..errors import DecodeError, InputError

__all__ = ["decode_bytes"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Encodings worth trying for news text when UTF-8 fails, most specific first.
_LEGACY = ("cp1256", "cp1252", "latin-1")


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(sample) // 50)


def _control_ratio(text: str) -> float:
    bad = sum(1 for ch in text[:20000] if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x80 <= ord(ch) < 0xA0)
    return bad / max(1, min(len(text), 20000))


def decode_bytes(raw: bytes, *, path: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise :class:`DecodeError` / :class:`InputError`."""
    if not raw or not raw.strip():
        raise InputError("empty file, nothing to ingest", path=path, code="R105")
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {enc} byte-order mark but is not {enc}: {exc.reason}", path=path) from exc
    if _looks_binary(raw):
        raise DecodeError("binary file, not text", path=path, hint="convert it to .txt, .html or .jsonl first", code="R106")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:200_000], cp_isolation=None).best()
    candidates = []
    if best is not None:
        candidates.append(best.encoding)
    candidates.extend(e for e in _LEGACY if e not in candidates)
    for enc in candidates:
        try:
            text = raw.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _control_ratio(text) < 0.01 and (best is not None or _is_arabic_legacy(raw, enc)):
            return text, codecs.lookup(enc).name
    raise DecodeError(
        "unknown encoding: not UTF-8 and no known encoding reads it",
        path=path,
        hint="save it as UTF-8",
        code="R107",
    )


def _is_arabic_legacy(raw: bytes, enc: str) -> bool:
    """cp1256 fallback: accept when the high bytes decode mostly to Arabic letters."""
    if enc != "cp1256":
        return False
    text = raw.decode("cp1256", errors="replace")
    high = [ch for ch in text if ord(ch) > 127]
    if not high:
        return False
    arabic = sum(1 for ch in high if "\u0600" <= ch <= "\u06ff")
    return arabic / len(high) > 0.8
