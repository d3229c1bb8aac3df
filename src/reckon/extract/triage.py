"""Triage: which sentences can hold an incident. Only those get the heavier stages.

A cheap test on words: an event word (killed, shelling, fled, protest, ...) or a
casualty count. Everything else (background, politics, quotes) passes through
untouched, which is what keeps extraction fast on long reports.
"""

from __future__ import annotations

import re

from ..text.pipeline import stage
from ..text.report import Draft

__all__ = ["may_hold_incident"]

_CUE = re.compile(
    r"\b(?:kill|dead|death|died|execut|massacr|slaughter|murder|shot|shoot|gunned|behead|lynch|burn|torch|attack|"
    r"target|raid|storm|assault|abduct|kidnap|hostage|disappear|rape|sexual|clash|fight|fought|battle|ambush|"
    r"captur|seiz|overr|recaptur|retook|control of|shell|artillery|mortar|rocket|missile|bomb|barrage|strike|"
    r"airstrike|air raid|drone|explosi|blast|IED|mine|landmine|grenade|protest|demonstrat|rall(?:y|ies|ied)|(?-i:march)|sit-in|riot|mob|"
    r"teargas|tear gas|dispers|arrest|detain|loot|pillag|demolish|raze|campaign|operation|deploy|reinforcement|"
    r"convoy|arrived|leaving|withdr|cease-?fire|truce|fled|flee|displac|evacuat|refuge|uproot|arrival|exodus|"
    r"injur|wound|casualt|victim|bodies|incident|crossed into|neutrali|fire|shelter|taken|beat|smash|defus|dismantl|"
    r"intercept|repel|repuls|fended|retook|liberat|remand|overran|torch|lynch|hostage|explod|detonat)",
    re.IGNORECASE,
)


def may_hold_incident(sentence: str) -> bool:
    return bool(_CUE.search(sentence))


@stage("reckon.triage.v1", requires=("sentences",), assigns=("drafts",))
def make_triage(settings):
    def triage(report) -> None:
        report.drafts = [Draft(sentence=s, span=s.span) for s in report.sentences if may_hold_incident(s.text)]

    return triage
