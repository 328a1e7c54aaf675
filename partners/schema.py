"""The OpenAPI document's description of partner authentication: OAuth2 client credentials at
/o/token/, and for each operation open to partner clients the scope it needs."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from partners.authentication import operation_scopes
from partners.scopes import SCOPES


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "partners.authentication.PartnerTokenAuthentication"
    name = "partnerClient"

    def get_security_requirement(self, auto_schema: Any) -> list[dict[str, list[str]]] | None:
        needed = operation_scopes(auto_schema.view, auto_schema.method)
        # Alternatives: one requirement each (any of them will do).
        return [{self.name: [scope]} for scope in needed] or None

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "oauth2",
            "description": (
                "Partner systems: OAuth2 client credentials. Ask an administrator for a client; get a token "
                "with `POST /o/token/` (HTTP Basic with the client id and secret, body "
                "`grant_type=client_credentials`, optionally `scope=...`), then send "
                "`Authorization: Bearer <token>`. Each operation names the scope it needs; a token "
                "without it gets 403, an unknown or expired token 401."
            ),
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/o/token/",
                    "scopes": {name: str(label) for name, label in SCOPES.items()},
                }
            },
        }
