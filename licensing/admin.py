"""Officials change the licensing configuration here (licence types with their rates, service
times and required documents; MCI values; the government's calendar), each change recorded as
an event. Applications, licences, openings and auctions are read-only: they change only
through licensing.configuration."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from accounts.languages import InEachLanguageAdmin
from investors.admin import ReadOnlyAdmin, ReadOnlyInline
from licensing.configuration import configuration_saved
from licensing.models import (
    Application,
    Auction,
    Bid,
    CalendarDay,
    Claim,
    GroundOpening,
    Licence,
    LicenceType,
    MciValue,
    Rate,
    RelinquishmentRule,
    RequiredDocument,
    StageTarget,
    Tenure,
)


class RecordedAdmin(admin.ModelAdmin):
    """Saves in one transaction with the event that records who changed what."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            configuration_saved(actor=request.user, instance=obj, created=not change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            if formset.has_changed():
                configuration_saved(actor=request.user, instance=form.instance, created=False)


class RateInline(admin.TabularInline):
    model = Rate
    extra = 0


class RelinquishmentInline(admin.TabularInline):
    model = RelinquishmentRule
    extra = 0


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class StageTargetInline(admin.TabularInline):
    model = StageTarget
    extra = 0


@admin.register(LicenceType)
class LicenceTypeAdmin(InEachLanguageAdmin, RecordedAdmin):
    list_display = ["code", "name_en", "max_blocks", "term_years", "is_open", "is_placeholder"]
    inlines = [RateInline, RelinquishmentInline, RequiredDocumentInline, StageTargetInline]


@admin.register(MciValue)
class MciValueAdmin(RecordedAdmin):
    list_display = ["year", "value_kzt", "source"]


@admin.register(CalendarDay)
class CalendarDayAdmin(RecordedAdmin):
    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]


class ClaimInline(ReadOnlyInline):
    model = Claim
    fields = ["block", "rank", "status", "conditional", "contested", "opening"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "organisation", "licence_type", "state", "received_at", "stage_due_on"]
    list_filter = ["state", "licence_type"]
    search_fields = ["title", "organisation__legal_name_latin", "priority_number"]
    list_select_related = ["organisation", "licence_type"]
    inlines = [ClaimInline]


class TenureInline(ReadOnlyInline):
    model = Tenure
    fields = ["block", "is_active", "started_at", "ended_at"]
    readonly_fields = fields


@admin.register(Licence)
class LicenceAdmin(ReadOnlyAdmin):
    list_display = ["number", "holder", "licence_type", "status", "starts_on", "expires_on"]
    list_filter = ["status", "licence_type"]
    search_fields = ["number", "holder__legal_name_latin"]
    list_select_related = ["holder", "licence_type"]
    inlines = [TenureInline]


@admin.register(GroundOpening)
class GroundOpeningAdmin(ReadOnlyAdmin):
    list_display = ["opens_at", "window_closes_at", "reason", "region", "settled_at"]


class BidInline(ReadOnlyInline):
    model = Bid
    fields = ["application", "placed_at", "position", "draw"]
    readonly_fields = fields


@admin.register(Auction)
class AuctionAdmin(ReadOnlyAdmin):
    list_display = ["opening", "status", "bids_close_at", "opened_at"]
    inlines = [BidInline]
