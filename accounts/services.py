"""Writes on accounts: roles and their permissions, and who holds them."""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import User
from accounts.roles import OFFICIAL_ROLES, Role
from accounts.signals import user_access_changed


def role_grant_permissions(*, role: Role, codenames: Iterable[str]) -> None:
    """Give the group of `role` these permissions ("app_label.codename"); idempotent."""
    group, _ = Group.objects.get_or_create(name=role.value)
    for dotted in codenames:
        app_label, codename = dotted.split(".", 1)
        perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if perm is not None:
            group.permissions.add(perm)


@transaction.atomic
def user_ensure(
    *,
    email: str,
    password: str,
    roles: Iterable[Role],
    first_name: str = "",
    last_name: str = "",
    job_title: dict[str, str] | None = None,
) -> User:
    """Create the user if missing, and make its roles and staff flag match `roles`; idempotent.
    A change to an existing user's access goes through `user_access_set` (sessions end, event)."""
    roles = set(roles)
    groups = Group.objects.filter(name__in=[r.value for r in roles])
    is_staff, is_superuser = bool(roles & OFFICIAL_ROLES), Role.ADMIN in roles
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        # A new account has no session to end and no access to change from.
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            is_staff=is_staff,
            is_superuser=is_superuser,
            **{f"job_title_{language}": title for language, title in (job_title or {}).items()},
        )
        user.groups.set(groups)
        return user
    user_access_set(actor=None, user=user, groups=groups, is_staff=is_staff, is_superuser=is_superuser)
    return user


def _access(user: User) -> dict[str, object]:
    return {
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }


@transaction.atomic
def user_access_set(
    *, actor: User | None, user: User, groups: Iterable[Group], is_staff: bool, is_superuser: bool
) -> bool:
    """Give `user` exactly these groups (roles) and staff flags. If that changes anything,
    every session the person has open ends (the access version is part of the session hash)
    and `user_access_changed` is sent, so the change is recorded in this transaction.
    Returns whether anything changed."""
    groups = list(groups)
    stored = User.objects.select_for_update().get(pk=user.pk)  # two admins at once: one version each
    before = _access(stored)
    after = {"roles": sorted(g.name for g in groups), "is_staff": is_staff, "is_superuser": is_superuser}
    if before == after:
        return False
    user.is_staff, user.is_superuser = is_staff, is_superuser
    user.access_version = stored.access_version + 1
    user.save(update_fields=["is_staff", "is_superuser", "access_version"])
    user.groups.set(groups)
    user.forget_roles()
    user_access_changed.send(sender=User, actor=actor, user=user, before=before, after=after)
    return True


@transaction.atomic
def user_profile_update(*, actor: User, first_name: str, last_name: str, preferred_language: str) -> User:
    """Save the person's own name and preferred language (pages and notifications use it)."""
    actor.first_name, actor.last_name, actor.preferred_language = first_name, last_name, preferred_language
    actor.save(update_fields=["first_name", "last_name", "preferred_language"])
    return actor
