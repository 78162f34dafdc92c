from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from search.models import IndexedModel, IndexedQuerySet


class OccupationQuerySet(IndexedQuerySet):
    def indexable(self):
        return self.all()


class Occupation(IndexedModel):
    """A VSCO 2020 occupation (Decision 34/2020/QĐ-TTg); levels 1-4 equal ISCO-08 unit groups."""

    code = models.CharField(_("mã nghề"), max_length=5, unique=True)
    name_vi = models.CharField(_("tên tiếng Việt"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200)
    # What workers and employers type for this job; search reads them as synonyms.
    aliases = ArrayField(models.CharField(max_length=100), verbose_name=_("tên gọi khác"), default=list, blank=True)

    objects = OccupationQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("nghề")
        verbose_name_plural = _("nghề")

    def __str__(self):
        return f"{self.code} {self.name_vi}"
