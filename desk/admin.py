from django.contrib import admin

from desk.models import MonthlyReport, Target
from portal.admin import ReadOnlyAdmin


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    """Read here; set on /desk/targets/ or through the API, where the figures are checked and audited."""

    list_display = ["year", "indicator", "commune", "value", "source", "updated_by", "updated_at"]
    list_filter = ["year", "indicator"]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ["year", "month", "file", "built_at"]
