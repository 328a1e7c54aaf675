"""The open-data files are built ahead, not in the request: served as stored with a bounded
number of queries, revalidated by ETag and date, answered 503 before the first build; a
register change queues one build for a burst of changes; licence outlines are stored with
each change of title; the nightly beat entry builds them too."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from shapely.geometry import shape

from config import settings as base_settings
from licensing.domain import grid
from licensing.licences import publication
from licensing.models import LicenceOutline, OpenDataBuild
from licensing.tasks import build_open_data
from licensing.titles import services as titles
from tests.deposits.factories import DepositFactory
from tests.licensing import factories
from tests.licensing.test_public import granted
from tests.licensing.test_title_changes import decide
from tests.open_data import read

pytestmark = pytest.mark.django_db
ASTANA = ZoneInfo("Asia/Almaty")
FILES = [
    "/open-data/licences.geojson",
    "/open-data/licences.csv",
    "/open-data/beneficial-ownership.json",
    "/open-data/deposits.geojson",
    "/open-data/deposits.csv",
]


@pytest.fixture
def register(applicant, crew, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 10, tzinfo=ASTANA), tick=False)
    DepositFactory(commodities=["Li"])
    return granted(applicant, [factories.rectangle(1, 2)], crew, time_machine)


@pytest.mark.parametrize("url", FILES)
def test_a_built_file_is_served_as_stored_without_reading_the_register(
    client, register, url, django_assert_max_num_queries
) -> None:
    publication.open_data_build()
    stored = (settings.OPEN_DATA_ROOT / url.rsplit("/", 1)[1]).read_bytes()
    with django_assert_max_num_queries(1):
        response = read(client.get(url))
    assert response.status_code == 200 and response.content == stored
    assert response["ETag"] and response["Content-Length"] == str(len(stored))
    assert response["Access-Control-Allow-Origin"] == "*" and 'rel="license"' in response["Link"]
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("url", FILES)
def test_a_reader_holding_the_file_is_answered_304(client, register, url) -> None:
    publication.open_data_build()
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and not again.content
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304


@pytest.mark.parametrize("url", FILES)
def test_before_the_first_build_a_file_answers_503_and_asks_for_a_build(client, url, time_machine) -> None:
    time_machine.move_to(datetime(2026, 3, 2, 10, tzinfo=ASTANA), tick=False)
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "60" and "try again" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert OpenDataBuild.objects.get().queued_at == datetime(2026, 3, 2, 10, tzinfo=ASTANA)


def test_a_burst_of_register_changes_queues_one_build_which_changes_the_files(
    client, applicant, crew, register, time_machine, django_capture_on_commit_callbacks
) -> None:
    publication.open_data_build()
    url = "/open-data/licences.csv"
    before = read(client.get(url))
    assert OpenDataBuild.objects.get().queued_at is None
    time_machine.move_to(datetime(2026, 3, 3, 10, tzinfo=ASTANA), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        more = granted(applicant, [factories.rectangle(1, 1, factories.ORIGIN + 5)], crew, time_machine)
    queued = OpenDataBuild.objects.get()
    assert queued.queued_at is not None and queued.requested_at >= queued.queued_at
    # Not built in the request: the file is the one built before, until the build runs.
    assert read(client.get(url)).content == before.content
    assert publication.open_data_request() is False  # one build already queued: the change joins it
    time_machine.move_to(datetime(2026, 3, 3, 10, 1, tzinfo=ASTANA), tick=False)
    build_open_data()  # what the worker runs
    after = read(client.get(url))
    assert more[0].number in after.content.decode() and more[0].number not in before.content.decode()
    assert after["ETag"] != before["ETag"] and after["Last-Modified"] != before["Last-Modified"]
    state = OpenDataBuild.objects.get()
    assert state.queued_at is None and state.built_at == datetime(2026, 3, 3, 10, 1, tzinfo=ASTANA)
    assert publication.open_data_request() is True  # the next change queues the next build


def test_a_lost_build_does_not_block_the_next(time_machine) -> None:
    time_machine.move_to(datetime(2026, 3, 3, 10, tzinfo=ASTANA), tick=False)
    assert publication.open_data_request() is True
    time_machine.move_to(datetime(2026, 3, 3, 11, tzinfo=ASTANA), tick=False)
    assert publication.open_data_request() is True  # never started: queued again


def test_a_licence_outline_is_stored_with_its_grant_and_each_change_of_title(applicant, crew, time_machine) -> None:
    blocks = factories.rectangle(3, 4)
    time_machine.move_to(datetime(2025, 11, 3, 10, tzinfo=ASTANA))
    licence = factories.licence_scheduled(applicant[1], blocks, starts_on=date(2023, 6, 1), expires_on=date(2029, 6, 1))
    given = blocks[8:]  # the north row
    change = titles.title_change_lodge(actor=applicant[0], licence=licence, kind="relinquishment", blocks=given)
    decide(change, crew)
    outline = LicenceOutline.objects.get(licence=licence).geometry
    assert shape(outline).equals(shape(grid.outline(sorted(set(blocks) - set(given)))))
    assert shape(outline).area == pytest.approx(8 / 3600)  # eight 1' × 1' blocks left


def test_a_granted_licence_has_its_outline_stored(register) -> None:
    (licence,) = register
    stored = shape(LicenceOutline.objects.get(licence=licence).geometry)
    assert stored.equals(shape(grid.outline(factories.rectangle(1, 2))))


def test_the_outlines_command_stores_every_licences_outline(applicant, register) -> None:
    (granted_one,) = register
    LicenceOutline.objects.all().delete()
    bare = factories.LicenceFactory(holder=applicant[1])
    call_command("licence_outlines", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert LicenceOutline.objects.get(licence=bare).geometry is None  # no blocks: no outline
    stored = shape(LicenceOutline.objects.get(licence=granted_one).geometry)
    assert stored.equals(shape(grid.outline(factories.rectangle(1, 2))))
    call_command("licence_outlines", stdout=open("/dev/null", "w"))  # noqa: SIM115  (again: the same)
    assert LicenceOutline.objects.count() == 2


def test_the_build_command_writes_every_file(register) -> None:
    call_command("open_data_build", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(p.name for p in settings.OPEN_DATA_ROOT.iterdir()) == sorted(publication.FILES)


def test_the_files_are_built_every_night() -> None:
    entry = base_settings.CELERY_BEAT_SCHEDULE["licensing-open-data"]
    assert entry["task"] == build_open_data.name == publication.BUILD_TASK
    assert entry["schedule"].hour == {1} and entry["schedule"].minute == {15}
