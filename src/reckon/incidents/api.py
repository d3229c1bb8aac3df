"""Incidents namespace of the API (``r.incidents``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Reckon


class IncidentsAPI:
    def __init__(self, r: "Reckon") -> None:
        self._r = r

    def resolve(self) -> None:
        """Group claims into incidents."""

    def count(self) -> int:
        return 0
