"""The chain in operation: the daily check and its alert, the one-off re-seal, the demo data."""

import datetime
import hashlib
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.core import mail
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from accounts.roles import Role
from events import services, tasks
from events.models import GENESIS_HASH, ChainHead, Delivery, Event

ASTANA = ZoneInfo("Asia/Almaty")  # settings.TIME_ZONE: Astana keeps Almaty's time

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _record(n: int) -> list[Event]:
    with transaction.atomic():
        return [services.record_event(actor=None, type="test.happened", number=i) for i in range(n)]


def _deliver_all() -> None:
    for event in Event.objects.filter(dispatched_at__isnull=True):
        for delivery_id in services.event_dispatch(event_id=event.pk):
            services.delivery_send(delivery_id=delivery_id)


def test_the_check_runs_daily_from_beat() -> None:
    from config import settings as base
    from config.celery import app

    entry = base.CELERY_BEAT_SCHEDULE["events-verify-chain"]
    assert entry["task"] in app.tasks and isinstance(entry["schedule"], crontab)
    assert entry["schedule"].hour == {4} and entry["schedule"].day_of_week == set(range(7))


def test_the_daily_check_stays_silent_while_the_chain_holds(make_user) -> None:
    make_user(Role.ADMIN)
    _record(3)
    assert tasks.verify_chain() == {"checked": 3, "problems": 0}
    _deliver_all()
    assert not Event.objects.filter(type="event_chain.broken").exists() and not mail.outbox


def test_a_broken_chain_alerts_the_administrators_once_per_run(make_user) -> None:
    admin, superuser = make_user(Role.ADMIN), make_user()
    superuser.is_superuser = True
    superuser.save()
    make_user(Role.REGISTRAR)
    events = _record(3)
    Event.objects.filter(pk=events[1].pk).update(payload={"number": 99})
    assert tasks.verify_chain() == {"checked": 3, "problems": 1}
    _deliver_all()
    _deliver_all()  # a second sweep sends nothing more
    alert = Event.objects.get(type="event_chain.broken")
    assert alert.payload["problems"] == [{"event": events[1].pk, "kind": "changed"}]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([admin.email, superuser.email])
    assert "hash chain is broken" in mail.outbox[0].subject and f"Event {events[1].pk}: changed" in mail.outbox[0].body
    assert Delivery.objects.filter(event=alert).count() == 4  # in-app and email, each administrator

    mail.outbox.clear()
    tasks.verify_chain()  # the next day's run: still broken, one more alert
    _deliver_all()
    assert Event.objects.filter(type="event_chain.broken").count() == 2 and len(mail.outbox) == 2


def _old_scheme_hash(prev_hash: str, event: Event, occurred_at: datetime.datetime) -> str:
    """Scheme 1 as it was written before scheme 2 (copied, so that a change to the service's
    copy cannot make this test agree with it)."""
    subject_type = f"{event.subject_type.app_label}.{event.subject_type.model}" if event.subject_type_id else ""
    content = {
        "type": event.type,
        "occurred_at": occurred_at.isoformat(),
        "actor": event.actor_id,
        "subject_type": subject_type,
        "subject_id": event.subject_id,
        "payload": event.payload,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _old_scheme_chain(n: int) -> list[Event]:
    """A chain as scheme 1 recorded it, half on Astana time (the demo's history), half in UTC."""
    with mock.patch("django.utils.timezone.now", return_value=datetime.datetime(2025, 3, 1, 10, tzinfo=ASTANA)):
        events = _record(n // 2)
    events += _record(n - n // 2)
    prev = GENESIS_HASH
    for event in events:
        moment = event.occurred_at.astimezone(ASTANA) if event.occurred_at.year == 2025 else event.occurred_at
        event.hash_scheme, event.prev_hash = 1, prev
        event.hash = prev = _old_scheme_hash(prev, event, moment)
        Event.objects.filter(pk=event.pk).update(hash_scheme=1, prev_hash=event.prev_hash, hash=event.hash)
    ChainHead.objects.filter(pk=1).update(last_hash=prev)
    return events


def test_an_old_scheme_chain_asks_to_be_resealed_and_the_reseal_records_itself(make_user) -> None:
    admin = make_user(Role.ADMIN)
    events = _old_scheme_chain(6)
    old_head = ChainHead.objects.get().last_hash
    assert [(p.event_id, p.kind) for p in services.event_chain_verify().problems] == [(events[0].pk, "old_scheme")]
    out = StringIO()
    call_command("event_chain_reseal", "--by", admin.email, stdout=out)
    assert f"Re-sealed 6 events; the old chain head was {old_head}" in out.getvalue()
    report = services.event_chain_verify()
    assert report.ok and report.checked == 7
    reseal = Event.objects.order_by("id").last()
    assert reseal.type == "event_chain.resealed" and reseal.actor == admin
    assert reseal.payload == {
        "events": 6,
        "old_head": old_head,
        "from_scheme": 1,
        "to_scheme": 2,
        "accepted_problem_count": 0,
        "accepted_problems": [],
    }
    with pytest.raises(CommandError, match="nothing to re-seal"):
        call_command("event_chain_reseal", stdout=StringIO())


def test_a_broken_old_chain_is_resealed_only_when_asked_and_its_problems_are_recorded() -> None:
    events = _old_scheme_chain(4)
    Event.objects.filter(pk=events[2].pk).update(payload={"number": 99})
    before = list(Event.objects.values_list("hash", flat=True))
    with pytest.raises(CommandError, match=f"(?s)1 problem\\).*event {events[2].pk} was changed.*--accept-broken"):
        call_command("event_chain_reseal", stdout=StringIO())
    assert list(Event.objects.values_list("hash", flat=True)) == before
    call_command("event_chain_reseal", "--accept-broken", stdout=StringIO(), stderr=StringIO())
    assert services.event_chain_verify().ok
    reseal = Event.objects.get(type="event_chain.resealed")
    assert reseal.payload["accepted_problems"] == [{"event": events[2].pk, "kind": "changed"}]


def test_the_demo_data_verifies() -> None:
    """In process, on the database of this run (PostgreSQL in CI)."""
    call_command("load_demo", stdout=StringIO())
    report = services.event_chain_verify()
    assert report.ok and report.checked > 500, [p.message for p in report.problems[:5]]


def test_the_demo_data_verifies_on_sqlite_from_a_fresh_install(tmp_path) -> None:
    """The other database of every run: a fresh SQLite file, migrated and loaded in a subprocess."""
    if connection.vendor == "sqlite":
        pytest.skip("this run is on SQLite: test_the_demo_data_verifies already checks it")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
    }
    for command in (["migrate", "-v0"], ["load_demo"], ["verify_event_chain"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr[-2000:]
    assert "The event chain holds" in done.stdout
