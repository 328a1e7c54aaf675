from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from accounts.middleware import record_second_factor_set_up

        authenticator_added.connect(record_second_factor_set_up, dispatch_uid="accounts.second_factor_set_up")
