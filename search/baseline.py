"""The PostgreSQL-only baseline the benchmark measures Elasticsearch against: the same vacancy search with
what PostgreSQL itself offers (unaccent for "tho han", pg_trgm for typos, full-text search for ranking).

Only the benchmark uses it, in its own database: `prepare` creates the extensions, an immutable unaccent
wrapper and the expression indexes there; the portal's schema and migrations do not depend on it.
"""

PREPARE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # unaccent() is STABLE (it reads a dictionary); an index needs IMMUTABLE, hence the usual wrapper.
    """CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT public.unaccent('public.unaccent', lower($1)) $$""",
    """CREATE INDEX IF NOT EXISTS bench_vacancy_fts ON jobs_vacancy USING gin ((
         setweight(to_tsvector('simple', f_unaccent(title)), 'A')
         || setweight(to_tsvector('simple', f_unaccent(description)), 'D')))""",
    "CREATE INDEX IF NOT EXISTS bench_vacancy_trgm ON jobs_vacancy USING gin (f_unaccent(title) gin_trgm_ops)",
    "ANALYZE jobs_vacancy",
]

DOCUMENT = """(setweight(to_tsvector('simple', f_unaccent(v.title)), 'A')
               || setweight(to_tsvector('simple', f_unaccent(v.description)), 'D'))"""

# Visible and open, matching the words (every word, folded) or close to the title by trigrams (a typo),
# ranked by full-text rank plus trigram closeness, newest first among equals; the count stops at 10.000.
# Raw SQL on purpose (a baseline to measure against): "visible" here approximates Vacancy.objects.visible().
SEARCH = """
WITH q AS (SELECT plainto_tsquery('simple', f_unaccent(%(q)s)) AS words, f_unaccent(%(q)s) AS folded),
hits AS (
  SELECT v.id, v.published_at,
         ts_rank($document, q.words) + word_similarity(q.folded, f_unaccent(v.title)) AS rank
  FROM jobs_vacancy v JOIN jobs_organisation o ON o.id = v.organisation_id, q
  WHERE v.status = 'published' AND v.deadline >= CURRENT_DATE AND o.verification = 'verified'
    AND (%(abroad)s IS NULL OR v.is_overseas = %(abroad)s)
    AND (%(within)s::bigint[] IS NULL OR v.id = ANY(%(within)s::bigint[]))
    AND ($document @@ q.words OR q.folded <%% f_unaccent(v.title))
)
SELECT id, (SELECT count(*) FROM (SELECT 1 FROM hits LIMIT 10000) capped) AS total
FROM hits ORDER BY rank DESC, published_at DESC, id DESC LIMIT %(size)s
""".replace("$document", DOCUMENT)  # constant SQL: the text travels as parameters


def prepare(cursor) -> None:
    for statement in PREPARE:
        cursor.execute(statement)


def search(
    cursor, text: str, *, abroad: bool | None = None, within: list[int] | None = None, size: int = 20
) -> list[int]:
    """The ids of the first `size` vacancies the baseline finds, best first (among `within` when given)."""
    cursor.execute(SEARCH, {"q": text, "abroad": abroad, "within": within, "size": size})
    return [row[0] for row in cursor.fetchall()]
