from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.languages import InLanguage, in_each_language
from accounts.roles import Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email: str | None) -> "User":
        # People type their address in any case; the database keeps it unique whatever the case.
        return self.get(email__iexact=email)

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an email address."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    # Raised by accounts.services.user_access_set whenever roles or staff flags change: it is
    # part of the session hash, so every session signed in under the old access ends.
    access_version = models.PositiveIntegerField(_("access version"), default=0, editable=False)
    # An official's post, as a certificate names the one who decided (in each of its languages);
    # empty, the certificate names the capacity of their role instead.
    job_title_en, job_title_ru, job_title_kk = in_each_language(models.CharField, _("job title"), max_length=200)
    job_title = InLanguage()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django's hash covers the password only; ours covers the access too (and, through
        # this method, the SECRET_KEY_FALLBACKS Django checks).
        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}:{self.access_version}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def role_names(self) -> frozenset[str]:
        """The roles this person holds now, read once per request (the user object lives as long
        as the request): the two-factor rule and every role check of the request share one query."""
        if getattr(self, "_role_names", None) is None:
            self._role_names = frozenset(self.groups.values_list("name", flat=True)) if self.pk else frozenset()
        return self._role_names

    def forget_roles(self) -> None:
        """After a change of this person's groups: the next check reads them again."""
        self._role_names = None

    def has_role(self, role: Role) -> bool:
        return self.is_active and role.value in self.role_names()
