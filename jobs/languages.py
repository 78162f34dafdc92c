"""Language certificates and their levels, lowest first, so "at or above the requirement" is a comparison."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CEFR = ["A1", "A2", "B1", "B2", "C1", "C2"]
SCALES = {
    "jlpt": ["N5", "N4", "N3", "N2", "N1"],
    "jft_basic": ["A2"],  # JFT-Basic is passed or not; a pass is CEFR A2
    "topik": ["1", "2", "3", "4", "5", "6"],
    "cefr_en": CEFR,  # the language is part of the framework: English B1 is not German B1
    "cefr_de": CEFR,
    "tocfl": ["1", "2", "3", "4", "5", "6"],
}
EPS_TOPIK_MAX = 200  # EPS-TOPIK is a score out of 200 (40 questions)


def rank(framework: str, level: str) -> int:
    """A number that grows with proficiency; raises ValidationError for an unknown level."""
    if framework == "eps_topik":
        if level.isdigit() and 0 <= int(level) <= EPS_TOPIK_MAX:
            return int(level)
        raise ValidationError(_("An EPS-TOPIK score is a whole number from 0 to 200."))
    scale = SCALES.get(framework)
    if scale is None:
        raise ValidationError(_("Unknown certificate: %(framework)s.") % {"framework": framework})
    normalised = level.strip().upper()
    if normalised not in scale:
        raise ValidationError(
            _("Levels of this certificate are: %(levels)s.") % {"levels": ", ".join(scale)},
        )
    return scale.index(normalised)


def level_of(framework: str, rank: int) -> str:
    """The level a rank stands for, rank() read backwards: JLPT 1 is "N4"; an EPS-TOPIK rank is its score."""
    return str(rank) if framework == "eps_topik" else SCALES[framework][rank]


def top_rank(framework: str) -> int:
    """The highest rank of a certificate: its top level, or EPS-TOPIK's full score."""
    return EPS_TOPIK_MAX if framework == "eps_topik" else len(SCALES[framework]) - 1


def validate_level(framework: str, level: str) -> None:
    rank(framework, level)


def best_ranks(certificates) -> dict[str, int]:
    """A worker's highest rank in each framework, from (framework, level) pairs: what matching compares."""
    best = {}
    for framework, level in certificates:
        best[framework] = max(best.get(framework, 0), rank(framework, level))
    return best
