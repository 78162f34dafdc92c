from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ZeroResultQuery(models.Model):
    """A search that found nothing: what people look for and the portal does not have."""

    text = models.CharField(max_length=200, blank=True)
    folded = models.CharField(max_length=200, blank=True)  # the text folded (search.text.fold): what groups it
    filters = models.JSONField(default=dict)
    offers = models.JSONField(default=list)  # the broader searches the portal offered, as the API gave them
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return self.text or "(no text)"


class SavedSearch(models.Model):
    """A search someone asked to hear about: the same input the search takes (`params`, as the API's query
    string would carry it, without paging or sort), a name and a rhythm. New vacancies it answers are found
    when they are indexed (search/alerts.py) and told at once or in a digest."""

    class Rhythm(models.TextChoices):
        AT_ONCE = "at_once", _("at once")
        DAILY = "daily", _("daily digest")
        WEEKLY = "weekly", _("weekly digest")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="saved_searches")
    name = models.CharField(_("name"), max_length=100)
    params = models.JSONField(default=dict)
    rhythm = models.CharField(_("how often"), max_length=7, choices=Rhythm.choices, default=Rhythm.DAILY)
    paused_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user"], condition=Q(paused_at__isnull=True), name="saved_search_active")]

    def __str__(self):
        return self.name


class SavedSearchHit(models.Model):
    """A vacancy a saved search answered, once: an edit that re-matches it tells nobody twice.
    `told_at` is set when an alert or a digest carried it."""

    search = models.ForeignKey(SavedSearch, models.CASCADE, related_name="hits")
    vacancy = models.ForeignKey("jobs.Vacancy", models.CASCADE, related_name="+")
    found_at = models.DateTimeField(auto_now_add=True)
    told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["search", "vacancy"], name="one_hit_per_search_vacancy")]
        indexes = [models.Index(fields=["search"], condition=Q(told_at__isnull=True), name="saved_search_hit_untold")]

    def __str__(self):
        return f"{self.search_id} → {self.vacancy_id}"


class PendingPercolation(models.Model):
    """A vacancy indexed since the saved searches last looked (an outbox: search/alerts.py drains it)."""

    vacancy_id = models.BigIntegerField(primary_key=True)
    queued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.vacancy_id)
