"""Tokens: pyvi words over lower-cased, tone-folded text, sentence by sentence.

Directive symbols are single tokens ("25-nq/tw", "30/2020/nd-cp"); numbers and
one-letter syllables ("ở", "ý", "5") are kept.  Tokens are stored per passage as one
space-joined string, so re-indexing never segments a passage twice.  Queries are cut
against the index's own vocabulary (``segment_query``), so searching never imports pyvi.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from vanban.index.segment import segmenter
from vanban.ingest.extract.symbols import canonical_symbol
from vanban.ingest.normalize import match_key, strip_accents

TOKENIZER_VERSION = "pyvi-1"
MAX_WORD_SYLLABLES = 4

_SYMBOL = re.compile(
    r"(?<![\w/.-])(?:"
    r"\d{1,5}[a-z]?(?:/(?:19|20)\d\d)?/[a-zđ]{1,8}\d{0,2}(?:-[a-zđ]{1,10}\d{0,2}){0,3}"
    r"|\d{1,4}[a-z]?-[a-zđ]{1,5}/[a-zđ]{1,6}"
    r")(?![\w/])"
)
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")
_WORDISH = re.compile(r"\w")
_SYLLABLE = re.compile(r"\w+")


def symbol_token(surface: str) -> str:
    """The token a directive symbol is indexed under: canonical, lower case, no accents."""
    canon = canonical_symbol(surface) or surface
    return strip_accents(canon).lower().replace(" ", "")


def tokenize(text: str) -> list[str]:
    """Word tokens of a passage (pyvi words joined by "_", symbols whole)."""
    key = match_key(text)
    out: list[str] = []
    pos = 0
    for m in _SYMBOL.finditer(key):
        out.extend(_words(key[pos:m.start()]))
        out.append(symbol_token(m.group(0)))
        pos = m.end()
    out.extend(_words(key[pos:]))
    return out


def _words(segment: str) -> list[str]:
    if not _WORDISH.search(segment):
        return []
    seg = segmenter()
    out: list[str] = []
    for sentence in _SENTENCE.split(segment):
        if _WORDISH.search(sentence):
            out.extend(t for t in seg(sentence).split() if _WORDISH.search(t))
    return out


def tokenize_many(texts: Iterable[str]) -> list[str]:
    """Stored form (space-joined tokens) of each text."""
    return [" ".join(tokenize(t)) for t in texts]


def syllables(words: Sequence[str]) -> list[str]:
    """Word tokens split into syllables (symbols stay whole)."""
    return " ".join(words).replace("_", " ").split()


def unaccent(tokens: Sequence[str]) -> list[str]:
    """The same tokens without diacritics (one pass over the joined string)."""
    return strip_accents(" ".join(tokens)).split()


def query_syllables(query: str) -> list[str]:
    """Syllables and symbols of a query, lower case and tone-folded."""
    key = match_key(query)
    out: list[str] = []
    pos = 0
    for m in _SYMBOL.finditer(key):
        out.extend(_SYLLABLE.findall(key[pos:m.start()]))
        out.append(symbol_token(m.group(0)))
        pos = m.end()
    out.extend(_SYLLABLE.findall(key[pos:]))
    return out


def candidate_words(sylls: Sequence[str]) -> list[str]:
    """Every run of 2 to ``MAX_WORD_SYLLABLES`` syllables ``segment_query`` may ask about
    (distinct), so that a vocabulary answers them in one batch."""
    runs = {"_".join(sylls[i:i + n]) for i in range(len(sylls))
            for n in range(2, min(MAX_WORD_SYLLABLES, len(sylls) - i) + 1)}
    return sorted(runs)


def segment_query(sylls: Sequence[str], vocab: Callable[[str], bool]) -> list[str]:
    """Greedy longest match of syllable runs against a word vocabulary."""
    out: list[str] = []
    i = 0
    while i < len(sylls):
        for n in range(min(MAX_WORD_SYLLABLES, len(sylls) - i), 1, -1):
            word = "_".join(sylls[i:i + n])
            if vocab(word):
                out.append(word)
                i += n
                break
        else:
            out.append(sylls[i])
            i += 1
    return out
