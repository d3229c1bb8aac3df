"""Named, versioned registries (stages, readers, exporters, estimators).

Built-in entries register through the same call a third-party package uses;
packages can also register through the ``reckon.plugins`` entry-point group,
whose modules are imported the first time a registry is read.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Generic, Iterator, TypeVar

from .errors import ReckonError

T = TypeVar("T")

__all__ = ["Registry", "load_plugins"]

_plugins_loaded = False


def load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for ep in entry_points(group="reckon.plugins"):
        ep.load()


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, name: str, item: T) -> T:
        self._items[name] = item
        return item

    def get(self, name: str) -> T:
        load_plugins()
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(sorted(self._items)) or "none"
            raise ReckonError(f"no {self.kind} registered as {name!r} (known: {known})", code="R002") from None

    def __contains__(self, name: str) -> bool:
        load_plugins()
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        load_plugins()
        return iter(sorted(self._items))
