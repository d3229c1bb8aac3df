"""Reckon's errors, one hierarchy with coded messages.

    ReckonError                      anything Reckon raises on purpose
    ├── InputError                   a file, line or field the user gave is unusable
    │   ├── DecodeError              bytes that are not text in a known encoding
    │   ├── FormatError              text that is not in the expected format (JSON, TSV, CSV)
    │   └── TooLargeError            a file over the configured size limit
    ├── StoreError                   the database cannot be opened or migrated
    ├── NotFoundError                an id that names nothing stored
    ├── PermissionDenied             a role may not do what was asked
    ├── AuditError                   the audit log's hash chain is broken
    └── MissingExtra                 an optional dependency is not installed

Every error carries a code (``R1xx`` input, ``R2xx`` store, ``R3xx`` review,
``R4xx`` extras) and, where known, the file, line and field it is about, so the
CLI can print one line that says what, where and what to do next::

    R104 a.jsonl:17: field "date" = "32 March" is not a date; line skipped
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "ReckonError",
    "InputError",
    "DecodeError",
    "FormatError",
    "TooLargeError",
    "StoreError",
    "NotFoundError",
    "PermissionDenied",
    "AuditError",
    "MissingExtra",
    "Problem",
]


class ReckonError(Exception):
    """Base class. ``code`` identifies the kind of problem, ``hint`` says what to do."""

    code = "R000"

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        self.hint = hint
        if code:
            self.code = code

    @property
    def where(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def __str__(self) -> str:
        parts = [self.code]
        if self.where:
            parts.append(f"{self.where}:")
        if self.field:
            parts.append(f'field "{self.field}":')
        parts.append(self.message)
        text = " ".join(parts)
        if self.hint:
            text += f" ({self.hint})"
        return text


class InputError(ReckonError):
    code = "R100"


class DecodeError(InputError):
    code = "R101"


class FormatError(InputError):
    code = "R102"


class TooLargeError(InputError):
    code = "R103"


class StoreError(ReckonError):
    code = "R200"


class NotFoundError(ReckonError):
    code = "R201"


class PermissionDenied(ReckonError):
    code = "R300"


class AuditError(ReckonError):
    code = "R301"


class MissingExtra(ReckonError):
    code = "R400"

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"this feature needs the optional package {module!r}",
            hint=f"pip install 'reckon[{extra}]'",
        )
        self.module = module
        self.extra = extra


@dataclass
class Problem:
    """A non-fatal problem collected during a run (the run goes on)."""

    message: str
    path: str | None = None
    line: int | None = None
    code: str = "R100"
    level: str = "error"  # "error" makes the command exit non-zero; "note" does not
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_error(cls, err: ReckonError, level: str = "error") -> "Problem":
        return cls(message=str(err), path=err.path, line=err.line, code=err.code, level=level)

    def __str__(self) -> str:
        return self.message
