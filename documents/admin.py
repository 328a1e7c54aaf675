from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from documents.models import Document


class CheckFailedFilter(admin.SimpleListFilter):
    """Documents whose check raised (a file no check foresaw, or a bug): rejected, with the
    error's class in facts["check_error"] and its traceback logged once."""

    title = _("check")
    parameter_name = "check"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("failed", _("failed (could not be checked)"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Document]) -> QuerySet[Document]:
        if self.value() == "failed":
            return queryset.filter(facts__has_key="check_error")
        return queryset


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = (
        "original_name",
        "kind",
        "content_type",
        "size",
        "status",
        "why",
        "uploaded_by",
        "uploaded_at",
    )
    list_filter = ("status", CheckFailedFilter, "kind", "content_type")
    search_fields = ("original_name", "sha256")
    readonly_fields = [f.name for f in Document._meta.fields if f.name != "file"]
    exclude = ("file",)

    @admin.display(description=_("reasons"))
    def why(self, document: Document) -> str:
        error = document.facts.get("check_error") if isinstance(document.facts, dict) else None
        text = "; ".join(document.reasons or [])
        return f"{text} [{error}]" if error else text

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # uploads go through the pages that own them (e.g. a deposit's documents)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
