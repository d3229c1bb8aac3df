"""Citation debris -> blanks, keeping every offset.

Encyclopedia-style text carries reference marks (``[16]``, ``[18][19]``,
``[citation needed]``, ``[a]``, ``[note 3]``). They are replaced by spaces in
``report.work`` so sentence splitting and matching ignore them while offsets stay
those of the original text. Editorial brackets inside quotes (``[of Syria]``)
are words and stay.
"""

from __future__ import annotations

import re

from .pipeline import stage

__all__ = ["blank_debris", "DEBRIS"]

DEBRIS = re.compile(
    r"\[(?:\d{1,4}|[a-z]|note\s*\d+|n\s*\d+|citation needed|clarification needed|according to whom\??|by whom\??|"
    r"when\?|where\?|who\?|which\?|dubious[^\]]{0,30}|failed verification|better source needed|"
    r"unreliable source\??|original research\??|verification needed|page needed|full citation needed|"
    r"not in citation given|permanent dead link|dead link|vague|update|needs update|non-primary source needed|"
    r"improper synthesis\??|disputed[^\]]{0,30}|self-published source\??|neutrality is disputed|edit)\]",
    re.IGNORECASE,
)


#: a wire dateline opening a story or paragraph: "BOGOTA (AFP) - ", "GUADALAJARA, Mexico - ", "LAHORE: "
DATELINE = re.compile(
    r"(?m)^(?P<d>[A-Z][A-Z'’. -]{2,30}(?:,\s*[A-Z][\w'’. -]{1,30})?\s*(?:\((?:AFP|AP|Reuters|AA|dpa|Xinhua|IANS|PTI|UNI|[A-Z]{2,6})\))?\s*[-–—:]\s+)(?=[A-Z\"“])"
)


def blank_debris(text: str) -> str:
    """The text with citation marks and wire datelines replaced by spaces (same length)."""
    text = DEBRIS.sub(lambda m: " " * len(m.group(0)), text)
    return DATELINE.sub(lambda m: " " * len(m.group(0)), text)


@stage("reckon.clean.v1", requires=("document",), assigns=("work",))
def make_clean(settings):
    def clean(report) -> None:
        report.work = blank_debris(report.text)

    return clean
