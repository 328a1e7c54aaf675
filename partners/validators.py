"""django-oauth-toolkit's validator, with the two secrets of a rotation."""

from oauth2_provider.oauth2_validators import OAuth2Validator

from partners.models import PartnerClient


class PartnerValidator(OAuth2Validator):
    def _check_secret(self, provided_secret: str, stored_secret: str) -> bool:
        """The current secret, or, within its grace period, the one it replaced. The client is
        found by its stored (salted, so unique) hash, only when the current secret fails."""
        if super()._check_secret(provided_secret, stored_secret):
            return True
        client = PartnerClient.objects.filter(client_secret=stored_secret).first()
        return client is not None and client.previous_secret_accepts(provided_secret)
