"""Places namespace of the API (``r.places``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Reckon
    from ..model import Claim, Document


class PlacesAPI:
    def __init__(self, r: "Reckon") -> None:
        self._r = r

    def resolver(self) -> "Callable[[Document, list[Claim]], list[Claim]] | None":
        """A function that geocodes a document's claims, or None when there is no gazetteer."""
        return None
