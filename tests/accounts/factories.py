"""People: plain accounts (factory_boy) and users in a role, built through the services."""

import time
from collections.abc import Callable

import factory
from allauth.account.models import EmailAddress

from accounts.models import User
from accounts.roles import OFFICIAL_ROLES, Role
from accounts.services import user_ensure

PASSWORD = "a-long-test-password"
# The authenticator-app secret of every official the tests create.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


class UserFactory(factory.django.DjangoModelFactory):
    """An account with no role and no email address on file (as `User.objects.create_user` makes it)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class: type[User], *args: object, **kwargs: object) -> User:
        return model_class.objects.create_user(*args, **kwargs)


class EmailAddressFactory(factory.django.DjangoModelFactory):
    """The user's address as allauth records it: primary and verified unless told otherwise."""

    class Meta:
        model = EmailAddress

    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda address: address.user.email)
    verified = True
    primary = True


def user(*roles: Role, email: str, two_factor: bool | None = None) -> User:
    """A user in `roles` (through the services) with a verified address; officials have an
    authenticator app (TOTP_SECRET) unless `two_factor=False`, as they must."""
    from allauth.mfa.totp.internal.auth import TOTP

    person = user_ensure(email=email, password=PASSWORD, roles=roles)
    EmailAddressFactory(user=person)
    if two_factor if two_factor is not None else bool(set(roles) & OFFICIAL_ROLES):
        TOTP.activate(person, TOTP_SECRET)
    return person


def user_maker(prefix: str = "user") -> Callable[..., User]:
    """`user` with addresses numbered from 1 (`{prefix}1-investor@example.com`): the `make_user`
    fixture, and the module-scoped world, where function fixtures cannot go."""
    counter = iter(range(1, 10_000))

    def make(*roles: Role, email: str | None = None, two_factor: bool | None = None) -> User:
        email = email or f"{prefix}{next(counter)}-{'-'.join(r.value for r in roles) or 'public'}@example.com"
        return user(*roles, email=email, two_factor=two_factor)

    return make
