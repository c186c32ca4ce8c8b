"""The token fields of the index and how each derives from the stored word tokens (a
light module: searching needs it without the build machinery)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from vanban.index.tokens import syllables, unaccent


def bigrams(words: list[str]) -> list[str]:
    """Adjacent syllable pairs: compounds match whatever the word segmentation did."""
    sylls = syllables(words)
    return list(map("|".join, itertools.pairwise(sylls)))


def trigrams(words: list[str]) -> list[str]:
    """Runs of three syllables: words said in the question's order, close together."""
    sylls = syllables(words)
    return ["|".join(t) for t in zip(sylls, sylls[1:], sylls[2:], strict=False)]


# field name -> how its tokens derive from the stored word tokens.  Passage fields score
# passages; the ``t_`` fields score the title of the passage's document.
FIELDS: dict[str, Callable[[list[str]], list[str]]] = {
    "word": lambda w: w,
    "syl": syllables,
    "bi": bigrams,
    "word_u": unaccent,
    "syl_u": lambda w: syllables(unaccent(w)),
    "bi_u": lambda w: bigrams(unaccent(w)),
}
# the passage fields a query scores on (``syl``/``syl_u`` only locate phrases): these get
# block-max tables when the corpus is large
SCORED_FIELDS = ("word", "bi", "word_u", "bi_u")
TITLE_FIELDS: dict[str, Callable[[list[str]], list[str]]] = {
    "t_word": FIELDS["word"], "t_bi": FIELDS["bi"],
    "t_word_u": FIELDS["word_u"], "t_bi_u": FIELDS["bi_u"],
}
# the document fields: one row per document, its title's words then every passage's.  A
# query scores them beside its passages to rank whole documents (``search/documents.py``)
DOC_FIELDS: dict[str, Callable[[list[str]], list[str]]] = {
    "d_word": FIELDS["word"], "d_bi": FIELDS["bi"],
    "d_word_u": FIELDS["word_u"], "d_bi_u": FIELDS["bi_u"],
}
# the accent-free fields restricted to the passages typed without accents: an accented
# query reaches that text through them (a light weight), without summing the accent-free
# postings of every accented passage
PLAIN_FIELDS: dict[str, str] = {"word_uo": "word_u", "bi_uo": "bi_u"}

# the match fields: one row per document, values that are shares rather than BM25, each
# distinct query term counted once.  ``d_cover``: each bigram of the document's title
# (without its numbering) as a share of the title's bigrams, so a query holding the whole
# title scores 1.  ``d_tri``: 1 where the document holds the syllable trigram; its weight
# is shared among the query's trigrams (``PER_QUERY_TERM``), so a document holding every
# phrase of three syllables of the query scores 1.
MATCH_FIELDS: dict[str, Callable[[list[str]], list[str]]] = {
    "d_cover": FIELDS["bi"], "d_cover_u": FIELDS["bi_u"], "d_tri": trigrams,
}
PER_QUERY_TERM = frozenset({"d_tri"})

# every field a query scores -> how the query's terms for it derive from its words
QUERY_TERMS: dict[str, Callable[[list[str]], list[str]]] = {
    **FIELDS, **TITLE_FIELDS, **DOC_FIELDS, **MATCH_FIELDS,
    **{name: FIELDS[source] for name, source in PLAIN_FIELDS.items()},
}

# fields numbered alike: one vocabulary for each group (saved once, looked up once per
# query).  A term of the group that a field lacks is an empty column of that field.
SHARED_VOCABULARY: tuple[tuple[str, ...], ...] = (
    ("d_word", "word", "t_word"),
    ("d_bi", "bi", "t_bi", "d_cover"),
    ("d_word_u", "word_u", "t_word_u"),
    ("d_bi_u", "bi_u", "t_bi_u", "d_cover_u"),
)

