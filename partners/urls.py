"""OAuth2 for partner clients: tokens (client credentials) and their revocation only; no
authorization pages (partners are systems, not people)."""

from django.urls import path
from oauth2_provider import views as oauth2

app_name = "oauth2_provider"

urlpatterns = [
    path("token/", oauth2.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth2.RevokeTokenView.as_view(), name="revoke-token"),
]
