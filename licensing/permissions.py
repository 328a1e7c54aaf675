"""Who may do what in licensing, in one place: services, views, the API and templates ask here."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role, has_role, is_registrar
from investors.models import Membership
from investors.permissions import MANAGING_ROLES, is_member
from licensing.models import Application
from partners.scopes import SCREENING_WRITE, TITLE_REVIEW_WRITE
from partners.selectors import user_has_scope

__all__ = ["is_member", "is_registrar"]


def is_reviewer(user: User) -> bool:
    return has_role(user, Role.REVIEWER)


def is_approver(user: User) -> bool:
    return has_role(user, Role.APPROVER)


def works_cases(user: User) -> bool:
    """Reviewers, approvers and registrars work on applications: the workbench, cases, internal notes."""
    return is_reviewer(user) or is_approver(user) or is_registrar(user)


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def require_applicant(actor: User, organisation_id: int) -> None:
    membership = Membership.objects.filter(organisation_id=organisation_id, user=actor).first()
    require(
        membership is not None and membership.role in MANAGING_ROLES,
        _("Only the organisation's owners and managers may do this."),
    )


def may_read_document(user: User, document: object) -> bool:
    """An application's documents are read by its organisation's members and by officials."""
    from documents.models import Document

    if not isinstance(document, Document) or not user.is_authenticated:
        return False
    if document.owner_type_id != ContentType.objects.get_for_model(Application).pk:
        return False
    return (
        works_cases(user)
        or Membership.objects.filter(organisation__applications__pk=document.owner_id, user=user).exists()
    )


def may_apply_for(user: User, organisation_id: int) -> bool:
    """The organisation's owners and managers apply for it (a conversion of its licence, too)."""
    return (
        user.is_authenticated
        and Membership.objects.filter(organisation_id=organisation_id, user=user, role__in=MANAGING_ROLES).exists()
    )


def may_edit(user: User, application: Application) -> bool:
    """The applicant's owners and managers change, lodge and withdraw its applications."""
    return (
        user.is_authenticated
        and Membership.objects.filter(
            organisation_id=application.organisation_id, user=user, role__in=MANAGING_ROLES
        ).exists()
    )


def may_record_screening(user: User) -> bool:
    """Reviewers, and the screening agency's partner client (its token's scope is checked by
    the API; this is the service's own check of the account it acts as)."""
    return is_reviewer(user) or user_has_scope(user, SCREENING_WRITE)


def may_see_licence(user: User, holder_id: int) -> bool:
    """A licence's obligations and certificate: its holder's members and officials."""
    return works_cases(user) or is_member(user, holder_id)


def may_waive_obligation(user: User) -> bool:
    """Waiving a licence obligation is an official's decision (reviewers, approvers, registrars)."""
    return works_cases(user)


def may_read_report_document(user: User, document: object) -> bool:
    """An annual report's files are read by the licence holder's members and by officials."""
    from documents.models import Document
    from licensing.models import AnnualReport

    if not isinstance(document, Document) or not user.is_authenticated:
        return False
    if document.owner_type_id != ContentType.objects.get_for_model(AnnualReport).pk:
        return False
    return (
        works_cases(user)
        or Membership.objects.filter(organisation__licences__annual_reports__pk=document.owner_id, user=user).exists()
    )


def may_recommend_title_change(user: User) -> bool:
    """A change of title is recommended by whoever recommends on applications: reviewers."""
    return is_reviewer(user)


def may_decide_title_change(user: User) -> bool:
    """A change of title is decided by whoever decides applications: approvers (four eyes: not the
    one who recommended, which the service and the database check)."""
    return is_approver(user)


def may_answer_security_review(user: User) -> bool:
    """The national-security review of a transfer is answered by the reviewing agency's partner
    client only (its token's `title-review:write` scope is checked by the API too)."""
    return user_has_scope(user, TITLE_REVIEW_WRITE)


def may_record_preemptive_waiver(user: User) -> bool:
    """The competent body's waiver of the state's pre-emptive right is recorded by a reviewer or
    an approver from its letter."""
    return is_reviewer(user) or is_approver(user)


def may_read_title_change_document(user: User, document: object) -> bool:
    """A change of title's files are read by the licence holder's members and by officials."""
    from documents.models import Document
    from licensing.models import TitleChange

    if not isinstance(document, Document) or not user.is_authenticated:
        return False
    if document.owner_type_id != ContentType.objects.get_for_model(TitleChange).pk:
        return False
    holder = TitleChange.objects.filter(pk=document.owner_id).values_list("holder_id", flat=True).first()
    return works_cases(user) or (holder is not None and is_member(user, holder))


def may_recommend_revocation(user: User) -> bool:
    """A revocation is recommended by a reviewer, as a grant is (four eyes: an approver decides)."""
    return is_reviewer(user)


def may_decide_revocation(user: User) -> bool:
    """Approvers decide a revocation, and a holder's contest of one."""
    return is_approver(user)


def may_record_force_majeure(user: User) -> bool:
    """Force majeure extending a remedy deadline is recorded by officials (as a waiver is)."""
    return works_cases(user)


def may_read_revocation_document(user: User, document: object) -> bool:
    """A contest's files and a force majeure's document: the holder's members and officials."""
    from documents.models import Document
    from licensing.models import Breach, Revocation

    if not isinstance(document, Document) or not user.is_authenticated:
        return False
    owners = {
        ContentType.objects.get_for_model(Revocation).pk: "organisation__licences__revocations__pk",
        ContentType.objects.get_for_model(Breach).pk: "organisation__licences__breaches__pk",
    }
    lookup = owners.get(document.owner_type_id)
    if lookup is None:
        return False
    return works_cases(user) or Membership.objects.filter(user=user, **{lookup: document.owner_id}).exists()
