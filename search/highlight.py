"""Highlighted snippets, the same on every backend (modelsearch has none).

Matches are found in the folded copy of the text (search.vietnamese.folded keeps
the length of NFC text), so the marked spans show the original words with their
marks, whichever way the query was typed.
"""

import re

from django.utils.html import escape

from hoso.text import nfc

from .vietnamese import folded

WIDTH = 240
SCAN = 20000  # characters of a long text looked through for a snippet


def _pattern(terms):
    words = sorted({w for term in terms for w in term.split()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


def _spans(text, terms):
    pattern = _pattern(terms)
    return [] if pattern is None else [(m.start(), m.end(), m.group()) for m in pattern.finditer(folded(text))]


def _render(text, spans):
    out, position = [], 0
    for start, end, _word in spans:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def mark(text, terms):
    """The whole (short) text, escaped, with query words in <mark>."""
    text = nfc(text)
    return _render(text, _spans(text, terms))


def snippet(text, terms, width=WIDTH):
    """About `width` characters of the text around the densest cluster of query words, escaped,
    words in <mark>; the start of the text when no word occurs in it."""
    text = " ".join(nfc(text[:SCAN]).split())
    spans = _spans(text, terms)
    if not spans:
        cut = text[:width]
        return escape(cut) + ("…" if len(text) > width else "")
    best, best_score, last = 0, -1, 0
    for i, (start, _end, _word) in enumerate(spans[:200]):  # windows starting at each of the first matches
        last = max(last, i)
        while last + 1 < len(spans) and spans[last + 1][1] <= start + width:
            last += 1
        score = len({word for _s, _e, word in spans[i:last + 1]})
        if score > best_score:
            best, best_score = i, score
    start = spans[best][0]
    begin = max(0, start - width // 4)
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < start else begin
    end = min(len(text), begin + width)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > start else end
    window = [(s - begin, e - begin, w) for s, e, w in spans if s >= begin and e <= end]
    return ("…" if begin else "") + _render(text[begin:end], window) + ("…" if end < len(text) else "")
