"""Partner organisations and their clients in the admin (administrators, with their second
factor like every official). A client's secret is shown once, when it is registered or rotated."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import get_access_token_model, get_grant_model, get_id_token_model, get_refresh_token_model

from accounts.errors import TransitionError
from partners import services
from partners.models import PartnerClient, PartnerOrganisation
from partners.scopes import scope_choices

# django-oauth-toolkit registers its own admin for its models; partners are managed here only.
OAUTH_MODELS = (get_access_token_model(), get_grant_model(), get_id_token_model(), get_refresh_token_model())
for model in (PartnerClient, *OAUTH_MODELS):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "contact_email", "created_at"]
    search_fields = ["name"]


class PartnerClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=scope_choices, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = PartnerClient
        fields = ["name", "organisation", "scopes", "rate_per_minute"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("name", "organisation"):  # read-only (absent) once the client exists
            if name in self.fields:
                self.fields[name].required = True


def _show_secret(request: HttpRequest, client: PartnerClient, secret: str) -> None:
    messages.warning(
        request,
        format_html(
            "{} <code>{}</code> &nbsp; {} <code>{}</code><br>{}",
            gettext("Client id:"),
            client.client_id,
            gettext("Client secret:"),
            secret,
            gettext("Copy the secret now: it is shown this once and stored only as a hash."),
        ),
    )


@admin.register(PartnerClient)
class PartnerClientAdmin(admin.ModelAdmin):
    form = PartnerClientForm
    list_display = ["name", "organisation", "client_id", "scope_list", "rate_per_minute", "state", "created"]
    list_filter = ["organisation"]
    search_fields = ["name", "client_id", "organisation__name"]
    readonly_fields = ["client_id", "secret_rotated_at", "previous_secret_expires_at", "revoked_at", "created"]
    actions = ["rotate_secret", "revoke"]

    @admin.display(description=_("scopes"))
    def scope_list(self, client: PartnerClient) -> str:
        return " ".join(client.scopes)

    @admin.display(description=_("state"))
    def state(self, client: PartnerClient) -> str:
        return gettext("revoked") if client.revoked_at else gettext("active")

    def get_readonly_fields(self, request: HttpRequest, obj: PartnerClient | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "name", "organisation"] if obj is not None else fields

    def get_fields(self, request: HttpRequest, obj: PartnerClient | None = None) -> list[str]:
        if obj is None:
            return ["name", "organisation", "scopes", "rate_per_minute"]
        return [*self.get_readonly_fields(request, obj), "scopes", "rate_per_minute"]

    def save_model(self, request: HttpRequest, obj: PartnerClient, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.partner_client_change(
                actor=request.user, client=obj, scopes=list(data["scopes"]), rate_per_minute=data["rate_per_minute"]
            )
            return
        client, secret = services.partner_client_create(
            actor=request.user,
            name=data["name"],
            organisation=data["organisation"],
            scopes=list(data["scopes"]),
            rate_per_minute=data["rate_per_minute"],
        )
        obj.pk = client.pk
        obj.client_id = client.client_id
        _show_secret(request, client, secret)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # revoke instead: the record of who called stays

    @admin.action(description=_("Rotate the secret (the old one works for the grace period)"))
    def rotate_secret(self, request: HttpRequest, queryset: QuerySet[PartnerClient]) -> None:
        for client in queryset:
            try:
                secret = services.partner_client_rotate_secret(actor=request.user, client=client)
            except TransitionError as exc:
                messages.error(request, f"{client}: {exc}")
                continue
            _show_secret(request, client, secret)

    @admin.action(description=_("Revoke at once"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[PartnerClient]) -> HttpResponse | None:
        if request.POST.get("confirm") != "yes":  # irreversible: ask first
            context = {**self.admin_site.each_context(request), "clients": queryset, "title": _("Revoke")}
            return TemplateResponse(request, "admin/partners/confirm_revoke.html", context)
        reason = request.POST.get("reason", "")
        for client in queryset:
            try:
                services.partner_client_revoke(actor=request.user, client=client, reason=reason)
            except TransitionError as exc:
                messages.error(request, f"{client}: {exc}")
                continue
            messages.success(request, gettext("%(client)s is revoked.") % {"client": client})
        return None
