"""Every weight the search and matching use, each with its reason. Measured by `manage.py search_quality`
on the judged set in tests/relevance/."""

# --- Free-text search ---------------------------------------------------------------------------

# Text typed with its diacritics and matching the original spelling is the strongest evidence:
# "hàn" (weld) and "hạn" (deadline) fold to the same "han".
EXACT_DIACRITICS = 3.0
# The folded form lets "tho han" find "thợ hàn"; weaker, since folding merges distinct words.
FOLDED = 1.0
# Syllables in the typed order ("thợ hàn") beat the same syllables scattered through a title. Pairs
# of folded syllables serve both spellings; a second clause on the pairs as written added nothing on
# the judged set (NDCG@10 0,867 without it, 0,865 with) and cost Elasticsearch 0,4–0,8 ms a search.
SYLLABLE_BIGRAMS = 2.0
# An alias names the job as people say it ("hàn điện", "welder"); as good as the official name.
ALIAS = EXACT_DIACRITICS
# The query names an occupation (through its aliases) and the vacancy is coded with it: strong,
# and it finds "Thợ cơ khí kết cấu thép" (7212) for "thợ hàn" though the title never says "hàn".
OCCUPATION_CONCEPT = 4.0
# The occupation's own name in the vacancy: a little weaker than the concept, which is exact.
OCCUPATION_NAME = 1.5
# Descriptions are long and wordy: a match there is a hint, not evidence.
DESCRIPTION = 0.3
# A one-letter typo ("dieu duongg") should still find something, below every exact match.
TYPO = 0.2
TYPO_FUZZINESS = "AUTO:4,8"  # 1 edit from 4 letters, 2 from 8: Vietnamese syllables are short
TYPO_EXPANSIONS = 20  # spellings tried per typed word (Elasticsearch's default is 50)
# How many of the typed words a text clause needs: all of up to three ("phi công" must not match
# every "công nhân"), three quarters of longer queries (people type sentences).
WORDS = "3<75%"
# The query names a country ("nhật bản", "Korea") and the vacancy is there.
COUNTRY_CONCEPT = 3.0
# The query says "xuất khẩu lao động" / "đi làm việc ở nước ngoài": any vacancy abroad fits.
ABROAD_CONCEPT = 2.0
# The query names a place ("thợ hàn Cam Lộ", "Lao Bảo"): a vacancy in one of its communes (a 2025 commune,
# or every commune of a pre-2025 district) ...
PLACE = 3.0
# ... and, fading with distance, one near it (half at PLACE_PIVOT): Khe Sanh is 18 km from Lao Bảo.
PLACE_NEAR = 1.5
PLACE_PIVOT = "15km"
# A query that is only a place ("việc làm Đông Hà") keeps its communes and what lies this close to them.
PLACE_RADIUS_KM = 20
# Among equals, the newer vacancy first: half the boost after 30 days.
RECENCY_PIVOT = "30d"
RECENCY = 0.5

# --- Matching a worker to vacancies (and back) ---------------------------------------------------

# The occupation the worker asked for is the first thing a counsellor checks.
DESIRED_OCCUPATION = 4.0
# A certificate in that occupation, verified by an officer, is proof, not only a wish.
CERTIFIED_OCCUPATION = 3.0
# The same certificate as the worker declared it, not yet verified: more than a wish, less than proof.
DECLARED_CERTIFICATE = 1.5
# Training at or above what the vacancy requires.
TRAINING = 1.5
# Every required language at or above the level asked for (abroad this often decides).
LANGUAGE = 2.0
# Close to home for work in the province: half the boost at 25 km (Quảng Trị is ~250 km long).
DISTANCE = 2.0
DISTANCE_PIVOT = "25km"
# Skills the worker lists that the vacancy asks for ("hàn TIG", "đọc bản vẽ"): useful, but free text.
SKILLS = 1.0
# Pays at least what the worker expects.
SALARY = 1.0
# Matching looks first among vacancies in the worker's own occupations or countries, and widens to
# all only when that finds fewer than a page: 4 ms instead of 34 ms on 100.000 vacancies, for the
# same judged NDCG@10 (0,869 either way; related occupations come in only when needed).
# Work abroad where the worker wants to go (a country they chose, or anywhere when they chose none) fits
# their wish at least as a job next door does: a little more than the whole distance bonus, or a worker
# who wants both sees every job at home above a fitting one abroad.
COUNTRY = 2.5

MAX_QUERY_LENGTH = 200  # characters; a longer "query" is a paste, not a search
MAX_RESULT_WINDOW = 10_000  # Elasticsearch's index.max_result_window: deeper pages use search_after
