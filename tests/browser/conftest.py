"""Browser harness: Debian's headless Chromium against live_server, with axe-core on every page a test visits.

How the accessibility check reaches every page
----------------------------------------------
Each page gets a Playwright locator handler for `html:not([data-axe-checked])`. Playwright runs it before
the first action (click, fill, check, ...) or auto-waiting assertion (`expect(...)`) on every new document,
so the check sees the page fully loaded and exactly as the user met it. The handler runs axe-core and then
marks the document, so each document is checked once. When the test body ends, the page it ended on is
checked as well. Every document that reached DOMContentLoaded is counted, so a page left without any action
or assertion on it (e.g. two `goto` calls in a row) fails the test instead of escaping the check.

Checking a page "on the way out" (from a route handler on the next navigation request) does not work: while
a navigation is pending, Chromium holds back DevTools commands to the frame, so the evaluation never answers.

Violations with impact "serious" or "critical" fail the test when it ends, listing every page, rule and
element. Lesser findings (moderate, minor) are not failures. A console message that the Content Security
Policy blocked something (an inline style or script in a template, or set by a script of the page) fails the
test too; refusals of axe-core's own code (it has no source URL) do not.
"""

import contextlib
import os
import re
import weakref
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

# Playwright's sync API runs an asyncio event loop in the main thread (in a greenlet). Django's async-unsafe
# guard sees that running loop and refuses ORM calls from the test body (demo_load, factories, checks on the
# database), although nothing runs concurrently: the test waits while the browser works, and live_server
# answers in its own thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 10_000
FAILING_IMPACTS = {"serious", "critical"}
UNCHECKED = "html:not([data-axe-checked])"
MARK_CHECKED = "() => document.documentElement.setAttribute('data-axe-checked', '')"
# With JavaScript disabled, DevTools may still evaluate code in the page, but timers never fire, and axe
# waits on them between rules. The page itself can run no script, so its timers are replaced by microtasks
# for axe's sake only.
TIMERS_AS_MICROTASKS = """() => {
  const soon = (callback, ...args) => { Promise.resolve().then(() => callback(...args)); return 0; };
  window.setTimeout = (callback, delay, ...args) => soon(callback, ...args);
  window.requestAnimationFrame = (callback) => soon(callback, performance.now());
  window.requestIdleCallback = (callback) => soon(callback, { didTimeout: false, timeRemaining: () => 50 });
}"""

# axe-core is injected with page.evaluate, i.e. through DevTools, which the page's Content-Security-Policy
# (script-src 'self') does not govern. So contexts keep the CSP the site sends (no bypass_csp): the tests
# see what a user's browser enforces.
AXE = Axe()
AXE_GUARDS = pytest.StashKey[list]()
_GUARD_OF_PAGE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

expect.set_options(timeout=TIMEOUT_MS)


@dataclass
class VisitedDocument:
    url: str
    checked: bool = False


@dataclass(frozen=True)
class Violation:
    url: str
    rule: str
    impact: str
    report: str


@dataclass
class AxeGuard:
    """Runs axe-core once on every document a page shows and keeps what it found."""

    page: Page
    javascript: bool
    # Only the portal's pages are checked; an identity provider's login page (SSO tests) is not ours.
    origin: str = ""
    documents: list[VisitedDocument] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    csp_refusals: list[str] = field(default_factory=list)

    def attach(self) -> None:
        self.page.on("domcontentloaded", lambda page: self.documents.append(VisitedDocument(page.url)))
        self.page.on("console", self._note_csp_refusal)
        self.page.add_locator_handler(self.page.locator(UNCHECKED), lambda _: self.check())

    def check(self) -> None:
        """Checks the current document now (again, if asked to) and marks it checked."""
        self.page.wait_for_load_state("load")
        if self.origin and not self.page.url.startswith(self.origin):
            with contextlib.suppress(PlaywrightError):
                self.page.evaluate(MARK_CHECKED)
            # An IdP's page may post itself on at once (SAML's HTTP-POST binding): the portal's page it
            # brings is checked here, or Playwright would wait for it to be marked. A page that waits
            # for the person (the IdP's login form) keeps them a second.
            with contextlib.suppress(PlaywrightError):
                self.page.wait_for_url(lambda url: url.startswith(self.origin), timeout=1_000)
            if not self.page.url.startswith(self.origin):
                return
            self.page.wait_for_load_state("load")
        if not self.javascript:
            self.page.evaluate(TIMERS_AS_MICROTASKS)
        results = AXE.run(self.page)
        self.page.evaluate(MARK_CHECKED)
        # After "load", the newest document seen is the one on screen.
        if self.documents:
            self.documents[-1].checked = True
        self.violations += [
            _violation(self.page.url, found)
            for found in results.response["violations"]
            if found["impact"] in FAILING_IMPACTS
        ]

    def check_if_unchecked(self) -> None:
        if (
            not self.page.is_closed()
            and self.page.url != "about:blank"
            and self.page.locator(UNCHECKED).count()
        ):
            self.check()

    def problems(self, *, with_unchecked: bool = True) -> list[str]:
        unchecked = [
            f"{document.url}: left before the axe check ran; act on or assert something on it, "
            "or call check_a11y(page)"
            for document in self.documents
            if with_unchecked
            and not document.checked
            and document.url != "about:blank"
            and document.url.startswith(self.origin)
        ]
        found = [violation.report for violation in self.violations] + unchecked + self.csp_refusals
        return list(dict.fromkeys(found))

    def _note_csp_refusal(self, message) -> None:
        # A refusal without a source URL came from code evaluated through DevTools, i.e. axe-core itself:
        # to read a stylesheet that @imports another (the admin's forms.css), it copies the sheets into
        # <style> elements of a scratch document, which the page's CSP refuses. No user's browser runs that.
        if "Content Security Policy" in message.text and message.location.get("url"):
            self.csp_refusals.append(f"{self.page.url}: CSP refusal: {message.text}")


def _violation(url: str, found: dict) -> Violation:
    lines = [f"{url}: {found['id']} ({found['impact']}): {found['help']} <{found['helpUrl']}>"]
    for node in found["nodes"]:
        target = " >> ".join(str(part) for part in node["target"])
        summary = " ".join(node.get("failureSummary", "").split())
        lines.append(f"    {target}: {summary}")
    return Violation(url=url, rule=found["id"], impact=found["impact"], report="\n".join(lines))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After the test body: check the pages it ended on, then fail on what axe (or the CSP) found."""
    guards = item.stash.get(AXE_GUARDS, [])
    try:
        result = yield
    except BaseException:
        # The test's own failure comes first; what the guards found so far goes along with it.
        problems = [problem for guard in guards for problem in guard.problems(with_unchecked=False)]
        if problems:
            item.add_report_section("call", "axe", "\n".join(problems))
        raise
    for guard in guards:
        guard.check_if_unchecked()
    problems = [problem for guard in guards for problem in guard.problems()]
    if problems:
        pytest.fail("Accessibility check failed:\n" + "\n".join(problems), pytrace=False)
    return result


@pytest.fixture(scope="session")
def playwright_driver():
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _mail_links_to_live_server(live_server, settings):
    """Mails build their links on PORTAL_URL (a worker has no request); a browser test follows them."""
    settings.PORTAL_URL = live_server.url


@pytest.fixture
def new_page(browser, live_server, request):
    """Opens a page in a fresh context (own cookies) on live_server; keyword arguments go to new_context."""
    contexts: list[BrowserContext] = []
    guards = request.node.stash.setdefault(AXE_GUARDS, [])

    def open_page(**context_options) -> Page:
        options = {"base_url": live_server.url, "locale": "en-GB", **context_options}
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        javascript = options.get("java_script_enabled", True)
        guard = AxeGuard(page, javascript=javascript, origin=options["base_url"])
        guard.attach()
        _GUARD_OF_PAGE[page] = guard
        guards.append(guard)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def check_a11y():
    """check_a11y(page) runs axe now, e.g. after the page changed without a navigation."""
    return lambda page: _GUARD_OF_PAGE[page].check()


@pytest.fixture
def axe_guard():
    """axe_guard(page) is the AxeGuard of a page opened by new_page (for the harness's own tests)."""
    return _GUARD_OF_PAGE.__getitem__


@pytest.fixture
def log_in():
    """Logs in through the login form with e-mail and password."""

    def log_in(page: Page, email: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.get_by_label(re.compile(r"^Email:?$")).fill(email)
        page.get_by_label(re.compile(r"^Password:?$")).fill(password)
        page.get_by_role("button", name="Sign In").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

    return log_in
