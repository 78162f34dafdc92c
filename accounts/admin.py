from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    fieldsets = [*UserAdmin.fieldsets, (None, {"fields": ["phone", "is_officer"]})]
    list_display = ["username", "phone", "email", "is_officer", "is_staff"]
    list_filter = ["is_officer", "is_staff", "is_active"]
