from django.contrib import admin
from django.http import HttpRequest

from documents.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "kind", "content_type", "size", "status", "uploaded_by", "uploaded_at")
    list_filter = ("status", "kind", "content_type")
    search_fields = ("original_name", "sha256")
    readonly_fields = [f.name for f in Document._meta.fields if f.name != "file"]
    exclude = ("file",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # uploads go through the pages that own them (e.g. a deposit's documents)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
