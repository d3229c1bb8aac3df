"""Reckon: reports of violence in, a verified, source-linked record of incidents out.

The public API is what this module exports; everything else is internal::

    import reckon
    r = reckon.open("reckon.db")
    r.ingest(["reports/"])
    r.extract()
    for claim in r.claims():
        print(claim, claim.quote)
"""

from .api import ClaimQuery, ExtractResult, IngestResult, Reckon, open
from .errors import (
    AuditError,
    DecodeError,
    FormatError,
    InputError,
    MissingExtra,
    NotFoundError,
    PermissionDenied,
    Problem,
    ReckonError,
    StoreError,
    TooLargeError,
)
from .model import Claim, Count, Document, Location, Span
from .settings import Settings

__version__ = "0.1.0"

__all__ = [
    "open",
    "Reckon",
    "Settings",
    "ClaimQuery",
    "IngestResult",
    "ExtractResult",
    "Document",
    "Claim",
    "Count",
    "Location",
    "Span",
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
    "__version__",
]
