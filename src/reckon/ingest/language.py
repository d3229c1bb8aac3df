"""Language identification (py3langid, whose model ships inside the package)."""

from __future__ import annotations

import re

__all__ = ["detect_language"]

def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, from its first few thousand characters."""
    sample = re.sub(r"\[\d+\]|https?://\S+", " ", text[:1500])
    if not re.search(r"\w", sample):
        return "und"
    import py3langid

    lang, _score = py3langid.classify(sample)
    return str(lang)
