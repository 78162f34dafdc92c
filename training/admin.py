"""Training in the admin: support rules are edited here (an officer ticks "confirmed" once a rule is
checked against its legal text); courses and enrolments are read here and move only through
training/services.py (the pages, the API, the officers' review at /desk/courses/)."""

from django.contrib import admin

from portal.admin import ReadOnlyAdmin
from training.models import Course, Enrolment, SupportRule


@admin.register(SupportRule)
class SupportRuleAdmin(admin.ModelAdmin):
    list_display = ["group", "levels", "max_vnd", "meal_vnd_per_day", "travel_vnd", "source", "confirmed"]
    list_filter = ["group", "confirmed"]


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "level", "start_date", "seats", "status"]
    list_filter = ["status", "level"]
    search_fields = ["title", "organisation__name"]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["course", "status", "accepted_on", "completed_on", "level", "commune"]
    list_filter = ["status", "level"]
