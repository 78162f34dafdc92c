"""Every weight the search uses, each with its reason. Tuned against tests/relevance (issue 5)."""

# Text typed with its diacritics and matching the original spelling is the strongest evidence:
# "hàn" (weld) and "hạn" (deadline) fold to the same "han".
EXACT_DIACRITICS = 3.0
# The folded form lets "tho han" find "thợ hàn"; weaker, since folding merges distinct words.
FOLDED = 1.0
# Syllables in the typed order ("thợ hàn") beat the same syllables scattered through a name.
SYLLABLE_BIGRAMS = 2.0
# An alias names the job as people say it ("hàn điện", "welder"); as good as the official name.
ALIAS = EXACT_DIACRITICS
