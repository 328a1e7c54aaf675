"""Officials' view of the event log, deliveries (with the dead letters) and webhook endpoints."""

import secrets
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.errors import TransitionError
from events import catalogue, services
from events.channels import webhook_url_problem
from events.models import Delivery, DeliveryStatus, Event, Notification, WebhookAttempt, WebhookEndpoint


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("id", "type", "occurred_at", "actor", "subject_type", "subject_id", "dispatched_at")
    list_filter = ("type",)
    search_fields = ("type", "subject_id", "hash")
    list_select_related = ("actor", "subject_type")


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("attempted_at", "status_code", "response_ms", "error")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class DeadLetterFilter(admin.SimpleListFilter):
    """The deliveries an official must look at: failed for good, or whose fate is unknown."""

    title = _("needs an official")
    parameter_name = "dead_letters"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", _("Dead letters and unknown"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> QuerySet[Delivery]:
        if self.value() == "yes":
            return queryset.filter(status__in=[DeliveryStatus.DEAD, DeliveryStatus.UNKNOWN])
        return queryset


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "event",
        "channel",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    list_filter = (DeadLetterFilter, "status", "channel")
    search_fields = ("recipient", "event__type")
    list_select_related = ("event",)
    inlines = [WebhookAttemptInline]
    actions = ["retry"]

    @admin.action(description=_("Send the selected deliveries again"), permissions=["view"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = 0
        retryable = [DeliveryStatus.DEAD, DeliveryStatus.UNKNOWN, DeliveryStatus.SENT, DeliveryStatus.RETRYING]
        for delivery in queryset.filter(status__in=retryable):
            try:
                services.delivery_retry(actor=request.user, delivery=delivery)
            except TransitionError:  # picked up by a worker since the list was shown
                continue
            count += 1
        self.message_user(request, _("%(count)d delivery(ies) queued again.") % {"count": count}, messages.SUCCESS)


class WebhookEndpointForm(forms.ModelForm):
    class Meta:
        model = WebhookEndpoint
        fields = ["owner", "partner", "url", "event_types", "secret", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["secret"].initial = "whsec_" + secrets.token_urlsafe(32)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        problem = webhook_url_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url

    def clean_event_types(self) -> list[str]:
        types = self.cleaned_data["event_types"]
        problems = catalogue.subscription_problems(types)
        if problems:
            raise forms.ValidationError(problems)
        return types


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("partner", "url", "is_active", "failing_since", "disabled_at")
    list_filter = ("is_active",)
    readonly_fields = ("failing_since", "disabled_at", "created_at")

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form: forms.ModelForm, change: bool) -> None:
        services.webhook_endpoint_save(actor=request.user, endpoint=obj, changed_fields=form.changed_data)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("id", "user", "kind", "title", "created_at", "read_at")
    list_filter = ("kind",)
    list_select_related = ("user",)
