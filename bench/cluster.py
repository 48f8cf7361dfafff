"""Cluster benchmark: N app nodes behind nginx (TLS), one PostgreSQL, one Redis.

``python -m bench.cluster`` (``make bench-cluster``). Starts the production stack of
``tests/production/stack.py`` on a throw-away PostgreSQL database (``BENCH_PG_URL``'s server,
default ``postgres@127.0.0.1:5432``; dropped afterwards) with the Delmenhorst demo, then drives
it over real HTTPS through nginx:

1. *healthy* – ``--clients`` citizens (threads, each from its own loopback address, so the
   per-client submit limit applies per citizen as in a city) answer the demo survey
   completely and submit it for ``--seconds``; about 10 % send the final submit twice;
2. *one node* – the same load through one node only (nginx port of node 0): the baseline of
   the N-node throughput;
3. *kill* – the same load through the balancer while node 0 is killed hard and restarted.
   Meanwhile the cross-node checks run: a draft saved via node A is resumed via node B
   (while A is dead), a live vote takes ballots from both nodes and the tally counts both,
   a question text edited by staff via node A is served by node B on the next request, and
   the 6th failed login within a minute is 429 on node B after 5 failures on node A.

A citizen whose request fails while a node is dead (nginx answers 502 for a POST that was in
flight on it – POSTs are not retried by nginx, they are not idempotent) clicks again: the
same request with the same one-time submission id. Those are counted as ``retried``; any 5xx
outside the kill window, and any 500, count as ``errors_5xx``. Afterwards PostgreSQL is asked
directly: every acknowledged submission (303 to the thank-you page) must be stored
(``lost``), nothing may be stored twice or unknown (``duplicates``).

Ends with ``RESULT nodes=N acknowledged=… stored=… lost=0 duplicates=0 errors_5xx=0
limit_shared=yes``; the exit code is 1 when a count is not 0 or a check failed.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import create_engine, text

from bench.common import database
from surveys.random_codes import hash_token
from tests.production.stack import Stack

SLUG = "bilanzierungs-audit-2026"
WORKSHOP = f"/workshop/{SLUG}/"
GROUPS = ("familien", "senioren", "akteure")
DOUBLE_SHARE = 0.10
RETRIES = 8
GRACE = 3.0  # seconds after the restart during which a failure still counts as the kill's
PASSWORDS = {
    "staff@example.org": "Demo-Mitarbeit Kompass 2026",
    "moderator@example.org": "Demo-Moderation Kompass 2026",
}
SUBMISSION_RE = re.compile(r'name="submission_id" value="([^"]*)"')
CODE_RE = re.compile(r'class="code-box__code"[^>]*><strong>([^<]+)</strong>')
MINIMUM_RE = re.compile(r"mindestens (-?[0-9]+)")


# -- HTML forms ---------------------------------------------------------------------------
@dataclass
class Control:
    """One form control; ``wrap`` is the citizen page's question it belongs to."""

    tag: str
    kind: str
    name: str
    value: str
    checked: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)
    inputmode: str = ""
    wrap: str = ""


@dataclass
class Form:
    """A parsed ``<form>``: its action, controls and the hints and visibility per question."""

    action: str
    controls: list[Control] = field(default_factory=list)
    hidden_wraps: set[str] = field(default_factory=set)
    hints: dict[str, str] = field(default_factory=dict)

    def defaults(self) -> dict[str, list[str]]:
        """What a browser sends when nothing is changed (no submit button)."""
        data: dict[str, list[str]] = {}
        for c in self.controls:
            if c.kind in ("submit", "button", "reset") or not c.name:
                continue
            if c.kind in ("checkbox", "radio") and not c.checked:
                continue
            value = c.value
            if c.tag == "select":
                chosen = [v for v, selected in c.options if selected]
                value = chosen[0] if chosen else (c.options[0][0] if c.options else "")
            data.setdefault(c.name, []).append(value)
        return data

    def answered(self) -> dict[str, list[str]]:
        """Answer every visible question like tests/browser's filler: the first choice (not
        "weiß nicht"), places 1..n, the lowest allowed number, a short text."""
        data: dict[str, list[str]] = {
            c.name: [c.value] for c in self.controls if c.kind == "hidden" and not c.wrap
        }
        data["aktion"] = ["weiter"]
        visible = [c for c in self.controls if c.wrap and c.wrap not in self.hidden_wraps]
        boxes_done: set[str] = set()
        places: dict[str, int] = {}
        for c in visible:
            if c.kind == "radio":
                if c.name not in data or data[c.name] == ["dk"]:
                    data[c.name] = [c.value]
            elif c.kind == "checkbox":
                if c.wrap not in boxes_done:
                    boxes_done.add(c.wrap)
                    data[c.name] = [c.value]
            elif c.tag == "select":
                places[c.wrap] = places.get(c.wrap, 0) + 1
                place = str(places[c.wrap])
                values = {v for v, _ in c.options}
                data[c.name] = [place if place in values else ""]
            elif c.kind in ("text", "textarea"):
                if c.name.endswith("-other") or c.name == "website":
                    continue
                if c.inputmode in ("numeric", "decimal"):
                    low = MINIMUM_RE.search(self.hints.get(c.wrap, ""))
                    data[c.name] = [low.group(1) if low else "1"]
                else:
                    data[c.name] = ["Test"]
        return data


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._divs: list[str] = []  # the wrap key for question-wrap divs, "" for others
        self._wrap = ""
        self._open: Control | None = None  # the select or textarea being read
        self._hint_tag = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""))
            self.forms.append(self._form)
        if tag == "div":
            key = a.get("data-key", "") if "question-wrap" in a.get("class", "").split() else ""
            self._divs.append(key)
            if key:
                self._wrap = key
                if "hidden" in a and self._form is not None:
                    self._form.hidden_wraps.add(key)
        if "hint" in a.get("class", "").split() and self._wrap:
            self._hint_tag = tag
        if self._form is None:
            return
        if tag == "input":
            control = Control(
                "input",
                a.get("type", "text").lower(),
                a.get("name", ""),
                a.get("value", ""),
                checked="checked" in a,
                inputmode=a.get("inputmode", ""),
                wrap=self._wrap,
            )
            self._form.controls.append(control)
        elif tag in ("select", "textarea"):
            kind = "textarea" if tag == "textarea" else "select"
            self._open = Control(tag, kind, a.get("name", ""), "", wrap=self._wrap)
            self._form.controls.append(self._open)
        elif tag == "option" and self._open is not None:
            self._open.options.append((a.get("value", ""), "selected" in a))
        elif tag == "button" and a.get("name"):
            button = Control("button", "submit", a["name"], a.get("value", ""))
            self._form.controls.append(button)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "div" and self._divs:
            if self._divs.pop():
                self._wrap = next((k for k in reversed(self._divs) if k), "")
        elif tag in ("select", "textarea"):
            self._open = None
        if tag == self._hint_tag:
            self._hint_tag = ""

    def handle_data(self, data: str) -> None:
        if self._open is not None and self._open.tag == "textarea":
            self._open.value += data
        if self._hint_tag and self._form is not None and self._wrap:
            self._form.hints[self._wrap] = self._form.hints.get(self._wrap, "") + data


def forms(html: str) -> list[Form]:
    """Every form of ``html``."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form(html: str, action_ends: str = "") -> Form:
    """The first form whose action ends with ``action_ends`` (or the first form)."""
    for candidate in forms(html):
        if candidate.action.endswith(action_ends):
            return candidate
    raise RuntimeError(f"no form with action …{action_ends}")


# -- HTTP clients -------------------------------------------------------------------------
class _SourceAdapter(HTTPAdapter):
    """Connect from a given loopback address: each citizen is its own client for nginx."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__(pool_connections=2, pool_maxsize=2)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


@dataclass
class KillWindow:
    """When node 0 was dead (plus a grace period): failures then are the kill's, not bugs."""

    start: float = float("inf")
    end: float = float("inf")

    def covers(self, started: float, ended: float) -> bool:
        return ended >= self.start and started <= self.end + GRACE


@dataclass
class Tally:
    """Thread-safe counters of one load phase."""

    window: KillWindow
    acknowledged: set[str] = field(default_factory=set)
    attempted: set[str] = field(default_factory=set)
    doubled: int = 0
    double_ok: int = 0
    flows_failed: int = 0
    errors_5xx: int = 0
    retried: int = 0
    other: dict[int, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def failure(self, status: int, started: float, what: str) -> bool:
        """Count a failed request; return whether the citizen should try again."""
        with self.lock:
            disturbed = self.window.covers(started, time.monotonic())
            if status in (0, 502, 503, 504) and disturbed:
                self.retried += 1
                return True
            if status >= 500 or status == 0:
                self.errors_5xx += int(status >= 500)
                if len(self.problems) < 10:
                    self.problems.append(f"{what}: {status or 'connection failed'}")
                return status != 500
            self.other[status] = self.other.get(status, 0) + 1
            if len(self.problems) < 10:
                self.problems.append(f"{what}: {status}")
            return False


class Citizen:
    """One browser: a session with cookies, talking to ``base`` from loopback ``source``."""

    def __init__(self, base: str, source: str, cert: Path, tally: Tally | None = None) -> None:
        self.base = base
        self.http = requests.Session()
        self.http.trust_env = False  # no proxies, no CA bundle from the environment
        self.http.verify = str(cert)
        adapter = _SourceAdapter(source)
        self.http.mount("https://", adapter)
        self.tally = tally

    def request(
        self, method: str, path: str, data: dict[str, Any] | None = None, follow: bool = True
    ) -> requests.Response:
        """Send one request; on a failure the citizen tries again as long as it may."""
        url = urljoin(self.base, path)
        headers = {"Referer": url}  # a browser sends it; Flask-WTF's HTTPS check needs it
        for _attempt in range(RETRIES):
            started = time.monotonic()
            try:
                reply = self.http.request(
                    method, url, data=data, headers=headers, allow_redirects=follow, timeout=60
                )
            except requests.ConnectionError:
                status = 0
            else:
                if reply.status_code < 500:
                    return reply
                status = reply.status_code
            what = f"{method} {urlsplit(url).path}"
            if self.tally is None or not self.tally.failure(status, started, what):
                raise RuntimeError(f"{method} {path}: {status}")
            time.sleep(0.3)
        raise RuntimeError(f"{method} {path}: gave up after {RETRIES} attempts")

    def get(self, path: str) -> requests.Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, Any], follow: bool = True) -> requests.Response:
        return self.request("POST", path, data, follow)


# -- the questionnaire --------------------------------------------------------------------
@dataclass
class Plan:
    """The posts that answer the whole demo survey as one group (learned once, replayed)."""

    group: str
    steps: list[tuple[str, dict[str, list[str]]]]


def learn(base: str, cert: Path, group: str) -> Plan:
    """Answer the survey as ``group`` page by page (re-filling pages that show follow-up
    questions) and keep the last post of every page."""
    citizen = Citizen(base, "127.0.0.1", cert)
    reply = citizen.get(f"/s/{SLUG}/start?gruppe={group}")
    steps: list[tuple[str, dict[str, list[str]]]] = []
    for _ in range(60):
        if "/pruefen" in reply.url:
            if not SUBMISSION_RE.search(reply.text) or "error-summary" in reply.text:
                raise RuntimeError(f"{group}: the check page is not ready to submit")
            return Plan(group, steps)
        page = form(reply.text, "")
        data = page.answered()
        reply = citizen.post(page.action, data)
        if reply.status_code != 200:
            raise RuntimeError(f"{group}: {page.action} gave {reply.status_code}")
        saved = {k: v for k, v in data.items() if k != "csrf_token"}
        if steps and steps[-1][0] == page.action:
            steps[-1] = (page.action, saved)
        else:
            steps.append((page.action, saved))
    raise RuntimeError(f"{group}: no check page after 60 posts")


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if not match:
        raise RuntimeError("no CSRF token in the page")
    return match.group(1)


def one_flow(citizen: Citizen, plan: Plan, tally: Tally, rng: random.Random) -> None:
    """Answer every page, open the check page, submit (sometimes twice), see the thanks."""
    first = plan.steps[0][0]
    reply = citizen.get(first)
    for action, data in plan.steps:
        reply = citizen.post(action, {**data, "csrf_token": csrf(reply.text)})
    token_match = SUBMISSION_RE.search(reply.text)
    if "/pruefen" not in reply.url or not token_match:
        raise RuntimeError(f"no check page at the end: {reply.url}")
    token = token_match.group(1)
    form_data = {"csrf_token": csrf(reply.text), "submission_id": token}
    check = f"/s/{SLUG}/{plan.group}/pruefen"
    with tally.lock:
        tally.attempted.add(token)
    started = time.perf_counter()
    final = citizen.post(check, form_data, follow=False)
    seconds = time.perf_counter() - started
    if final.status_code != 303 or not final.headers.get("Location", "").endswith("/danke"):
        raise RuntimeError(f"final submit: {final.status_code}")
    with tally.lock:
        tally.acknowledged.add(token)
        tally.latencies.append(seconds)
    thanks = citizen.get(final.headers["Location"])
    if thanks.status_code != 200 or "Vielen Dank" not in thanks.text:
        raise RuntimeError(f"thank-you page: {thanks.status_code}")
    if rng.random() < DOUBLE_SHARE:  # a second click: the one-time id stores nothing twice
        again = citizen.post(check, form_data, follow=False)
        with tally.lock:
            tally.doubled += 1
            tally.double_ok += int(
                again.status_code == 303 and again.headers["Location"].endswith("/danke")
            )


def load(
    base: str, cert: Path, plans: list[Plan], clients: int, tally: Tally, stop: threading.Event
) -> list[threading.Thread]:
    """Start ``clients`` citizen threads that run flows until ``stop`` is set."""

    def client(index: int) -> None:
        rng = random.Random(index)
        source = f"127.0.0.{10 + index}"
        while not stop.is_set():
            citizen = Citizen(base, source, cert, tally)
            try:
                one_flow(citizen, rng.choice(plans), tally, rng)
            except (RuntimeError, requests.RequestException) as error:
                with tally.lock:
                    tally.flows_failed += 1
                    if len(tally.problems) < 10:
                        tally.problems.append(str(error)[:200])

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    return threads


def timed_load(
    base: str, cert: Path, plans: list[Plan], clients: int, seconds: float, window: KillWindow
) -> tuple[Tally, float, Callable[[], float]]:
    """Run the load for ``seconds`` unless ``finish`` is taken over by the caller."""
    tally = Tally(window)
    stop = threading.Event()
    started = time.monotonic()
    threads = load(base, cert, plans, clients, tally, stop)

    def finish() -> float:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        return time.monotonic() - started

    if seconds <= 0:
        return tally, 0.0, finish
    time.sleep(seconds)
    return tally, finish(), finish


def rate(tally: Tally, seconds: float) -> float:
    return len(tally.acknowledged) / seconds if seconds else 0.0


def report(name: str, tally: Tally, seconds: float) -> None:
    lat = sorted(tally.latencies)
    p50 = lat[len(lat) // 2] * 1000 if lat else 0.0
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else 0.0
    print(
        f"{name:<10} {len(tally.acknowledged)} acknowledged in {seconds:.1f} s = "
        f"{rate(tally, seconds):.2f}/s; final submit p50 {p50:.0f} ms, p99 {p99:.0f} ms; "
        f"sent twice {tally.doubled} (thanks again {tally.double_ok}); failed flows "
        f"{tally.flows_failed}; retried {tally.retried}; 5xx {tally.errors_5xx}; "
        f"other {tally.other or 0}",
        flush=True,
    )
    for problem in tally.problems[:5]:
        print(f"           ! {problem}", flush=True)


# -- the cross-node checks ----------------------------------------------------------------
def log_in(citizen: Citizen, email: str, password: str) -> int:
    page = citizen.get("/anmelden")
    data = {"csrf_token": csrf(page.text), "email": email, "password": password, "next": ""}
    return citizen.post("/anmelden", data, follow=False).status_code


def login_limit_shared(a: Citizen, b: Citizen) -> bool:
    """5 failures on node A, then the 6th on node B must be 429 (the same client)."""
    email = "admin@example.org"
    on_a = [log_in(a, email, f"falsch-{i}-falsch") for i in range(5)]
    on_b = log_in(b, email, "falsch-5-falsch")
    print(f"check      login limit: node A {on_a}, then node B {on_b}", flush=True)
    return on_a == [401] * 5 and on_b == 429


def save_draft(citizen: Citizen, plan: Plan) -> str:
    """Answer the first page and click "Später weitermachen"; return the resume code."""
    action, data = plan.steps[0]
    page = citizen.get(action)
    reply = citizen.post(action, {**data, "aktion": "speichern", "csrf_token": csrf(page.text)})
    match = CODE_RE.search(reply.text)
    if "/gespeichert" not in reply.url or not match:
        raise RuntimeError(f"no resume code after saving: {reply.url}")
    return match.group(1)


def resume_draft(citizen: Citizen, code: str, plan: Plan) -> bool:
    """Enter the code on another node: page 1 again, with the saved answers checked."""
    page = citizen.get(f"/s/{SLUG}/weiter")
    reply = citizen.post(f"/s/{SLUG}/weiter", {"csrf_token": csrf(page.text), "code": code})
    kept = [
        f'name="{name}" value="{values[0]}" checked'
        for name, values in plan.steps[0][1].items()
        if name.startswith("q-") and len(values) == 1
    ]
    ok = reply.status_code == 200 and reply.url.endswith(plan.steps[0][0])
    ok = ok and any(answer in reply.text for answer in kept)
    print(
        f"check      draft saved on node A resumed on node B with its answers: "
        f"{'yes' if ok else 'NO'}",
        flush=True,
    )
    return ok


@dataclass
class Vote:
    code: str
    moderator: Citizen


def open_vote(moderator: Citizen) -> Vote:
    """Start a prioritisation on the first field of the 2026 agreement that has measures."""
    if log_in(moderator, "moderator@example.org", PASSWORDS["moderator@example.org"]) != 302:
        raise RuntimeError("the moderator cannot log in")
    index = moderator.get(WORKSHOP).text
    for path in sorted(set(re.findall(rf'href="({WORKSHOP}feld/[^"/#]+)"', index))):
        page = moderator.get(path).text
        if f'action="{path}/abstimmung"' in page:
            start = form(page, f"{path}/abstimmung")
            reply = moderator.post(start.action, {**start.defaults(), "budget": "5"})
            code = reply.url.rstrip("/").rsplit("/", 1)[-1]
            if "/workshop/abstimmung/" not in reply.url:
                raise RuntimeError(f"the vote did not start: {reply.url}")
            return Vote(code, moderator)
    raise RuntimeError("no Handlungsfeld of the demo agreement can be voted on")


def cast_ballot(phone: Citizen, vote: Vote, points: int) -> bool:
    page = phone.get(f"/v/{vote.code}")
    ballot = next(f for f in forms(page.text) if any(c.name.startswith("m_") for c in f.controls))
    data: dict[str, Any] = ballot.defaults()
    first = next(c.name for c in ballot.controls if c.name.startswith("m_"))
    data[first] = str(points)
    reply = phone.post(f"/v/{vote.code}", data)
    return reply.status_code == 200 and "gespeichert" in reply.text


def edit_question(staff: Citizen, database_url: str, nonce: str) -> str:
    """Staff change the wording of the first question of page 1; return the new text."""
    if log_in(staff, "staff@example.org", PASSWORDS["staff@example.org"]) != 302:
        raise RuntimeError("staff cannot log in")
    engine = create_engine(database_url)
    with engine.connect() as conn:
        survey_id, question_id = conn.execute(
            text(
                "SELECT s.id, q.id FROM question q JOIN survey s ON s.id = q.survey_id "
                "WHERE s.slug = :slug AND q.key = 'stadtteil'"
            ),
            {"slug": SLUG},
        ).one()
    engine.dispose()
    path = f"/verwaltung/umfragen/{survey_id}/fragen/{question_id}"
    edit = form(staff.get(path).text, path)
    data = edit.defaults()
    new_text = f"In welchem Stadtteil wohnen Sie? ({nonce})"
    data["text"] = [new_text]
    reply = staff.post(path, data, follow=False)
    if reply.status_code != 302:
        raise RuntimeError(f"the question edit was refused: {reply.status_code}")
    return new_text


# -- database -----------------------------------------------------------------------------
@dataclass
class Stored:
    responses: int
    receipts: int
    token_hashes: set[str]


def stored(database_url: str) -> Stored:
    """Count the demo survey's responses and receipts in PostgreSQL, with plain SQL."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        args = {"slug": SLUG}
        survey = "(SELECT id FROM survey WHERE slug = :slug)"
        responses = conn.scalar(
            text(f"SELECT count(*) FROM response WHERE survey_id = {survey}"), args
        )
        hashes = conn.scalars(
            text(f"SELECT token_hash FROM submission_receipt WHERE survey_id = {survey}"), args
        ).all()
    engine.dispose()
    return Stored(int(responses or 0), len(hashes), set(hashes))


def vote_sets(database_url: str, code: str) -> int:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        count = conn.scalar(
            text(
                "SELECT count(*) FROM vote_set WHERE vote_session_id = "
                "(SELECT id FROM vote_session WHERE code = :code)"
            ),
            {"code": code},
        )
    engine.dispose()
    return int(count or 0)


def print_server_errors(stack: Stack) -> None:
    """Show the tracebacks and errors the nodes and nginx wrote (for a failed run)."""
    for log in sorted(stack.folder.glob("*.log")):
        lines = log.read_text(errors="replace").splitlines()
        marks = [i for i, line in enumerate(lines) if "Traceback" in line or "[error]" in line]
        if marks:
            print(f"--- {log.name}: " + "\n".join(lines[marks[0] : marks[0] + 60]), flush=True)


# -- the run ------------------------------------------------------------------------------
def run(nodes: int, responses: int, seconds: float, clients: int) -> int:
    with database("postgresql") as url, tempfile.TemporaryDirectory(prefix="fk-cluster-") as tmp:
        stack = Stack(folder=Path(tmp), database_url=url, nodes=nodes, direct_ports=True)
        began = time.monotonic()
        stack.flask("db", "upgrade")
        stack.flask("seed-demo", "--responses", str(responses))
        stack.flask("users", "demo-accounts")
        stack.start()
        try:
            print(
                f"== {nodes} nodes × {stack.workers} gunicorn workers behind nginx (TLS), "
                f"PostgreSQL, Redis; demo with {responses} responses per survey; "
                f"ready after {time.monotonic() - began:.0f} s",
                flush=True,
            )
            return measure(stack, url, nodes, seconds, clients)
        except BaseException:
            print_server_errors(stack)
            raise
        finally:
            stack.stop()


def measure(stack: Stack, url: str, nodes: int, seconds: float, clients: int) -> int:
    cert = stack.certificate
    plans = [learn(stack.url, cert, group) for group in GROUPS]
    print("plans      " + ", ".join(f"{p.group}: {len(p.steps)} pages" for p in plans), flush=True)
    before = stored(url)
    a_url = stack.node_tls_url(0)
    window = KillWindow()

    healthy, healthy_s, _ = timed_load(stack.url, cert, plans, clients, seconds, window)
    report("healthy", healthy, healthy_s)
    single, single_s, _ = timed_load(a_url, cert, plans, clients, seconds, window)
    report("one node", single, single_s)

    # The kill phase: load through the balancer; the checks run meanwhile.
    killed, _, finish = timed_load(stack.url, cert, plans, clients, 0, window)
    phase_start = time.monotonic()
    checks: dict[str, bool] = {}

    def guarded(name: str, step: Callable[[], Any]) -> Any:
        """Run one check step; a failure (e.g. a 500) fails the check, not the run."""
        try:
            return step()
        except (RuntimeError, StopIteration, requests.RequestException) as error:
            checks[name] = False
            print(f"FAILED     {name}: {error}", flush=True)
            return None

    def node(index: int, last: int) -> Citizen:
        return Citizen(stack.node_tls_url(index), f"127.0.0.{last}", cert)

    limit_shared = bool(
        guarded("login limit", lambda: login_limit_shared(node(0, 250), node(1, 250)))
    )
    draft_code = guarded("draft saved on A", lambda: save_draft(node(0, 201), plans[0]))
    vote = guarded("vote opened on A", lambda: open_vote(node(0, 202)))
    if vote is not None:
        checks["ballot via node A"] = bool(
            guarded("ballot via node A", lambda: cast_ballot(node(0, 203), vote, 3))
        )
    reader = node(1, 204)
    first_page = plans[0].steps[0][0]

    def edit_served() -> bool:
        reader.get(first_page)  # node B has the questionnaire cached now
        new_text = edit_question(node(0, 205), url, uuid.uuid4().hex[:6])
        return new_text in reader.get(first_page).text

    name = "question edit via A served by B"
    checks[name] = bool(guarded(name, edit_served))
    print(f"check      question edit via node A served by node B: {checks[name]}", flush=True)

    time.sleep(max(0.0, phase_start + seconds * 0.3 - time.monotonic()))
    window.start = time.monotonic()
    stack.kill_node(0)
    print(f"kill       node 0 killed at {window.start - phase_start:.1f} s", flush=True)
    if draft_code is not None:
        name = "draft saved on A resumed on B (A dead)"
        checks[name] = bool(guarded(name, lambda: resume_draft(node(1, 206), draft_code, plans[0])))
    if vote is not None:
        checks["ballot via node B"] = bool(
            guarded("ballot via node B", lambda: cast_ballot(node(1, 207), vote, 2))
        )
    time.sleep(max(0.0, phase_start + seconds * 0.5 - time.monotonic()))
    stack.start_node(0)
    window.end = time.monotonic()
    print(
        f"restart    node 0 answers again at {window.end - phase_start:.1f} s "
        f"(dead {window.end - window.start:.1f} s)",
        flush=True,
    )
    time.sleep(GRACE)
    if vote is not None:
        name = "vote tally on restarted A counts both nodes"
        path = f"/workshop/abstimmung/{vote.code}"
        screen = guarded(name, lambda: vote.moderator.get(path).text) or ""
        ballots = vote_sets(url, vote.code)
        checks[name] = "2 Personen haben abgestimmt" in screen
        checks["vote sets in PostgreSQL == 2"] = ballots == 2
        print(
            f"check      vote {vote.code}: ballots via A and B, tally on restarted A says "
            f"'2 Personen': {checks[name]}; vote sets stored {ballots}",
            flush=True,
        )
    time.sleep(max(0.0, phase_start + seconds - time.monotonic()))
    killed_s = finish()
    report("kill", killed, killed_s)

    after = stored(url)
    phases = (healthy, single, killed)
    acknowledged: set[str] = set().union(*(p.acknowledged for p in phases))
    attempted: set[str] = set().union(*(p.attempted for p in phases))
    new_hashes = after.token_hashes - before.token_hashes
    ours = {hash_token(t): t for t in attempted}
    stored_tokens = {ours[h] for h in new_hashes if h in ours}
    new_responses = after.responses - before.responses
    lost = len(acknowledged - stored_tokens)
    lost = max(lost, len(acknowledged) - new_responses)
    in_flight_stored = len(stored_tokens - acknowledged)
    duplicates = new_responses - len(stored_tokens) + (len(new_hashes) - len(stored_tokens))
    errors = sum(p.errors_5xx for p in phases)
    retried = sum(p.retried for p in phases)
    double_failed = sum(p.doubled - p.double_ok for p in phases)
    print(
        f"database   acknowledged {len(acknowledged)}, stored {new_responses} responses / "
        f"{len(new_hashes)} receipts (of them stored but not acknowledged: {in_flight_stored}); "
        f"lost {lost}, duplicates {duplicates}",
        flush=True,
    )
    scale = rate(healthy, healthy_s) / rate(single, single_s) if rate(single, single_s) else 0.0
    under_kill = rate(killed, killed_s) / rate(healthy, healthy_s) if healthy.acknowledged else 0.0
    print(
        f"ratio      {nodes} nodes vs 1 node (same run, same {clients} clients, load generator "
        f"on the same cores): {scale:.2f}; kill phase vs healthy phase: {under_kill:.2f}",
        flush=True,
    )
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        print_server_errors(stack)
    if not limit_shared:
        failed.append("login limit shared")
    if double_failed:
        failed.append(f"{double_failed} second submits without thanks")
    for name in failed:
        print(f"FAILED     {name}", flush=True)
    print(
        f"RESULT nodes={nodes} scale_vs_1_node={scale:.2f} kill_vs_healthy={under_kill:.2f} "
        f"retried={retried} checks={'ok' if not failed else 'failed'} "
        f"acknowledged={len(acknowledged)} stored={new_responses} lost={lost} "
        f"duplicates={duplicates} errors_5xx={errors} "
        f"limit_shared={'yes' if limit_shared else 'no'}",
        flush=True,
    )
    return 1 if failed or lost or duplicates or errors else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__)
    parser.add_argument("--nodes", type=int, default=2, help="gunicorn nodes (default 2)")
    parser.add_argument(
        "--responses", type=int, default=60, help="demo responses per survey seeded (60)"
    )
    parser.add_argument("--seconds", type=float, default=20, help="length of each phase (20)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent citizens (8)")
    args = parser.parse_args(argv)
    if args.nodes < 2:
        parser.error("--nodes must be at least 2 (one is killed, another must take over)")
    return run(args.nodes, args.responses, args.seconds, args.clients)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
