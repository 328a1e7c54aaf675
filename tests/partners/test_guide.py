"""The partner guide: reachable by anyone, lists every scope, and its signature snippet works."""

import html
import re

import pytest
from standardwebhooks.webhooks import Webhook

from partners.scopes import SCOPES

pytestmark = pytest.mark.django_db

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def test_the_guide_names_every_scope_and_the_token_address(client) -> None:
    page = client.get("/developers/partners/")
    assert page.status_code == 200
    text = page.content.decode()
    for scope in SCOPES:
        assert f"<code>{scope}</code>" in text
    assert "/o/token/" in text and "Idempotency-Key" in text


def test_the_signature_snippet_accepts_a_signed_delivery_and_refuses_a_forged_one(client) -> None:
    text = client.get("/developers/partners/").content.decode()
    examples = re.findall(r"<pre[^>]*><code>(.*?)</code></pre>", text, re.S)
    snippet = next(html.unescape(code) for code in examples if "Webhook(" in code)
    namespace: dict[str, object] = {}
    exec(snippet.replace('"whsec_…"', repr(SECRET)), namespace)  # noqa: S102  (our own page's example)
    receive = namespace["receive"]
    body = b'{"type": "application.referred_to_screening"}'
    from datetime import UTC, datetime

    signer = Webhook(SECRET)
    now = datetime.now(tz=UTC)
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signer.sign("msg_1", now, body.decode()),
    }
    assert receive(body, headers) == {"type": "application.referred_to_screening"}
    with pytest.raises(PermissionError):
        receive(body.replace(b"screening", b"granting"), headers)
