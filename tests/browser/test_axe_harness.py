"""The harness's own checks: axe reaches pages with and without JavaScript, and nothing slips past it."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# No lang (serious), an image without alt text (critical), no h1 (moderate, so not a failure).
FLAWED_PAGE = (
    "<!DOCTYPE html><html><head><title>Flawed</title></head>"
    '<body><main><h3>Flawed page</h3><img src="/static/missing.png"></main></body></html>'
)
INLINE_STYLE_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><title>Styled</title></head>'
    '<body><main><h1 style="color: red">Styled page</h1></main></body></html>'
)

INLINE_SCRIPT_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><title>Scripted</title></head>'
    "<body><main><h1>Scripted page</h1><script>document.title = 'Run';</script></main></body></html>"
)


def _serve(page, path: str, html: str) -> None:
    headers = {"Content-Security-Policy": "default-src 'self'"}
    page.route(f"**{path}", lambda route: route.fulfill(body=html, content_type="text/html", headers=headers))


@pytest.mark.parametrize("javascript", [True, False])
def test_axe_guard_flawed_page_records_serious_and_critical(new_page, axe_guard, javascript):
    page = new_page(java_script_enabled=javascript)
    _serve(page, "/flawed/", FLAWED_PAGE)

    page.goto("/flawed/")
    expect(page.get_by_role("heading", name="Flawed page")).to_be_visible()

    guard = axe_guard(page)
    assert [(violation.rule, violation.impact) for violation in guard.violations] == [
        ("html-has-lang", "serious"),
        ("image-alt", "critical"),
    ]
    assert "\n    img: Fix any of the following:" in guard.violations[1].report
    guard.violations.clear()


def test_axe_guard_page_left_unchecked_is_reported(page, axe_guard, live_server):
    page.goto("/accounts/login/")
    page.goto("/accounts/signup/")
    expect(page.get_by_role("heading", name="Sign Up")).to_be_visible()

    guard = axe_guard(page)
    assert guard.problems() == [
        f"{live_server.url}/accounts/login/: left before the axe check ran; "
        "act on or assert something on it, or call check_a11y(page)"
    ]
    guard.documents.clear()


def test_axe_guard_inline_style_under_csp_is_reported(page, axe_guard):
    _serve(page, "/styled/", INLINE_STYLE_PAGE)

    page.goto("/styled/")
    expect(page.get_by_role("heading", name="Styled page")).to_be_visible()

    guard = axe_guard(page)
    assert len(guard.csp_refusals) == 1
    assert "Applying inline style violates" in guard.csp_refusals[0]
    guard.csp_refusals.clear()


def test_axe_guard_inline_script_under_csp_is_reported(page, axe_guard):
    _serve(page, "/scripted/", INLINE_SCRIPT_PAGE)

    page.goto("/scripted/")
    expect(page.get_by_role("heading", name="Scripted page")).to_be_visible()

    guard = axe_guard(page)
    assert len(guard.csp_refusals) == 1
    assert "Executing inline script violates" in guard.csp_refusals[0]
    guard.csp_refusals.clear()


def test_axe_guard_stylesheet_with_import_under_csp_is_no_refusal(page, axe_guard):
    """axe-core copies a sheet that @imports another into <style> elements (refused by the CSP); the page
    itself loads both sheets from its own origin, which the CSP allows."""
    page.route(
        "**/outer.css", lambda route: route.fulfill(body='@import url("inner.css");', content_type="text/css")
    )
    page.route(
        "**/inner.css", lambda route: route.fulfill(body="h1 { color: #000; }", content_type="text/css")
    )
    _serve(
        page,
        "/imports/",
        '<!DOCTYPE html><html lang="en"><head><title>Imports</title><link rel="stylesheet" href="/outer.css">'
        "</head><body><main><h1>Imported styles</h1></main></body></html>",
    )

    page.goto("/imports/")
    expect(page.get_by_role("heading", name="Imported styles")).to_be_visible()

    guard = axe_guard(page)
    guard.check()
    assert guard.documents[-1].checked
    assert guard.csp_refusals == []
