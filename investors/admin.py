"""The admin shows investors read-only: registrars decide in the portal's queue, where every
decision goes through investors.services; new agreement versions are published through it too."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.languages import InEachLanguageAdmin
from investors import services
from investors.models import (
    AgreementAcceptance,
    BeneficialOwner,
    ConfidentialityAgreement,
    DataRoomAccess,
    Membership,
    Organisation,
    OrganisationDocument,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ["user", "role", "joined_at"]
    readonly_fields = fields


class OwnerInline(ReadOnlyInline):
    model = BeneficialOwner
    fk_name = "organisation"
    fields = ["kind", "name", "country", "share", "held_through", "state_owned", "politically_exposed"]
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    model = OrganisationDocument
    fields = ["kind", "file", "added_at"]
    readonly_fields = fields


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["legal_name_latin", "country", "registration_number", "status", "status_changed_at", "portal"]
    list_filter = ["status", "country"]
    search_fields = ["legal_name", "legal_name_latin", "registration_number"]
    inlines = [MembershipInline, OwnerInline, DocumentInline]

    @admin.display(description=_("Decide"))
    def portal(self, organisation: Organisation) -> str:
        return format_html('<a href="{}">{}</a>', organisation.get_absolute_url(), _("Open in the portal"))


@admin.register(DataRoomAccess)
class DataRoomAccessAdmin(ReadOnlyAdmin):
    list_display = ["opened_at", "user", "organisation", "deposit", "document_title"]
    list_filter = ["organisation", "deposit"]
    date_hierarchy = "opened_at"


@admin.register(AgreementAcceptance)
class AgreementAcceptanceAdmin(ReadOnlyAdmin):
    list_display = ["accepted_at", "user", "organisation", "agreement"]
    list_filter = ["agreement"]


@admin.register(ConfidentialityAgreement)
class ConfidentialityAgreementAdmin(InEachLanguageAdmin, admin.ModelAdmin):
    """A version is never edited: a change is a new version, which everyone accepts again."""

    list_display = ["version", "in_force_from"]
    fields = ["text_en", "text_ru", "text_kk"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ConfidentialityAgreement, form: Any, change: bool) -> None:
        published = services.agreement_publish(
            actor=request.user, text_en=obj.text_en, text_ru=obj.text_ru, text_kk=obj.text_kk
        )
        obj.pk, obj.version = published.pk, published.version
