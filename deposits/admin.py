"""The registrars' admin for deposits. Every save goes through deposits.services."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.errors import TransitionError
from accounts.languages import InEachLanguageAdmin
from deposits import services
from deposits.models import (
    Commodity,
    Deposit,
    DepositCommodity,
    DepositDocument,
    RegionBoundary,
    ResourceEstimate,
    Source,
)
from documents.checks import CheckFailed, json_load, precheck
from documents.kinds import kind_choices
from documents.services import document_upload


class DepositCommodityFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        main = [f for f in kept if f.cleaned_data.get("is_primary")]
        if kept and len(main) != 1:
            raise forms.ValidationError(_("Mark exactly one commodity as the main one."))


class DepositCommodityInline(admin.TabularInline):
    model = DepositCommodity
    formset = DepositCommodityFormSet
    extra = 0
    min_num = 1


class EstimateInline(InEachLanguageAdmin, admin.StackedInline):
    # Stacked, not tabular: the competent person and the note are written in three languages, side by side.
    model = ResourceEstimate
    extra = 0
    fields = [
        ("commodity", "code", "category"),
        ("tonnage_t", "grade", "grade_unit"),
        ("contained_t", "cutoff", "effective_date"),
        "competent_person_en",
        "competent_person_ru",
        "competent_person_kk",
        "source",
        "note_en",
        "note_ru",
        "note_kk",
    ]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        # Only this deposit's sources may be cited.
        formset.form.base_fields["source"].queryset = (
            Source.objects.filter(deposit=obj) if obj else Source.objects.none()
        )
        return formset


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0


class DepositDocumentForm(forms.ModelForm):
    upload = forms.FileField(label=_("Upload a file"), required=False)
    upload_kind = forms.ChoiceField(label=_("Kind of file"), choices=kind_choices(), initial="report")

    class Meta:
        model = DepositDocument
        fields = ["title", "kind", "visibility", "url", "published_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("upload")
        if upload is not None:
            try:  # the cheap checks, so the registrar reads the reason next to the field
                precheck(file=upload, name=upload.name or "", size=upload.size or 0, kind=data.get("upload_kind", ""))
            except CheckFailed as exc:
                self.add_error("upload", exc.reasons)
        return data


class DocumentInline(admin.StackedInline):
    model = DepositDocument
    form = DepositDocumentForm
    extra = 0
    readonly_fields = ("file_status",)

    @admin.display(description=_("File and its checks"))
    def file_status(self, obj: DepositDocument) -> str:
        if not obj.file_id:
            return "—"
        return format_html(
            '<a href="{}">{}</a> ({})',
            obj.file.get_absolute_url(),
            obj.file.original_name,
            obj.file.get_status_display(),
        )


class OptionalJSONField(forms.JSONField):
    """Shows an empty box, not the word null, when there is no value."""

    def prepare_value(self, value: Any) -> str:
        return "" if value is None else super().prepare_value(value)


class DepositForm(forms.ModelForm):
    outline = OptionalJSONField(
        label=_("outline (GeoJSON polygon)"), required=False, help_text=_("Leave empty when the outline is unknown.")
    )

    class Meta:
        model = Deposit
        fields = ["outline"]  # the admin adds the fields of its fieldsets


@admin.register(Deposit)
class DepositAdmin(InEachLanguageAdmin, admin.ModelAdmin):
    form = DepositForm
    list_display = ("name_en", "region", "stage", "is_published", "updated_at")
    list_filter = ("is_published", "region", "stage", "deposit_type", "commodities")
    search_fields = ("name_en", "name_ru", "name_kk", "slug", "district_en", "district_ru", "district_kk")
    prepopulated_fields = {"slug": ("name_en",)}
    readonly_fields = ("is_published", "published_at", "created_at", "updated_at")
    inlines = [DepositCommodityInline, EstimateInline, SourceInline, DocumentInline]
    actions = ["publish", "unpublish"]
    fieldsets = (
        (None, {"fields": ("slug", "name_en", "name_ru", "name_kk", "is_illustrative")}),
        (
            _("Location"),
            {"fields": ("region", "district_en", "district_ru", "district_kk", "latitude", "longitude", "outline")},
        ),
        (
            _("Description"),
            {
                "fields": (
                    "deposit_type",
                    "stage",
                    "summary_en",
                    "summary_ru",
                    "summary_kk",
                    "geology_en",
                    "geology_ru",
                    "geology_kk",
                    "history_en",
                    "history_ru",
                    "history_kk",
                ),
                "description": _(
                    "Write each text in English, Russian and Kazakh. Until a translation is written, the page "
                    "shows the English text with a note that it is not yet translated."
                ),
            },
        ),
        (_("Infrastructure"), {"fields": ("rail_km", "road_km", "power_km", "water_km")}),
        (_("Publication"), {"fields": ("is_published", "published_at", "created_at", "updated_at")}),
    )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Disclosures are a public record: unpublish instead of deleting.
        return False

    def save_model(self, request: HttpRequest, obj: Deposit, form: ModelForm, change: bool) -> None:
        services.deposit_save(actor=request.user, deposit=obj, changed_fields=form.changed_data)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        for inline_form in formset.forms:
            upload = getattr(inline_form, "cleaned_data", {}).get("upload")
            if upload is not None and not inline_form.cleaned_data.get("DELETE"):
                inline_form.instance.file = document_upload(
                    actor=request.user, upload=upload, kind=inline_form.cleaned_data["upload_kind"], owner=form.instance
                )
                inline_form.has_changed = lambda: True  # make the formset save this part
        instances = formset.save(commit=False)
        for part in formset.deleted_objects:
            services.deposit_part_delete(actor=request.user, part=part)
        # Parts that stop being the main commodity are saved first: the database allows one main at a time.
        instances.sort(key=lambda part: bool(getattr(part, "is_primary", False)))
        for part in instances:
            services.deposit_part_save(actor=request.user, part=part)

    def _transition(self, request: HttpRequest, queryset: QuerySet[Deposit], service: Any, done: str) -> None:
        count = 0
        for deposit in queryset:
            try:
                service(actor=request.user, deposit=deposit)
                count += 1
            except TransitionError as exc:
                self.message_user(request, str(exc), messages.WARNING)
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected deposits"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Deposit]) -> None:
        self._transition(request, queryset, services.deposit_publish, _("%(count)d deposit(s) published."))

    @admin.action(description=_("Unpublish the selected deposits"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Deposit]) -> None:
        self._transition(request, queryset, services.deposit_unpublish, _("%(count)d deposit(s) unpublished."))


@admin.register(Commodity)
class CommodityAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "is_critical", "is_strategic", "colour", "sort_order")
    list_editable = ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Commodity, form: ModelForm, change: bool) -> None:
        services.commodity_ensure(
            actor=request.user,
            code=obj.code,
            name_en=obj.name_en,
            name_ru=obj.name_ru,
            name_kk=obj.name_kk,
            colour=obj.colour,
            is_critical=obj.is_critical,
            is_strategic=obj.is_strategic,
            sort_order=obj.sort_order,
        )


REGION_BOUNDARY_MAX_BYTES = 20 * 1024 * 1024


class RegionBoundaryForm(forms.ModelForm):
    boundary_file = forms.FileField(
        label=_("Boundary (GeoJSON)"),
        help_text=_(
            "The region's administrative boundary from the state's own data: a GeoJSON file of polygons "
            "in WGS84 longitude and latitude. It replaces the boundary loaded before."
        ),
    )

    class Meta:
        model = RegionBoundary
        fields = ["region", "source"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload, region = cleaned.get("boundary_file"), cleaned.get("region") or (self.instance and self.instance.region)
        if upload is None or not region:
            return cleaned
        if upload.size > REGION_BOUNDARY_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        try:
            data = json_load(upload.read())
        except (CheckFailed, ValueError) as exc:
            raise forms.ValidationError(_("The file is not GeoJSON: %(error)s") % {"error": str(exc)[:200]}) from exc
        cleaned["geometry"] = services.region_boundary_geometry(region=region, data=data)
        cleaned["data"] = data
        return cleaned


@admin.register(RegionBoundary)
class RegionBoundaryAdmin(admin.ModelAdmin):
    """Registrars load each region's boundary; the maps show the loaded ones as a layer."""

    form = RegionBoundaryForm
    list_display = ["region", "source", "loaded_at", "loaded_by"]
    readonly_fields = ["loaded_at", "loaded_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*self.readonly_fields, "region"] if obj else list(self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a boundary is replaced by loading another, so its history stays in the events

    def save_model(self, request: HttpRequest, obj: RegionBoundary, form: ModelForm, change: bool) -> None:
        loaded = services.region_boundary_load(
            actor=request.user,
            region=obj.region,
            data=form.cleaned_data["data"],
            source=form.cleaned_data["source"],
        )
        obj.pk, obj.loaded_at, obj.loaded_by = loaded.pk, loaded.loaded_at, loaded.loaded_by
