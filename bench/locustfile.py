"""The people of opening day, for locust (bench/load.py prepares their data and runs this file).

- Lodger: an investor signed in with a complete draft. Before 09:00 it looks at its
  application, keeps reloading the lodge page (which says the blocks open at 09:00) and looks
  at the ground on the map; at its moment (most in the first ten seconds after 09:00) it
  presses "lodge", one in ten twice at once; then it browses its portal and the register.
- Official: a reviewer or approver working the workbench: the queue, case pages, and the
  simple steps a case page offers (claim, accept, publish the notice, recommend, decide).
- Signer: a demo investor who signs in through the form, then reads its portal.
- Browser: an anonymous visitor on the map (the page, the outline, the deposits, the
  availability of the ground in view), the deposits, the registers, the release calendar,
  the statistics and the open data.

The plan (LOAD_PLAN, JSON) holds the sessions, the drafts and when the ground opens, in real
time. Every lodgement attempt and what the investor was told is appended to the plan's
`outcomes` file (JSON lines), for the runner to check against the database.
"""

import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any

import gevent
from locust import HttpUser, events, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
OPENS_AT: float = PLAN["opens_at"]
PUBLIC: dict[str, list[str]] = PLAN["public"]
OUTCOMES = Path(PLAN["outcomes"]).open("a")  # noqa: SIM115 - open for the whole run
LODGERS = iter(PLAN["lodgers"])
OFFICIALS = iter(PLAN["officials"])
SIGNERS = itertools.cycle(PLAN["signers"])
# Every request's time, for the runner's figures over pages (GET) and form posts apart; written
# line by line, as locust exits without flushing it.
TIMES = Path(PLAN["outcomes"]).with_name("request_times.csv").open("a", buffering=1)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r"<h1>(A-\d{6}):")
PRIORITY = re.compile(r"Priority number</dt><dd>(\d+)</dd>")
CASE = re.compile(r'href="/workbench/applications/(\d+)/"')
ACTION = re.compile(r'action="/workbench/applications/(\d+)/([a-z-]+)/"')


def record(**outcome: Any) -> None:
    OUTCOMES.write(json.dumps({**outcome, "at": time.time()}) + "\n")
    OUTCOMES.flush()


@events.request.add_listener
def timed(request_type: str, name: str, response_time: float, **_: Any) -> None:
    TIMES.write(f"{time.time():.3f},{request_type},{response_time:.1f}\n")


def csrf(text: str) -> str | None:
    match = CSRF.search(text)
    return match.group(1) if match else None


class Visitor(HttpUser):
    """What anyone can open; each user class adds its own work."""

    abstract = True

    def on_start(self) -> None:
        self.rng = random.Random()

    def page(self, path: str, name: str) -> Any:
        return self.client.get(path, name=name)

    def map_view(self) -> None:
        """The map page, as the browser loads it, then the ground in one or two views."""
        self.page("/map/", "map page")
        self.page("/map/kazakhstan.geojson", "map: outline GeoJSON")
        self.page("/open-data/deposits.geojson", "map: deposits GeoJSON")
        for _ in range(self.rng.choice([1, 1, 2])):
            box = self.rng.choice(PUBLIC["bboxes"])
            self.page(f"/api/v1/blocks/availability/?format=geojson&bbox={box}", "map: availability GeoJSON")

    def deposits(self) -> None:
        self.page("/deposits/", "deposit list")
        self.page(f"/deposits/{self.rng.choice(PUBLIC['deposits'])}/", "deposit page")

    def registers(self) -> None:
        choice = self.rng.random()
        if choice < 0.4:
            self.page("/register/applications/", "register: applications")
            self.page(f"/register/applications/{self.rng.choice(PUBLIC['applications'])}/", "register: application")
        elif choice < 0.6:
            self.page("/register/applications/?state=lodged&region=abai", "register: applications filtered")
        elif choice < 0.85:
            self.page("/register/licences/", "register: licences")
            self.page(f"/register/licences/{self.rng.choice(PUBLIC['licences'])}/", "register: licence")
        else:
            self.page("/register/openings/", "register: openings calendar")

    def block(self) -> None:
        self.page(f"/api/v1/blocks/{self.rng.choice(PUBLIC['blocks'])}/", "API: block")

    def browse(self) -> None:
        """One visit's worth: mostly the map and the registers, on opening day."""
        choice = self.rng.random()
        if choice < 0.35:
            self.map_view()
        elif choice < 0.6:
            self.registers()
        elif choice < 0.75:
            self.deposits()
        elif choice < 0.85:
            self.block()
        elif choice < 0.93:
            self.page("/", "home")
        elif choice < 0.97:
            self.page("/statistics/", "statistics page")
        else:
            self.page("/open-data/licences.geojson", "open data: licences GeoJSON")


class Browser(Visitor):
    """An anonymous visitor: every other user of the run."""

    weight = 1

    def wait_time(self) -> float:
        return self.rng.uniform(5, 20)

    @task
    def visit(self) -> None:
        self.browse()


class Lodger(Visitor):
    fixed_count = len(PLAN["lodgers"])

    def on_start(self) -> None:
        self.me = next(LODGERS)
        self.rng = random.Random(self.me["application"])
        self.client.cookies.set("sessionid", self.me["session"])
        self.url = f"/investor/applications/{self.me['application']}/"
        self.lodge_at = OPENS_AT + self.me["lodge_after"]
        self.lodged = False
        self.page("/investor/", "investor: dashboard")
        self.page("/investor/applications/", "investor: applications")
        self.page(self.url, "investor: application")

    def wait_time(self) -> float:
        if not self.lodged:
            return max(0.0, min(self.lodge_at - time.time(), self.rng.uniform(5, 15)))
        return self.rng.uniform(10, 30)

    @task
    def opening_day(self) -> None:
        if self.lodged:
            self.after()
        elif time.time() < self.lodge_at:
            self.lodge_page("lodge page (before)")
            if self.rng.random() < 0.3:
                box = self.rng.choice(PUBLIC["bboxes"][:2])
                self.page(f"/api/v1/blocks/availability/?format=geojson&bbox={box}", "map: availability GeoJSON")
        else:
            self.lodge()

    def lodge_page(self, name: str) -> str | None:
        """What lodging will do. Before 09:00 it answers 400, saying when the blocks open."""
        with self.client.get(self.url + "lodge/", name=name, catch_response=True) as response:
            if response.status_code == 200 or (
                response.status_code == 400 and "open for applications only at" in response.text
            ):
                response.success()
            return csrf(response.text)

    def lodge(self) -> None:
        token = self.lodge_page("lodge page")
        if token is None:
            record(application=self.me["application"], answer="no form")
            self.lodged = True
            return
        clicks = 2 if self.rng.random() < 0.1 else 1  # one in ten presses twice
        attempts = [gevent.spawn(self.press, token, click) for click in range(clicks)]
        gevent.joinall(attempts)
        answers = [a.value for a in attempts]
        if "error" in answers and not any(a in {"lodged", "already"} for a in answers):
            gevent.sleep(self.rng.uniform(2, 5))  # the investor tries again
            token = self.lodge_page("lodge page")
            if token is not None:
                self.press(token, 2)
        self.lodged = True

    def press(self, token: str, click: int) -> str:
        """One press of "lodge": what the investor was told."""
        application = self.me["application"]
        record(application=application, click=click, answer="pressed")  # the answer may come after the run ends
        with self.client.post(
            self.url + "lodge/",
            data={"csrfmiddlewaretoken": token},
            name="lodge (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                response.success()
            elif response.status_code == 409 and "already lodged" in response.text:
                response.success()  # the second press of a double click
                record(application=application, click=click, answer="already", status=409)
                return "already"
            else:
                response.failure(f"lodging answered {response.status_code}")
                record(application=application, click=click, answer="error", status=response.status_code)
                return "error"
        detail = self.client.get(self.url, name="investor: application (after lodging)")
        reference, number = REFERENCE.search(detail.text), PRIORITY.search(detail.text)
        if reference is None or number is None:
            record(application=application, click=click, answer="error", status=detail.status_code)
            return "error"
        record(
            application=application,
            click=click,
            answer="lodged",
            status=302,
            lodged_as=reference.group(1),
            number=int(number.group(1)),
        )
        return "lodged"

    def after(self) -> None:
        choice = self.rng.random()
        if choice < 0.3:
            self.page(self.url, "investor: application")
        elif choice < 0.45:
            self.page("/investor/applications/", "investor: applications")
        elif choice < 0.55:
            self.page("/notifications/", "investor: notifications")
        else:
            self.browse()


class Signer(Visitor):
    """A demo investor signing in through the form (a second of CPU time: PBKDF2)."""

    fixed_count = len(PLAN["signers"])

    def on_start(self) -> None:
        self.rng = random.Random()
        me = next(SIGNERS)
        form = self.client.get("/accounts/login/", name="sign-in page")
        with self.client.post(
            "/accounts/login/",
            data={"csrfmiddlewaretoken": csrf(form.text), "login": me["email"], "password": me["password"]},
            name="sign in (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")

    def wait_time(self) -> float:
        return self.rng.uniform(10, 30)

    @task
    def portal(self) -> None:
        choice = self.rng.random()
        if choice < 0.25:
            self.page("/investor/", "investor: dashboard")
        elif choice < 0.45:
            self.page("/investor/applications/", "investor: applications")
        elif choice < 0.65:
            self.page("/investor/licences/", "investor: licences")
        else:
            self.browse()


class Official(Visitor):
    """A reviewer (or an approver) working the queue."""

    fixed_count = len(PLAN["officials"])

    def on_start(self) -> None:
        self.rng = random.Random()
        self.me = next(OFFICIALS)
        self.client.cookies.set("sessionid", self.me["session"])

    def wait_time(self) -> float:
        return self.rng.uniform(5, 15)

    @task(5)
    def work(self) -> None:
        queue = self.page("/workbench/", "workbench: queue")
        cases = CASE.findall(queue.text)
        if not cases:
            return
        pk = self.rng.choice(cases)
        case = self.page(f"/workbench/applications/{pk}/", "workbench: case page")
        offered = {action for case_pk, action in ACTION.findall(case.text) if case_pk == pk}
        token = csrf(case.text)
        steps = ["decide"] if self.me["approver"] else ["recommend", "publish-notice", "accept", "claim"]
        for action in steps:
            if action in offered and self.rng.random() < 0.5:
                self.act(pk, action, token)
                return

    @task(1)
    def openings(self) -> None:
        self.page("/workbench/openings/", "workbench: openings")

    def act(self, pk: str, action: str, token: str | None) -> None:
        data = {"csrfmiddlewaretoken": token}
        if action == "recommend":
            data |= {"recommend-recommendation": "grant", "recommend-reasons": "Complete and within the rules."}
        elif action == "decide":
            data |= {"decide-decision": "grant", "decide-reasons": ""}
        with self.client.post(
            f"/workbench/applications/{pk}/{action}/",
            data=data,
            name=f"workbench: {action} (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                response.success()
            elif response.status_code == 409:
                response.success()  # another official moved the case first: the page says so
            else:
                response.failure(f"{action} answered {response.status_code}")
