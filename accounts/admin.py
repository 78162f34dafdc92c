from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import AuditEntry, User
from portal.admin import ReadOnlyAdmin


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    fieldsets = [*UserAdmin.fieldsets, (None, {"fields": ["phone", "is_officer"]})]
    list_display = ["username", "phone", "email", "is_officer", "is_staff"]
    list_filter = ["is_officer", "is_staff", "is_active"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "subject", "detail"]
    list_filter = ["action"]
    date_hierarchy = "at"
