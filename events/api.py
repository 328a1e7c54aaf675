"""The signed-in user's notifications, and the catalogue of event types (anyone may read it)."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, views, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.pagination import NewestFirstPagination
from events import catalogue, selectors, services
from events.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=1000)


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your in-app notifications, newest first. Other people's answer 404."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = NewestFirstPagination  # an inbox grows without end

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a user
            return Notification.objects.none()
        return selectors.notification_list_for(user=self.request.user)

    @extend_schema(
        request=MarkReadSerializer,
        responses={200: inline_serializer("MarkedRead", {"marked_read": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request: Request) -> Response:
        """Mark the given notifications read (all when `ids` is missing)."""
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        count = services.notification_mark_read(actor=request.user, notification_ids=body.validated_data.get("ids"))
        return Response({"marked_read": count})


class EventTypeSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    audience = serializers.ChoiceField(choices=catalogue.Audience.choices)
    subject = serializers.CharField(help_text="The model the event is about (app_label.model), or empty.")
    webhook = serializers.BooleanField(help_text="Whether a webhook endpoint may subscribe to it.")
    fields = serializers.ListField(
        child=serializers.CharField(), help_text="The payload fields a webhook carries in `data` (partner types only)."
    )


class EventTypeList(views.APIView):
    """Every event type: name, label, audience and subject. Partner-visible types (`public`,
    `partners`) are the ones a webhook endpoint may subscribe to, and list the fields their
    webhook body carries in `data`; internal and parties' types are listed without fields and
    never leave the system. Webhook bodies follow the schema `ashyqken.events/1`."""

    # The catalogue: any partner token that may read or subscribe to events (partners.scopes).
    partner_scopes = {"get": ("events:read", "webhooks:manage", "register:read")}
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=EventTypeSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = [
            {
                "name": t.name,
                "label": str(t.label),
                "audience": t.audience.value,
                "subject": t.subject,
                "webhook": t.partner_visible,
                "fields": list(t.fields),
            }
            for t in catalogue.types()
        ]
        return Response(EventTypeSerializer(rows, many=True).data)
