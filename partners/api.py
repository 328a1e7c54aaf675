"""The API of partner systems' own: their webhook subscriptions (`webhooks:manage`) and the feed
of partner events (`events:read`). Both answer partner tokens only (partners.permissions); a
client sees and changes its own endpoints, and another client's answer 404."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.pagination import MAX_ID, NewestFirstPagination, StrictCursorPagination
from events import catalogue, channels, selectors, services
from events.models import WEBHOOK_ENDPOINT_STATUSES, Delivery, DeliveryStatus, Event, WebhookEndpoint
from partners.authentication import PartnerTokenAuthentication
from partners.permissions import PartnerTokenRequired
from partners.scopes import EVENTS_READ, WEBHOOKS_MANAGE
from partners.services import partner_webhook_create

# Ids are PostgreSQL bigints: a larger number names nothing and must not reach the database.


class IdCursorPagination(StrictCursorPagination):
    """Pages in the order of the rows' ids, followed by the `next` and `previous` links: stable
    while rows are added, and as fast on the millionth page as on the first."""

    ordering = "id"


# Webhook subscriptions ------------------------------------------------------------------------


class WebhookEndpointSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(
        choices=WEBHOOK_ENDPOINT_STATUSES,
        help_text=gettext_lazy("active; paused by you; or disabled after a day of failed deliveries."),
    )
    previous_secret_signs_until = serializers.DateTimeField(
        source="previous_secret_expires_at",
        allow_null=True,
        help_text=gettext_lazy("After a rotation, webhooks carry a signature by the previous secret too until then."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "event_types",
            "status",
            "failing_since",
            "disabled_at",
            "secret_rotated_at",
            "previous_secret_signs_until",
            "created_at",
        ]


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        help_text=gettext_lazy(
            "The signing secret (Standard Webhooks, whsec_…). Shown in this answer only: keep it now."
        )
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class EventTypesField(serializers.ListField):
    child = serializers.CharField(max_length=64)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            gettext_lazy('Partner-visible event types (GET /api/v1/event-types/), or ["*"] for all of them.'),
        )
        super().__init__(allow_empty=False, max_length=200, **kwargs)


class WebhookEndpointInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500, help_text=gettext_lazy("https:// to a public address."))
    event_types = EventTypesField()


class DeliveryAttemptSerializer(serializers.Serializer):
    attempted_at = serializers.DateTimeField()
    status_code = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Your endpoint's HTTP status."))
    response_ms = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("How long it took to answer."))
    error = serializers.CharField()


class DeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event_id = serializers.SerializerMethodField(help_text=gettext_lazy("The webhook's `webhook-id` (evt_…)."))
    event_type = serializers.CharField(source="event.type")
    status = serializers.ChoiceField(choices=DeliveryStatus.choices)
    attempts = serializers.IntegerField()
    last_error = serializers.CharField()
    created_at = serializers.DateTimeField()
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True)
    attempts_log = DeliveryAttemptSerializer(
        many=True, source="recent_attempts", help_text=gettext_lazy("The latest attempts, newest first.")
    )

    def get_event_id(self, delivery: Delivery) -> str:
        return f"evt_{delivery.event_id}"


# Error answers the operations document besides their own (config.schema adds the rest).
ONE = {404: None}
PAGED = {400: None}  # a page_size out of range, or a cursor we did not give


class PartnerOnly:
    """Partner tokens only: no session (so the document names no cookie), and a person, signed
    in or not, is told why they are refused (403)."""

    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [PartnerTokenRequired]

    def permission_denied(self, request: Request, message: str | None = None, code: str | None = None) -> None:
        raise exceptions.PermissionDenied(message or PartnerTokenRequired.message)


class WebhookEndpointViewSet(PartnerOnly, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your system's webhook subscriptions: each endpoint receives the partner-visible event
    types it names, signed with the Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`,
    `webhook-signature`). The signing secret is shown once, when the endpoint is registered or
    its secret rotated. Another client's endpoint answers 404."""

    partner_scopes = {"get": WEBHOOKS_MANAGE, "post": WEBHOOKS_MANAGE, "patch": WEBHOOKS_MANAGE}
    serializer_class = WebhookEndpointSerializer
    pagination_class = IdCursorPagination
    filter_backends: list[Any] = []
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a client
            return WebhookEndpoint.objects.none()
        return selectors.webhook_endpoints_of(owner=self.request.user)

    def get_object(self) -> WebhookEndpoint:
        return selectors.webhook_endpoint_for(owner=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(responses={200: WebhookEndpointSerializer(many=True), **PAGED})
    def list(self, request: Request) -> Response:
        """Your endpoints, oldest first."""
        return super().list(request)

    @extend_schema(request=WebhookEndpointInputSerializer, responses={201: WebhookEndpointWithSecretSerializer})
    def create(self, request: Request) -> Response:
        """Register an endpoint. The answer holds its signing secret, shown this once."""
        body = WebhookEndpointInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        endpoint, secret = partner_webhook_create(client=request.auth.application, **body.validated_data)
        data = {**WebhookEndpointSerializer(endpoint).data, "secret": secret}
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: WebhookEndpointSerializer, **ONE})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(WebhookEndpointSerializer(self.get_object()).data)

    @extend_schema(
        request=WebhookEndpointInputSerializer(partial=True), responses={200: WebhookEndpointSerializer, **ONE}
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the endpoint's URL or its event types."""
        endpoint = self.get_object()
        body = WebhookEndpointInputSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        endpoint = services.webhook_endpoint_change(actor=request.user, endpoint=endpoint, **body.validated_data)
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(request=None, responses={200: WebhookEndpointSerializer, 409: None, **ONE})
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str) -> Response:
        """Stop sending: events recorded while paused are never sent to it. 409 if not active."""
        endpoint = services.webhook_endpoint_pause(actor=request.user, endpoint=self.get_object())
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(request=None, responses={200: WebhookEndpointSerializer, 409: None, **ONE})
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        """Send again from the next event on (also an endpoint disabled after failures). 409 if active."""
        endpoint = services.webhook_endpoint_resume(actor=request.user, endpoint=self.get_object())
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(request=None, responses={200: WebhookEndpointWithSecretSerializer, **ONE})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str) -> Response:
        """A new signing secret, shown this once. For a grace period (`previous_secret_signs_until`)
        each webhook carries two signatures, by the new and the previous secret: switch your
        receiver to the new one within it and you lose no event."""
        endpoint, secret = services.webhook_endpoint_rotate_secret(actor=request.user, endpoint=self.get_object())
        return Response({**WebhookEndpointSerializer(endpoint).data, "secret": secret})

    @extend_schema(responses={200: DeliverySerializer(many=True), **ONE, **PAGED})
    @action(detail=True, methods=["get"], pagination_class=NewestFirstPagination)
    def deliveries(self, request: Request, pk: str) -> Response:
        """The endpoint's deliveries, newest first: the event, the status, the attempts and the
        last error, with the latest attempts (your endpoint's HTTP status and response time)."""
        endpoint = self.get_object()
        page = self.paginate_queryset(selectors.webhook_deliveries_of(endpoint=endpoint))
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(request=None, responses={202: DeliverySerializer, 409: None, **ONE})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_id>[0-9]+)/redeliver",
        url_name="redeliver",
    )
    def redeliver(self, request: Request, pk: str, delivery_id: str) -> Response:
        """Send one delivery again (sent, failed or retrying), with the same `webhook-id`.
        409 for one still pending or being sent."""
        delivery = selectors.webhook_delivery_for(endpoint=self.get_object(), pk=delivery_id)
        services.delivery_retry(actor=request.user, delivery=delivery)
        delivery = selectors.webhook_deliveries_of(endpoint=delivery.endpoint).get(pk=delivery.pk)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


# The event feed --------------------------------------------------------------------------------


class PartnerEventSubjectSerializer(serializers.Serializer):
    type = serializers.CharField(help_text=gettext_lazy("The kind of thing (app_label.model)."))
    link = serializers.CharField(allow_null=True, help_text=gettext_lazy("Its resource, when it has one."))


class PartnerEventSerializer(serializers.Serializer):
    """The same body as a webhook's (schema ashyqken.events/1)."""

    schema = serializers.CharField()
    id = serializers.CharField(help_text=gettext_lazy("evt_ and the event's number: a webhook's `webhook-id`."))
    type = serializers.CharField()
    timestamp = serializers.DateTimeField()
    subject = PartnerEventSubjectSerializer(allow_null=True)
    data = serializers.DictField(help_text=gettext_lazy("The event type's partner fields (GET /api/v1/event-types/)."))


class EventFeedQuery(serializers.Serializer):
    type = serializers.ListField(
        child=serializers.CharField(max_length=2000, allow_blank=True), required=False, max_length=200
    )
    after = serializers.CharField(required=False, max_length=30)
    since = serializers.DateTimeField(required=False)

    def to_internal_value(self, data: Any) -> Any:
        # `since=` meant a moment and gave none: refused, not read as "from the start".
        blank = [name for name in ("after", "since") if data.get(name) == ""]
        if blank:
            raise serializers.ValidationError({name: [_("Give a value or leave the parameter out.")] for name in blank})
        return super().to_internal_value(data)

    def validate_type(self, value: list[str]) -> list[str]:
        names = [name.strip() for item in value for name in item.split(",") if name.strip()]
        problems = catalogue.subscription_problems(names) if names else [_("Name at least one event type.")]
        if problems:
            raise serializers.ValidationError(problems)
        return names

    def validate_after(self, value: str) -> int:
        number = value.removeprefix("evt_")
        if not number.isdigit() or int(number) > MAX_ID:
            raise serializers.ValidationError(_("Give an event id: evt_123 or 123."))
        return int(number)


class PartnerEventFeed(PartnerOnly, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The partner events, oldest first: every public and partner event type (never an internal
    one), each with the same body as its webhook. Follow `next` to read on; to poll for new
    events, ask again with `after` set to the last id you read."""

    partner_scopes = {"get": EVENTS_READ}
    pagination_class = IdCursorPagination
    serializer_class = PartnerEventSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Event]:
        return Event.objects.none()  # the schema's; list() reads through the selector

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "type",
                OpenApiTypes.STR,
                many=True,
                description=gettext_lazy("Only these types: repeat the parameter, or separate them with commas."),
            ),
            OpenApiParameter(
                "after", OpenApiTypes.STR, description=gettext_lazy("Only events after this one (evt_123 or 123).")
            ),
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                description=gettext_lazy("Only events from this moment (ISO 8601; without an offset, Astana time)."),
            ),
        ],
        responses={200: PartnerEventSerializer(many=True)},
    )
    def list(self, request: Request) -> Response:
        query = EventFeedQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.partner_events(**_feed_filters(query.validated_data)))
        return self.get_paginated_response(channels.webhook_bodies(page or []))


def _feed_filters(query: dict[str, Any]) -> dict[str, Any]:
    return {"types": query.get("type"), "after": query.get("after"), "since": query.get("since")}
