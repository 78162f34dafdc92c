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
