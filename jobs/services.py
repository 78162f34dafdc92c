"""Every write to the jobs domain. Indexed rows are queued for search on commit."""

import csv
from pathlib import Path

from django.db import transaction

from jobs.models import Occupation
from search.services import index_on_commit

OCCUPATIONS_CSV = Path(__file__).parent / "data" / "occupations.csv"


@transaction.atomic
def occupation_save(*, code: str, name_vi: str, name_en: str, aliases: list[str]) -> Occupation:
    occupation, _ = Occupation.objects.update_or_create(
        code=code, defaults={"name_vi": name_vi, "name_en": name_en, "aliases": aliases}
    )
    index_on_commit(Occupation, [occupation.pk])
    return occupation


@transaction.atomic
def occupations_load(*, path: Path = OCCUPATIONS_CSV) -> int:
    """Insert or update the occupation reference list from its CSV, in one statement."""
    with path.open(encoding="utf-8") as file:
        rows = [
            Occupation(code=row["code"], name_vi=row["name_vi"], name_en=row["name_en"], aliases=_split(row["aliases"]))
            for row in csv.DictReader(file)
        ]
    saved = Occupation.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name_vi", "name_en", "aliases", "modified_at"],
    )
    index_on_commit(Occupation, [occupation.pk for occupation in saved])
    return len(saved)


def _split(aliases: str) -> list[str]:
    return [alias.strip() for alias in aliases.split("|") if alias.strip()]
