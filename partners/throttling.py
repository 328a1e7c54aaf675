"""Per-client rate limits: each partner client its own allowance per minute (its
`rate_per_minute`); past it, 429 with Retry-After. People on the portal are not limited here."""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from partners.models import PartnerClient


class PartnerClientThrottle(SimpleRateThrottle):
    scope = "partner"

    def __init__(self) -> None:  # the rate is the client's, read in allow_request
        self.rate: str | None = None

    def _client(self, request: Request) -> PartnerClient | None:
        token = getattr(request, "auth", None)
        client = getattr(token, "application", None)
        return client if isinstance(client, PartnerClient) else None

    def allow_request(self, request: Request, view: Any) -> bool:
        client = self._client(request)
        if client is None:
            return True
        self.rate = f"{client.rate_per_minute}/min"
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        client = self._client(request)
        return f"throttle_partner_{client.pk}" if client is not None else None
