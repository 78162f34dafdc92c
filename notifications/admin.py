from django.contrib import admin

from notifications.models import Message
from portal.admin import ReadOnlyAdmin


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    """The delivery log: what was sent to whom, through which channel, and what the provider answered."""

    list_display = ["created_at", "channel", "to", "status", "attempts", "reason", "cost_vnd", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["to"]
    date_hierarchy = "created_at"
    list_select_related = ["event"]
    fields = ["event", "channel", "to", "subject", "text", "status", "attempts", "reason", "cost_vnd", "sent_at"]
