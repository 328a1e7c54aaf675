from django.contrib import admin
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import user_access_set

_ACCESS_FLAGS = ("is_staff", "is_superuser")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (
            _("Job title"),
            {
                "fields": (("job_title_en", "job_title_ru", "job_title_kk"),),
                "description": _(
                    "An official's post, in each language: certificates name the official who decided "
                    "with it. Left empty, they name the capacity of the official's role."
                ),
            },
        ),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        # Roles and staff flags are saved by the service in save_related (it ends the person's
        # sessions and records the change); here the row keeps the flags it has.
        if change and any(flag in form.cleaned_data for flag in _ACCESS_FLAGS):
            stored = User.objects.only(*_ACCESS_FLAGS).get(pk=obj.pk)
            obj.is_staff, obj.is_superuser = stored.is_staff, stored.is_superuser
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: list, change: bool) -> None:
        data = form.cleaned_data
        groups = data.pop("groups", None)  # form.save_m2m skips what is not in cleaned_data
        super().save_related(request, form, formsets, change)
        if groups is None and not any(flag in data for flag in _ACCESS_FLAGS):
            return
        user = form.instance
        changed = user_access_set(
            actor=request.user,
            user=user,
            groups=groups if groups is not None else user.groups.all(),
            is_staff=data.get("is_staff", user.is_staff),
            is_superuser=data.get("is_superuser", user.is_superuser),
        )
        if changed and user.pk == request.user.pk:
            update_session_auth_hash(request, user)  # the admin's own session goes on
