"""Reading what a person typed into a search query that every backend runs the same way.

* NFC first, then folded: with or without marks, NFD or NFC, đ or d, any case.
* Words are ANDed; ``"quoted words"`` are a phrase; ``OR`` (or ``HOẶC``) between
  parts makes alternatives.
* A number and notation such as ``125/QĐ-UBND`` is a phrase of its parts, and
  its key lets the service put that very record first.
* Words typed with marks also ask, as a bonus, for the same marks (the exact
  copy): such records rank above the merely folded ones.
"""

import re
from dataclasses import dataclass, field

from modelsearch.query import MATCH_ALL, And, Or, Phrase, PlainText

from hoso.text import fold, nfc

from . import vietnamese

MAX_LENGTH = 255
MAX_TERMS = 32
_OR = re.compile(r"\s+(?:OR|HOẶC|\|)\s+")
_NOTATION = re.compile(r"\b\d+(?:[./][\w.\-/]*\w)+", re.UNICODE)
_WORD = re.compile(r"\w+")


@dataclass
class Clause:
    """Terms that must all match: folded words and phrases, and the exact words for the bonus."""

    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    exact: list[str] = field(default_factory=list)

    def __bool__(self):
        return bool(self.words or self.phrases)


@dataclass
class Query:
    text: str = ""
    clauses: list[Clause] = field(default_factory=list)  # alternatives (OR)
    notation_keys: list[str] = field(default_factory=list)

    @property
    def match_all(self):
        return not self.clauses

    @property
    def terms(self):
        """Every folded word of the query (for highlighting)."""
        seen = []
        for clause in self.clauses:
            for term in [*clause.words, *(w for p in clause.phrases for w in p.split())]:
                if term not in seen:
                    seen.append(term)
        return seen


def notation_key(text):
    """'125/QĐ-UBND ' -> '125/qd-ubnd': how notations are compared exactly."""
    return "".join(fold(text or "").split())


def parse(text):
    text = nfc(text or "").strip()[:MAX_LENGTH]
    query = Query(text=text)
    budget = MAX_TERMS
    for part in _OR.split(text):
        clause = Clause()
        for index, chunk in enumerate(_split_quotes(part)):
            if index % 2:  # inside quotes
                _add_phrase(clause, chunk)
            else:
                for notation in _NOTATION.findall(chunk):
                    query.notation_keys.append(notation_key(notation))
                    _add_phrase(clause, notation)
                chunk = _NOTATION.sub(" ", chunk)
                clause.words.extend(w for w in vietnamese.folded(chunk).split() if w not in clause.words)
                clause.exact.extend(vietnamese.exact_words(chunk))
        clause.words = clause.words[:budget]
        budget -= len(clause.words) + len(clause.phrases)
        if clause:
            query.clauses.append(clause)
        if budget <= 0:
            break
    return query


def _split_quotes(part):
    chunks = part.split('"')
    if len(chunks) % 2 == 0:  # an unbalanced quote: the tail is plain words
        chunks[-2:] = [chunks[-2] + " " + chunks[-1]]
    return chunks


def _add_phrase(clause, text):
    words = vietnamese.folded(text).split()
    if len(words) == 1:
        clause.words.extend(w for w in words if w not in clause.words)
    elif words:
        clause.phrases.append(" ".join(words))
    clause.exact.extend(vietnamese.exact_words(text))


def to_modelsearch(query):
    """The modelsearch query: OR of clauses; each clause ANDs its terms and adds the exact bonus.

    ``Or(F, And(F, E))`` matches what F matches, and scores higher where E (the exact words,
    which only records matching F can hold) matches too.
    """
    if query.match_all:
        return MATCH_ALL
    alternatives = []
    for clause in query.clauses:
        parts = [PlainText(" ".join(clause.words), operator="and")] if clause.words else []
        parts.extend(Phrase(phrase) for phrase in clause.phrases)
        folded = parts[0] if len(parts) == 1 else And(parts)
        if clause.exact:
            folded = Or([folded, And([folded, PlainText(" ".join(clause.exact), operator="and")])])
        alternatives.append(folded)
    return alternatives[0] if len(alternatives) == 1 else Or(alternatives)


def fts_string(term):
    return '"' + term.replace('"', '""') + '"'


def to_fts5(query, columns="{title body}"):
    """The FTS5 MATCH expression of a query: OR of clauses, each ANDing its folded terms. (The
    exact words only rank: search.engines scores them.)"""
    alternatives = []
    for clause in query.clauses:
        terms = [fts_string(w) for w in clause.words] + [fts_string(p) for p in clause.phrases]
        alternatives.append(f"({columns} : ({' AND '.join(terms)}))")
    return " OR ".join(alternatives)


def prefix_fts5(text):
    """An FTS5 expression for autocomplete: every word, the last one as a prefix."""
    words = vietnamese.folded(nfc(text or "")[:MAX_LENGTH]).split()[:MAX_TERMS]
    if not words:
        return ""
    terms = [fts_string(w) for w in words[:-1]] + [fts_string(words[-1]) + "*"]
    return "suggest : (" + " AND ".join(terms) + ")"
