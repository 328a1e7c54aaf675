from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Count

from accounts.models import User
from accounts.roles import Role
from deposits.models import Deposit
from licensing.licences import billing
from licensing.models import Payment

pytestmark = pytest.mark.django_db


def test_email_is_unique_whatever_its_case() -> None:
    User.objects.create_user(email="aida@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="AIDA@example.com")


def test_a_user_needs_an_email() -> None:
    with pytest.raises(ValueError):
        User.objects.create_user(email="")


def test_every_role_is_a_group_after_migrate() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


def test_migrations_create_no_user() -> None:
    assert not User.objects.exists()


def test_demo_loader_creates_each_role_once_and_the_deposits() -> None:
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    from demo.history import APPLICANTS
    from demo.partners import DEMO_PARTNERS
    from partners.models import PartnerClient

    applicants = {"altai@example.com", "nordic@example.com"} | {a[0] for a in APPLICANTS}
    emails = {f"{r.value}@example.com" for r in Role} | applicants
    # and the demo partner clients' own accounts, one each (run twice: still one)
    clients = {f"client-{client_id}@partners.ashyqken.invalid" for client_id, *_rest in DEMO_PARTNERS}
    assert set(User.objects.values_list("email", flat=True)) == emails | clients
    for client_id, *_rest in DEMO_PARTNERS:
        assert PartnerClient.objects.get(client_id=client_id).user.email in clients
    registrar = User.objects.get(email="registrar@example.com")
    assert registrar.is_staff and registrar.has_role(Role.REGISTRAR) and not registrar.is_superuser
    assert registrar.check_password("ashyqken-demo")
    investor = User.objects.get(email="investor@example.com")
    assert not investor.is_staff and investor.has_role(Role.INVESTOR)
    assert User.objects.get(email="admin@example.com").is_superuser
    assert Deposit.objects.filter(is_published=True, is_illustrative=True).count() >= 12
    commodities = set(Deposit.objects.values_list("commodities__code", flat=True))
    assert {"Li", "W", "REE"} <= commodities
    # The demo's licences show their money: one licence's invoices paid in full (once, run twice),
    # the others' unpaid.
    standings = [billing.standing(i).status for i in billing.invoices_queryset()]
    assert "paid" in standings and "unpaid" in standings
    assert all(
        count == 1
        for count in Payment.objects.values_list("invoice_id").annotate(n=Count("id")).values_list("n", flat=True)
    )
    # The ledgers: every licence but the latest has met what fell due (each once, however many
    # loads); the latest shows a late area fee.
    from django.utils import timezone

    from events.models import Event
    from licensing.models import Licence, LicenceObligation

    today = timezone.localdate()
    latest = Licence.objects.order_by("-granted_at", "-id").first()
    past_due = LicenceObligation.objects.filter(due_on__lt=today)
    assert past_due.filter(licence=latest, kind="rent", met_at__isnull=True).exists()
    # The licence carried over from the paper register has its reports overdue (its fees paid).
    from demo.licensing import LEGACY_NUMBER
    from licensing.models import Breach

    others = past_due.exclude(licence=latest).exclude(licence__number=LEGACY_NUMBER)
    legacy_met = past_due.filter(licence__number=LEGACY_NUMBER, met_at__isnull=False).count()
    assert not others.filter(met_at__isnull=True).exists()
    assert Event.objects.filter(type="obligation.met").count() == others.count() + legacy_met > legacy_met
    # ...so the daily run opened its breaches with notices to remedy, each once however many loads.
    overdue = Breach.objects.filter(licence__number=LEGACY_NUMBER, kind="report_not_lodged", status="open")
    assert overdue.count() == 2
    assert Event.objects.filter(type="breach.opened").count() == Breach.objects.count()
    call_command("verify_event_chain", stdout=StringIO())
