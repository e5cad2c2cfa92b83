"""Vietnamese text helpers that import no app: every app may use them.

Folding maps Vietnamese text to lower-case ASCII letters while keeping its
length in NFC form, so offsets found in a folded copy mark the same span in the
original (search highlighting relies on this).
"""

import re
import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def fold(text: str) -> str:
    """'Đặng Thị Thu Hà' -> 'dang thi thu ha' (NFC first, đ->d, marks dropped, lower-case)."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_D))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


def ascii_slug(text: str, max_length: int = 50, default: str = "tep") -> str:
    """An ASCII file-name-safe form: letters, digits, '-', '_' and '.', at most max_length."""
    folded = fold(text)
    folded = re.sub(r"[^a-z0-9._-]+", "-", folded).strip("-.")
    return folded[:max_length].rstrip("-.") or default
