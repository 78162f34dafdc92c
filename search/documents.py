"""What the index holds: plain elasticsearch.dsl Documents, each mirroring one model.

Every Vietnamese text field is indexed twice: as written, and folded by `search.text.fold`
(no diacritics, đ→d, lower case). Both get a `bigrams` sub-field of syllable pairs in order
("thợ hàn"), since Vietnamese words are often two syllables. Only analysis that the bare server
distribution has is used (standard tokenizer, lowercase, shingle), so the same mappings run on
the full Elasticsearch image.
"""

from elasticsearch.dsl import Completion, Document, Keyword, Text, analyzer, token_filter

from jobs.models import Occupation
from search.text import fold

syllable_bigrams = token_filter(
    "syllable_bigrams", "shingle", min_shingle_size=2, max_shingle_size=2, output_unigrams=False
)
vi_text = analyzer("vi_text", tokenizer="standard", filter=["lowercase"])
vi_bigrams = analyzer("vi_bigrams", tokenizer="standard", filter=["lowercase", syllable_bigrams])


def vietnamese(**kwargs):
    return Text(analyzer=vi_text, fields={"bigrams": Text(analyzer=vi_bigrams)}, **kwargs)


class OccupationDocument(Document):
    code = Keyword()
    name = vietnamese()
    name_en = Text(analyzer=vi_text)
    aliases = vietnamese(multi=True)
    folded = vietnamese(multi=True)  # name, aliases and English name, folded
    suggest = Completion(analyzer="simple")  # folded prefixes for typeahead

    class Index:
        name = "occupations"  # the alias is "<SEARCH_INDEX_PREFIX>-occupations"

    @staticmethod
    def model():
        return Occupation

    @classmethod
    def from_row(cls, occupation: Occupation) -> "OccupationDocument":
        names = [occupation.name_vi, *occupation.aliases]
        return cls(
            meta={"id": occupation.pk},
            code=occupation.code,
            name=occupation.name_vi,
            name_en=occupation.name_en,
            aliases=occupation.aliases,
            folded=[fold(text) for text in [*names, occupation.name_en]],
            suggest={"input": sorted({fold(text) for text in names})},
        )


DOCUMENTS = [OccupationDocument]


def document_for(label: str) -> type[Document]:
    """The Document class of a model label such as "jobs.occupation"."""
    for document in DOCUMENTS:
        if document.model()._meta.label_lower == label:
            return document
    raise LookupError(f"no search document for {label}")
