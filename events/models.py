from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.catalogue import subscription_problems

GENESIS_HASH = "0" * 64
# How an event's hash is computed (events.services.event_hash). 1: the first scheme, which
# hashed `occurred_at` in whatever zone it was recorded in; 2: a canonical form that reads
# back the same on every database. `manage.py event_chain_reseal` moves a chain from 1 to 2.
HASH_SCHEME = 2


class Event(models.Model):
    """One thing that happened in the domain. Rows are appended, never changed; each row
    holds the hash of its content and of the row before it, so tampering shows."""

    type = models.CharField(_("type"), max_length=64, db_index=True)
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(_("payload"), default=dict, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    hash_scheme = models.PositiveSmallIntegerField(_("hash scheme"), default=HASH_SCHEME)
    # Set once every delivery of the event exists; the sweeper fans out events without it.
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "id"], name="event_subject_idx"),
            models.Index(fields=["id"], condition=Q(dispatched_at__isnull=True), name="event_undispatched_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"

    @property
    def subject_label(self) -> str:
        """The subject's model as "app_label.model" ("" without a subject): what the chain
        hashes and what a webhook names as the subject's type."""
        return f"{self.subject_type.app_label}.{self.subject_type.model}" if self.subject_type_id else ""


class ChainHead(models.Model):
    """The last hash of the event chain. Appending locks this one row, so the chain never forks."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="chain_head_singleton")]

    def __str__(self) -> str:
        return self.last_hash


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    IN_APP = "in_app", _("In-app")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Retrying")
    DEAD = "dead", _("Failed (dead letter)")
    # The worker stopped while sending an email: it may or may not have gone out. Email is at
    # most once, so it is never sent again by itself; an official decides.
    UNKNOWN = "unknown", _("Unknown: the worker stopped while sending")


class Delivery(models.Model):
    """One event for one recipient on one channel. The unique key makes a second delivery
    of the same event to the same recipient on the same channel impossible."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=64, help_text=_("user:<id> or endpoint:<id>"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    endpoint = models.ForeignKey(
        "events.WebhookEndpoint", null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # When the delivery was claimed for sending (status SENDING); the sweeper recovers
    # deliveries whose worker died, found by this time.
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel", "recipient"], name="delivery_once_per_recipient"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(endpoint__isnull=False), name="delivery_has_a_recipient"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.channel} {self.recipient}"


class Notification(models.Model):
    """An entry in a user's in-app inbox."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="notification_once_per_user")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """A user's choice of whether one kind of event reaches them on one channel.
    Without a row, the channel's default applies (in-app and email: on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind of event"), max_length=64)
    channel = models.CharField(_("channel"), max_length=16, choices=[c for c in Channel.choices if c[0] != "webhook"])
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "channel"], name="preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.channel} {self.enabled}"


# What WebhookEndpoint.status answers.
WEBHOOK_ENDPOINT_STATUSES = ["active", "paused", "disabled"]


class WebhookEndpoint(models.Model):
    """A partner system's URL that receives signed events of the types it chose."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="webhook_endpoints"
    )
    partner = models.CharField(_("partner organisation"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    # Checked against the catalogue (events.catalogue.subscription_problems): partner-visible
    # types only; "*" is every partner-visible type.
    event_types = models.JSONField(
        _("event types"),
        default=list,
        help_text=_(
            'Partner-visible types, e.g. ["application.lodged"], or ["*"] for all of them (/developers/events/)'
        ),
    )
    secret = models.CharField(_("signing secret"), max_length=100, help_text=_("whsec_… (Standard Webhooks)"))
    # After a rotation the previous secret signs too, until it expires: the receiver switches to
    # the new secret whenever it likes within the grace period and loses no event.
    previous_secret = models.CharField(_("previous signing secret"), max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(
        _("previous secret signs until"), null=True, blank=True, editable=False
    )
    secret_rotated_at = models.DateTimeField(_("secret rotated"), null=True, blank=True, editable=False)
    # Inactive with `disabled_at`: disabled after a day of failures; without: paused by its owner.
    is_active = models.BooleanField(_("active"), default=True)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        constraints = [
            models.CheckConstraint(
                condition=Q(previous_secret="") | Q(previous_secret_expires_at__isnull=False),
                name="webhook_previous_secret_expires",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.url}"

    @property
    def status(self) -> str:
        """active, paused (by its owner) or disabled (after a day of failures)."""
        if self.is_active:
            return "active"
        return "disabled" if self.disabled_at else "paused"

    def signing_secrets(self, now: datetime) -> list[str]:
        """The secrets a webhook sent at `now` is signed with: the current one, and the previous
        one while its grace period lasts."""
        secrets = [self.secret]
        expires = self.previous_secret_expires_at
        if self.previous_secret and expires is not None and now < expires:
            secrets.append(self.previous_secret)
        return secrets

    def clean(self) -> None:
        problems = subscription_problems(self.event_types)
        if problems:
            raise ValidationError({"event_types": problems})


class WebhookAttempt(models.Model):
    """One HTTP attempt of a webhook delivery, kept for the partner's and our own diagnosis."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts_log")
    attempted_at = models.DateTimeField(_("attempted at"), auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response_ms = models.PositiveIntegerField(_("response time, ms"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error[:30]}"
