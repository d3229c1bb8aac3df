"""Documents in: readers by suffix, decoding, content addressing, language."""

from .decode import decode_bytes
from .fingerprint import sha256_bytes, shingle_key
from .language import detect_language
from .readers import READERS, RawDocument, iter_files, read_path

__all__ = ["READERS", "RawDocument", "decode_bytes", "detect_language", "iter_files", "read_path", "sha256_bytes", "shingle_key"]
