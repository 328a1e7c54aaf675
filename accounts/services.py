"""Writes on accounts: roles and their permissions."""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import User
from accounts.roles import OFFICIAL_ROLES, Role


def role_grant_permissions(*, role: Role, codenames: Iterable[str]) -> None:
    """Give the group of `role` these permissions ("app_label.codename"); idempotent."""
    group, _ = Group.objects.get_or_create(name=role.value)
    for dotted in codenames:
        app_label, codename = dotted.split(".", 1)
        perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if perm is not None:
            group.permissions.add(perm)


@transaction.atomic
def user_ensure(*, email: str, password: str, roles: Iterable[Role], first_name: str = "", last_name: str = "") -> User:
    """Create the user if missing, and make its roles and staff flag match `roles`; idempotent."""
    roles = set(roles)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name)
    user.is_staff = bool(roles & OFFICIAL_ROLES)
    user.is_superuser = Role.ADMIN in roles
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    return user


@transaction.atomic
def user_profile_update(*, actor: User, first_name: str, last_name: str, preferred_language: str) -> User:
    """Save the person's own name and preferred language (pages and notifications use it)."""
    actor.first_name, actor.last_name, actor.preferred_language = first_name, last_name, preferred_language
    actor.save(update_fields=["first_name", "last_name", "preferred_language"])
    return actor
