"""Vietnamese text as the index sees it.

The Elasticsearch distribution we run has no asciifolding filter (DESIGN.md), so folding happens
here, once, and every document and query uses this function: "Thợ Hàn" and "tho han" meet as
"tho han". The original text is indexed too, so an exact-diacritic match can rank higher.
"""

import re
import unicodedata
from functools import lru_cache
from html import escape


def _fold_letter(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).lower()


# Every Latin letter with marks that Vietnamese (and its neighbours) uses, folded once: translate()
# is then a single pass in C. Each letter folds to exactly one letter, so positions are kept.
_TABLE = {
    code: folded
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]
    if len(folded := _fold_letter(chr(code))) == 1
}


# The same table for PostgreSQL's translate(), where a query must fold a column as fold() folds text.
FOLD_FROM, FOLD_TO = "".join(map(chr, _TABLE)), "".join(_TABLE.values())


def fold_chars(text: str) -> str:
    """Folded letter by letter, every position kept (for highlighting the original text)."""
    return text.translate(_TABLE).lower()


def fold(text: str) -> str:
    return " ".join(fold_chars(unicodedata.normalize("NFC", text)).split())


def summary(text: str, *, length: int = 160) -> str:
    """The start of a text for a result list, cut between words: the page shows the rest."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"


def highlight(text: str, query: str) -> str:
    """The text, HTML-escaped, with the query's words marked where they occur, diacritics or not."""
    out, last = [], 0
    for found in _words_of(query).finditer(fold_chars(text)):  # folding keeps every position
        start, end = found.span()
        out += [escape(text[last:start]), "<em>", escape(text[start:end]), "</em>"]
        last = end
    return "".join(out) + escape(text[last:])


@lru_cache(maxsize=256)
def _words_of(query: str) -> re.Pattern:
    """The query's words as whole words, longest first; compiled once for the page's results."""
    words = sorted({w for w in fold(query).split() if len(w) > 1}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:{})(?!\w)".format("|".join(map(re.escape, words)))) if words else re.compile(r"(?!)")
