"""How Vietnamese text goes into the index and how queries are read the same way.

Every backend gets two copies of a record's text:

* the **folded** copy (hoso.text.fold: NFC, đ→d, marks dropped, lower-case) with
  punctuation turned into spaces, so "125/QĐ-UBND" is the three words
  "125 qd ubnd" on every tokenizer. Folding keeps the length, so spans found in
  the folded copy mark the same characters in the original (highlighting).
* the **exact** copy: only the words that carry marks, each spelled in ASCII
  with its marks as digits after the letters ("định" → "dinh59"). Any tokenizer
  keeps such a word whole, so a query typed with marks can reward the records
  that have the very same marks, while still finding the folded ones.
"""

import re
import unicodedata
from functools import lru_cache

from hoso.text import fold, nfc

# Marks as digits (the VNI convention), đ as 9.
_MARK_DIGITS = {
    "\u0301": "1",  # sắc
    "\u0300": "2",  # huyền
    "\u0309": "3",  # hỏi
    "\u0303": "4",  # ngã
    "\u0323": "5",  # nặng
    "\u0302": "6",  # mũ (â ê ô)
    "\u031b": "7",  # móc (ơ ư)
    "\u0306": "8",  # trăng (ă)
}
_WORD = re.compile(r"\w+")
_NOT_WORD = re.compile(r"[^\w\s]|_")


def _fold_table():
    table = {}
    for code in range(0x80, 0x2000):
        char = chr(code)
        if unicodedata.combining(char):
            table[code] = None
        elif unicodedata.normalize("NFC", char) == char and len(fold(char)) == 1 and fold(char) != char.lower():
            table[code] = fold(char)
    return table


_FOLD = _fold_table()


def folded(text: str) -> str:
    """The folded copy: hoso.text.fold (same length as the NFC text), punctuation as spaces.

    A translation table of fold's own answers per character: the same result, many times faster.
    """
    return _NOT_WORD.sub(" ", nfc(text).translate(_FOLD).lower())


@lru_cache(maxsize=65536)
def encode_word(word: str) -> str:
    """'Định' -> 'dinh59'; a word without marks comes back folded and unchanged otherwise."""
    letters, digits = [], []
    for char in unicodedata.normalize("NFD", nfc(word)):
        if char in "đĐ":
            letters.append("d")
            digits.append("9")
        elif unicodedata.combining(char):
            digit = _MARK_DIGITS.get(char)
            if digit:
                digits.append(digit)
        else:
            letters.append(char.lower())
    return "".join(letters) + "".join(sorted(digits))


def exact_words(text: str) -> list[str]:
    """The words of a text that carry marks, encoded: the exact copy."""
    return [encoded for encoded in map(_exact_word, _WORD.findall(nfc(text))) if encoded]


@lru_cache(maxsize=65536)
def _exact_word(word):
    encoded = encode_word(word)
    return encoded if encoded != fold(word) else ""


def exact(text: str) -> str:
    return " ".join(exact_words(text))


def has_marks(text: str) -> bool:
    text = nfc(text)
    return fold(text) != text.lower()
