"""Settings: one dataclass, every field with its default and help text.

Values come from (later wins): the defaults here, a ``reckon.toml`` next to the
database or given by ``RECKON_SETTINGS``, and ``RECKON_*`` environment variables
(``RECKON_MAX_FILE_MB=50``).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

__all__ = ["Settings"]


def _opt(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    db: str = _opt("reckon.db", "database file or SQLAlchemy URL (also --db, RECKON_DB)")
    max_file_mb: float = _opt(20.0, "files larger than this are refused at ingest")
    batch_size: int = _opt(200, "documents per committed batch during ingest and extract")
    workers: int = _opt(1, "worker processes for geocoding many documents (1: none, 0: one per core)")
    languages: tuple[str, ...] = _opt(("en",), "languages extraction runs on; others are stored and skipped")
    default_country: str | None = _opt(None, "ISO alpha-2 country assumed for places when a report names none")
    actors_file: str | None = _opt(None, "extra actor dictionary (YAML) merged over the built-in one")
    use_spacy: bool = _opt(True, "use the spaCy English model as one signal for names and actors")
    victims_backend: str = _opt("duckdb", "Splink backend for victim linkage: duckdb or spark")
    link_threshold: float = _opt(0.9, "match probability at which two victim records are the same person")
    review_band: tuple[float, float] = _opt((0.5, 0.9), "match probabilities that go to the review queue")
    incident_date_tolerance_days: int = _opt(1, "incidents: dated claims at most this many days apart can be one event")
    incident_undated_window_days: int = _opt(7, "incidents: an undated claim joins events up to this many days before its report")
    incident_near_km: float = _opt(10.0, "incidents: places closer than this (km) are nearby; joining them needs other evidence")
    incident_copy_jaccard: float = _opt(0.5, "incidents: shingle overlap from which two reports are copies of one story")
    incident_best_rule: str = _opt("median", "incidents: how the best figure is chosen: median, min, max or mean")
    user: str = _opt("", "who is making changes (audit log); defaults to the login name")

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None, **overrides: Any) -> "Settings":
        values: dict[str, Any] = {}
        toml_path = path or os.environ.get("RECKON_SETTINGS")
        if toml_path and Path(toml_path).exists():
            with open(toml_path, "rb") as f:
                values.update(tomllib.load(f).get("reckon", {}))
        for f in fields(cls):
            env = os.environ.get("RECKON_" + f.name.upper())
            if env is not None and env != "":
                values[f.name] = _coerce(f, env)
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        for f in fields(cls):
            if f.name in values and isinstance(values[f.name], list):
                values[f.name] = tuple(values[f.name])
        return cls(**values)

    @property
    def actor(self) -> str:
        if self.user:
            return self.user
        try:
            return os.getlogin()
        except OSError:
            return os.environ.get("USER", "unknown")

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)

    @classmethod
    def help(cls) -> dict[str, tuple[Any, str]]:
        return {f.name: (f.default, f.metadata["help"]) for f in fields(cls)}


def _coerce(f: dataclasses.Field, raw: str) -> Any:
    t = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    if t.startswith("bool"):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if t.startswith("int"):
        return int(raw)
    if t.startswith("float"):
        return float(raw)
    if t.startswith("tuple"):
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        return tuple(float(p) for p in parts) if "float" in t else tuple(parts)
    return raw
