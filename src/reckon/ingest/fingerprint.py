"""Content addresses and near-duplicate keys.

``sha256`` of the raw bytes identifies a document: ingesting the same bytes
again adds nothing. ``shingle_key`` gives copies of one story (a wire report
republished with a different headline or footer) the same key.
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["sha256_bytes", "shingles", "shingle_key", "jaccard"]

_WORD = re.compile(r"\w+", re.UNICODE)


def sha256_bytes(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _h(s: str) -> int:
    # stable across processes (the built-in hash() of str is salted per process)
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")


def shingles(text: str, k: int = 5) -> set[int]:
    """Hashes of the k-word windows of the text, lower-cased."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < k:
        return {_h(" ".join(words))} if words else set()
    return {_h(" ".join(words[i : i + k])) for i in range(len(words) - k + 1)}


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def shingle_key(text: str, k: int = 5, n: int = 4) -> str:
    """A short key from the n smallest shingle hashes (min-hash sketch): equal for near-copies."""
    sh = sorted(shingles(text, k))
    return hashlib.sha1(",".join(map(str, sh[:n])).encode()).hexdigest()[:16]
