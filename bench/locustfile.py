"""Simulated users for bench/load.py (Student, Instructor, Probe, DashboardProbe) and bench/rush.py
(DeadlineRush); run by them, which name the classes. Reads the sessions and addresses they prepared."""

import json
import os
import random
import uuid

import gevent
from locust import FastHttpUser, between, constant, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: PTH123, SIM115 - read once at import
REPORT = open(PLAN["report_path"], "rb").read()  # noqa: PTH123, SIM115
CYCLE = {"students": 0, "instructors": 0}
RUSH = {"finished": 0}


def _next(kind: str) -> str:
    sessions = PLAN[kind]
    CYCLE[kind] = (CYCLE[kind] + 1) % len(sessions)
    return sessions[CYCLE[kind]]


def _upload_body() -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{PLAN["csrf"]}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="report.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + REPORT
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _upload(user: FastHttpUser, name: str) -> str | None:
    """Posts the report as the page's upload script does; returns the receipt's address, or None."""
    body, content_type = _upload_body()
    headers = {
        **user.headers,
        "Content-Type": content_type,
        "Referer": PLAN["base"] + PLAN["deliverable"],
        "X-Portal-Upload": "1",
    }
    with user.client.post(
        PLAN["deliverable"] + "upload/", data=body, headers=headers, name=name, catch_response=True
    ) as response:
        if response.status_code != 200 or "/receipts/" not in (response.text or ""):
            response.failure(f"upload not accepted: {response.status_code} {(response.text or '')[:200]}")
            return None
        return response.json()["location"]


class Student(FastHttpUser):
    weight = 18
    wait_time = between(1, 3)

    def on_start(self):
        self.headers = {"Cookie": f"sessionid={_next('students')}; csrftoken={PLAN['csrf']}"}

    @task(4)
    def dashboard(self):
        self.client.get(PLAN["dashboard"], headers=self.headers, name="student dashboard")

    @task(3)
    def papers(self):
        self.client.get(PLAN["papers"], headers=self.headers, name="papers list")

    @task(3)
    def deliverable(self):
        self.client.get(PLAN["deliverable"], headers=self.headers, name="deliverable page")

    @task(1)
    def upload(self):
        _upload(self, "upload 2 MB report")


class Instructor(FastHttpUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        self.headers = {"Cookie": f"sessionid={_next('instructors')}"}

    @task
    def overview(self):
        self.client.get(PLAN["overview"], headers=self.headers, name="instructor overview (300 students)")

    @task
    def grading(self):
        self.client.get(PLAN["grading"], headers=self.headers, name="grading sheet (300 students)")


class Probe(FastHttpUser):
    """The load balancer's health check as fast as it answers, in the same run: the baseline."""

    fixed_count = 5
    wait_time = constant(0)

    @task
    def healthz(self):
        self.client.get("/healthz", name="healthz")


class DashboardProbe(FastHttpUser):
    """The student dashboard as fast as it answers, beside the health probe: compared with healthz_rps."""

    fixed_count = 5
    wait_time = constant(0)

    def on_start(self):
        self.headers = {"Cookie": f"sessionid={_next('students')}"}

    @task
    def dashboard(self):
        self.client.get(PLAN["dashboard"], headers=self.headers, name="student dashboard (flat out)")


class DeadlineRush(FastHttpUser):
    """One student of a deadline rush: at a moment of the rush window (PLAN["rush_seconds"]) drawn at random
    for each, opens the deliverable page, uploads the report and opens the receipt, once. When the last
    student is done the run ends, so that every upload is counted however long the last ones take."""

    wait_time = constant(0)

    def on_start(self):
        self.headers = {"Cookie": f"sessionid={_next('students')}; csrftoken={PLAN['csrf']}"}
        gevent.sleep(random.uniform(0, PLAN["rush_seconds"]))

    @task
    def submit(self):
        self.client.get(PLAN["deliverable"], headers=self.headers, name="deliverable page (rush)")
        receipt = _upload(self, f"upload {PLAN['report_mb']} MB report (rush)")
        if receipt:
            self.client.get(receipt, headers=self.headers, name="receipt page (rush)")
        RUSH["finished"] += 1
        if RUSH["finished"] == PLAN["rush_students"]:
            gevent.spawn(self.environment.runner.quit)
        raise StopUser


@events.quitting.add_listener
def _write_figures(environment, **_kwargs):
    """Everything counted, once every user has stopped: what the bench reports (LOAD_FIGURES)."""
    stats = environment.runner.stats
    figures = {"stats": stats.serialize_stats(), "errors": stats.serialize_errors()}
    with open(os.environ["LOAD_FIGURES"], "w") as out:  # noqa: PTH123
        json.dump(figures, out)


random.seed(1)
