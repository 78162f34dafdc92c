"""Vietnamese text as the index sees it.

The Elasticsearch distribution we run has no asciifolding filter (DESIGN.md), so folding happens
here, once, and every document and query uses this function: "Thợ Hàn" and "tho han" meet as
"tho han". The original text is indexed too, so an exact-diacritic match can rank higher.
"""

import unicodedata
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


def fold_chars(text: str) -> str:
    """Folded letter by letter, every position kept (for highlighting the original text)."""
    return text.translate(_TABLE).lower()


def fold(text: str) -> str:
    return " ".join(fold_chars(unicodedata.normalize("NFC", text)).split())


def highlight(text: str, query: str) -> str:
    """The text, HTML-escaped, with the query's words marked where they occur, diacritics or not."""
    folded, words = fold_chars(text), {w for w in fold(query).split() if len(w) > 1}
    marks = [False] * len(text)
    for word in words:
        start = folded.find(word)
        while start != -1:
            end = start + len(word)
            before = start == 0 or not folded[start - 1].isalnum()
            after = end == len(folded) or not folded[end].isalnum()
            if before and after:
                marks[start:end] = [True] * len(word)
            start = folded.find(word, end)
    out, start = [], 0
    for end in range(1, len(text) + 1):  # escape whole runs, not letters: this runs 20 times a search
        if end == len(text) or marks[end] != marks[start]:
            run = escape(text[start:end])
            out.append(f"<em>{run}</em>" if marks[start] else run)
            start = end
    return "".join(out)
