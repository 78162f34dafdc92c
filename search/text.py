"""Vietnamese text as the index sees it.

The Elasticsearch distribution we run has no asciifolding filter (DESIGN.md), so folding happens
here, once, and every document and query uses this function: "Thợ Hàn" and "tho han" meet as
"tho han". The original text is indexed too, so an exact-diacritic match can rank higher.
"""

import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def fold_chars(text: str) -> str:
    """`fold` letter by letter, keeping every position (for highlighting the original text)."""
    return "".join(fold(ch) or ch for ch in text)


def highlight(text: str, query: str) -> str:
    """The text, HTML-escaped, with the query's words marked where they occur, diacritics or not."""
    from html import escape

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
    out, inside = [], False
    for ch, marked in zip(text, marks, strict=True):
        if marked != inside:
            out.append("<em>" if marked else "</em>")
            inside = marked
        out.append(escape(ch))
    return "".join(out) + ("</em>" if inside else "")
