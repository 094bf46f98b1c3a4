"""Security headers on every response, and public pages that a strict CSP does not break.

The admin under the CSP in a real browser: test_browser_csp.py.
"""

from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model

from examples.models import Example

pytestmark = pytest.mark.django_db

MAX_PAGES = 400


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (directive.split() for directive in policy.split(";") if directive)
    }


class PageScan(HTMLParser):
    """Collects a page's same-site links and everything a `'self'`-only CSP would block."""

    def __init__(self) -> None:
        super().__init__()
        self.links: set[str] = set()
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        # JSON-LD is data that browsers never run: the policy has nothing to allow for it.
        is_data = attributes.get("type") == "application/ld+json"
        if tag == "script" and not attributes.get("src") and not is_data:
            self.inline.append("<script> without src")
        if tag == "style":
            self.inline.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.inline.append(f"<{tag} {name}=…>")
            if value and value.strip().lower().startswith("javascript:"):
                self.inline.append(f"<{tag} {name}=javascript:…>")
        if tag == "a" and attributes.get("href"):
            self.links.add(attributes["href"])


def test_public_page_sends_the_security_headers(client):
    response = client.get("/")
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()"]:
        assert feature in permissions


def test_content_security_policy_allows_only_this_site(client):
    directives = csp_directives(client.get("/"))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    policy = str(directives)
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "*" not in policy


def test_public_pages_need_no_nonce(client):
    # A nonce would tie the page to one response: public pages must stay cacheable.
    assert "nonce-" not in client.get("/")["Content-Security-Policy"]


def test_error_and_health_responses_carry_the_policy_too(client):
    for url in ["/une-page-qui-n-existe-pas/", "/sante/"]:
        assert "default-src 'self'" in client.get(url)["Content-Security-Policy"]


def test_public_pages_carry_no_inline_script_or_style(client):
    """Every page reachable from the home page, as a visitor (or a crawler) would find it."""
    to_visit, seen, problems = ["/"], set(), {}
    while to_visit and len(seen) < MAX_PAGES:
        url = to_visit.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        if not response["Content-Type"].startswith("text/html"):
            continue
        scan = PageScan()
        scan.feed(response.content.decode())
        if scan.inline:
            problems[url] = scan.inline
        for link in scan.links:
            target = urldefrag(link).url
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(("/admin/", "/static/")):
                continue
            # Pages differ by path; query strings only filter them (the fuzz test covers those).
            to_visit.append(parts.path)
    assert problems == {}
    assert seen


def test_admin_gets_a_nonce_for_its_own_scripts(client):
    user = get_user_model().objects.create_superuser("moderatrice", "m@example.org", "x")
    client.force_login(user)
    example = Example.objects.first()
    response = client.get(f"/admin/examples/example/{example.pk}/change/")
    assert response.status_code == 200
    nonce = next(
        value.removeprefix("'nonce-").removesuffix("'")
        for value in csp_directives(response)["script-src"]
        if value.startswith("'nonce-")
    )
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "unsafe-inline" not in response["Content-Security-Policy"]
