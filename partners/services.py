"""Writes on partner clients: register, change, rotate the secret, revoke, and subscribe to
events by webhook. Each records an event; a client's secret is returned once, to be shown once,
and only its hash is kept."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken

from accounts.errors import TransitionError
from accounts.models import User
from accounts.roles import Role, has_role
from events.models import WebhookEndpoint
from events.services import record_event, webhook_endpoint_save, webhook_secret_new
from partners.models import PartnerClient, PartnerOrganisation, service_email
from partners.scopes import SCOPES


def _checked_scopes(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ValidationError(
            {
                "scopes": _("Unknown scopes: %(scopes)s. Known: %(known)s.")
                % {"scopes": ", ".join(unknown), "known": ", ".join(SCOPES)}
            }
        )
    if not scopes:
        raise ValidationError({"scopes": _("Give the client at least one scope.")})
    return sorted(set(scopes), key=list(SCOPES).index)


def _require_admin(actor: User | None) -> None:
    """Only administrators register and manage clients (the shell's commands act as nobody)."""
    if actor is not None and not has_role(actor, Role.ADMIN):
        raise PermissionDenied(_("Only administrators may manage partner clients."))


def partner_client_create(
    *,
    actor: User | None,
    name: str,
    scopes: list[str],
    organisation: PartnerOrganisation | None = None,
    organisation_name: str = "",
    rate_per_minute: int | None = None,
    client_id: str | None = None,
    secret: str | None = None,
) -> tuple[PartnerClient, str]:
    """Register a client (client credentials) with its scopes and its own account; returns the
    client and its secret, which exists nowhere else: show it once. `organisation_name` finds or
    creates the partner organisation when `organisation` is not given (the client's name if blank).
    `client_id` and `secret` are generated unless given (the demo's published credentials)."""
    _require_admin(actor)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the client a name.")})
    scopes = _checked_scopes(scopes)
    secret = secret or generate_client_secret()
    with transaction.atomic():
        if organisation is None:
            organisation, _created = PartnerOrganisation.objects.get_or_create(
                name=(organisation_name or name).strip()[:200]
            )
        client = PartnerClient(
            name=name[:255],
            organisation=organisation,
            scopes=scopes,
            client_type=PartnerClient.CLIENT_CONFIDENTIAL,
            authorization_grant_type=PartnerClient.GRANT_CLIENT_CREDENTIALS,
            client_secret=secret,
            hash_client_secret=True,
        )
        if client_id:
            client.client_id = client_id
        if rate_per_minute is not None:
            client.rate_per_minute = rate_per_minute
        client.full_clean(exclude=["user", "client_secret", "redirect_uris", "post_logout_redirect_uris"])
        client.save()  # the secret is hashed as it is saved
        client.user = User.objects.create_user(
            email=service_email(client.client_id), password=None, first_name=name[:150], last_name=_("(partner client)")
        )
        client.save(update_fields=["user"])
        record_event(
            actor=actor,
            type="partner_client.created",
            subject=client,
            name=client.name,
            organisation=organisation.name,
            scopes=scopes,
        )
    return client, secret


def partner_client_change(
    *, actor: User | None, client: PartnerClient, scopes: list[str], rate_per_minute: int
) -> PartnerClient:
    """Set the client's scopes and rate; tokens already issued keep only the scopes it still has."""
    _require_admin(actor)
    scopes = _checked_scopes(scopes)
    with transaction.atomic():
        client = PartnerClient.objects.select_for_update().get(pk=client.pk)
        if client.scopes == scopes and client.rate_per_minute == rate_per_minute:
            return client
        before = {"scopes": client.scopes, "rate_per_minute": client.rate_per_minute}
        client.scopes, client.rate_per_minute = scopes, rate_per_minute
        client.save(update_fields=["scopes", "rate_per_minute", "updated"])
        record_event(
            actor=actor,
            type="partner_client.changed",
            subject=client,
            before=before,
            after={"scopes": scopes, "rate_per_minute": rate_per_minute},
        )
    return client


def partner_client_rotate_secret(*, actor: User | None, client: PartnerClient, grace: timedelta | None = None) -> str:
    """A new secret, returned once. The previous one keeps working for `grace` (by default
    settings.PARTNERS_SECRET_GRACE_HOURS), so the partner switches without downtime; a secret
    older than that fails at once. Tokens already issued keep working until they expire."""
    _require_admin(actor)
    grace = grace if grace is not None else timedelta(hours=settings.PARTNERS_SECRET_GRACE_HOURS)
    secret = generate_client_secret()
    with transaction.atomic():
        client = PartnerClient.objects.select_for_update().get(pk=client.pk)
        if client.revoked_at is not None:
            raise TransitionError(_("This client is revoked; register a new one."))
        now = timezone.now()
        client.previous_secret = client.client_secret
        client.previous_secret_expires_at = now + grace
        client.client_secret = secret
        client.secret_rotated_at = now
        client.save(
            update_fields=[
                "previous_secret",
                "previous_secret_expires_at",
                "client_secret",
                "secret_rotated_at",
                "updated",
            ]
        )
        record_event(
            actor=actor,
            type="partner_client.secret_rotated",
            subject=client,
            previous_valid_until=client.previous_secret_expires_at,
        )
    return secret


def partner_client_revoke(*, actor: User | None, client: PartnerClient, reason: str = "") -> PartnerClient:
    """Revoke the client at once: no new token, its tokens refused from the next request, its
    webhook subscriptions paused. Cannot be undone (register a new client)."""
    _require_admin(actor)
    with transaction.atomic():
        client = PartnerClient.objects.select_for_update().get(pk=client.pk)
        if client.revoked_at is not None:
            raise TransitionError(_("This client is revoked already."))
        now = timezone.now()
        client.revoked_at = now
        client.save(update_fields=["revoked_at", "updated"])
        AccessToken.objects.filter(application=client, expires__gt=now).update(expires=now)
        paused = WebhookEndpoint.objects.filter(owner=client.user, is_active=True).update(is_active=False)
        record_event(
            actor=actor, type="partner_client.revoked", subject=client, reason=reason[:2000], webhooks_paused=paused
        )
    return client


def partner_webhook_create(*, client: PartnerClient, url: str, event_types: list[str]) -> tuple[WebhookEndpoint, str]:
    """Subscribe the client to partner-visible events at `url` (checked as any endpoint's:
    events.services.webhook_endpoint_save). The endpoint is the client's own (its account owns
    it, under its organisation's name) and gets a new signing secret, returned once: show it once."""
    if client.user is None:
        raise PermissionDenied(_("This client has no account; it cannot own webhook endpoints."))
    partner = client.organisation.name if client.organisation is not None else client.name
    endpoint = WebhookEndpoint(
        owner=client.user, partner=partner[:200], url=url, event_types=event_types, secret=webhook_secret_new()
    )
    webhook_endpoint_save(actor=client.user, endpoint=endpoint, changed_fields=["url", "event_types"])
    return endpoint, endpoint.secret
