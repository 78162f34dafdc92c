from django.contrib import admin

from jobs.models import Occupation
from jobs.services import occupation_save


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en"]
    search_fields = ["code", "name_vi", "name_en", "aliases"]
    readonly_fields = ["modified_at", "search_synced_at"]

    def save_model(self, request, obj, form, change):
        # Through the service, so the change reaches search like any other write.
        occupation_save(code=obj.code, name_vi=obj.name_vi, name_en=obj.name_en, aliases=obj.aliases)
