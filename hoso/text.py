"""Vietnamese text helpers that import no app: every app may use them.

Folding maps Vietnamese text to lower-case ASCII letters while keeping its
length in NFC form, so offsets found in a folded copy mark the same span in the
original (search highlighting relies on this).
"""

import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def fold(text: str) -> str:
    """'Đặng Thị Thu Hà' -> 'dang thi thu ha' (NFC first, đ->d, marks dropped, lower-case)."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_D))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()

