"""A picture of documented against estimated totals, per stratum and model."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..errors import InputError, MissingExtra

if TYPE_CHECKING:  # pragma: no cover
    from .api import Estimate

__all__ = ["plot"]

COLOURS = {
    "lcmcr": "#1b6ca8", "loglinear-bic": "#c0392b", "loglinear-aic": "#e67e22", "loglinear-avg": "#7d3c98",
    "chapman": "#16a085",
}


def plot(estimates: Sequence["Estimate"], path: str | os.PathLike[str], *, title: str | None = None) -> Path:
    """Draw one row per stratum: a grey bar for the people documented, a point and interval per model.

    Rows without an estimate are marked "no estimate"; an unbounded upper end
    is drawn as an arrow to the edge. The format follows the suffix (.png, .svg, .pdf).
    """
    out = Path(path)
    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise InputError(f"cannot tell the image format from {out.name!r}", path=out, hint="end the name in .png or .svg")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingExtra("matplotlib", "estimates") from exc

    strata: list[str] = []
    for e in estimates:
        if e.stratum not in strata:
            strata.append(e.stratum)
    models: list[str] = []
    for e in estimates:
        if e.model not in models:
            models.append(e.model)
    finite = [x for e in estimates for x in (e.observed, e.estimate, e.lower, e.upper)
              if x is not None and math.isfinite(x)]
    right = max(finite) * 1.08 if finite else 1.0

    fig, ax = plt.subplots(figsize=(8.5, 0.9 + 0.55 * len(strata) * max(1, len(models)) ** 0.5 + 0.6))
    step = 0.7 / max(1, len(models))
    documented = {e.stratum: e.observed for e in estimates}
    for i, s in enumerate(strata):
        y = len(strata) - 1 - i
        ax.barh(y, documented[s], height=0.8, color="#d5d8dc", zorder=1, label="documented" if i == 0 else None)
        for j, m in enumerate(models):
            e = next((x for x in estimates if x.stratum == s and x.model == m), None)
            if e is None:
                continue
            yy = y + 0.35 - step * (j + 0.5)
            colour = COLOURS.get(m, "#555555")
            if e.estimate is None:
                ax.text(right * 0.01, yy, f"{m}: no estimate", va="center", fontsize=7, color=colour)
                continue
            lo = e.lower if e.lower is not None else e.estimate
            hi = e.upper if e.upper is not None and math.isfinite(e.upper) else right
            ax.plot([lo, hi], [yy, yy], color=colour, lw=2, zorder=2)
            ax.plot([e.estimate], [yy], "o", color=colour, ms=5, zorder=3,
                    label=m if i == strata.index(next(x.stratum for x in estimates if x.model == m)) else None)
            if e.upper is None or not math.isfinite(e.upper):
                ax.annotate("", xy=(right, yy), xytext=(right * 0.97, yy), arrowprops={"arrowstyle": "->", "color": colour})
            if e.warnings:
                ax.text(hi, yy, f"  ⚠ {len(e.warnings)}", va="center", fontsize=7, color="#7f8c8d")
    ax.set_yticks(range(len(strata)))
    ax.set_yticklabels(list(reversed(strata)), fontsize=8)
    ax.set_xlim(0, right)
    ax.set_xlabel("people (documented; estimated with 95% interval)")
    ax.set_title(title or "Documented and estimated totals", fontsize=10)
    ax.grid(axis="x", color="#eeeeee", zorder=0)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.3 / max(1, len(strata))),
              ncol=len(models) + 1, frameon=False)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=150)
    plt.close(fig)
    return out
