"""Property-based (hypothesis): whatever query string, path, method or form body a visitor or a
robot sends to a public URL, the answer is a page, a redirect or a 4xx, never a server error.

The Django test client re-raises any exception a view lets through, so a failing example comes
with its traceback; hypothesis then shrinks it to the smallest request that fails. The exports,
the feed and the sitemap are included even where they answer 404, so that they are covered as
soon as they exist.
"""

import json
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from hypothesis import event, given
from hypothesis import strategies as st

from examples.models import Example
from examples.status import ExampleStatus

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/exemples/",
    "/exemples/ronalpia/",
    "/categories/mecenat/",
    "/fonctions/accompagnements/",
    "/departements/69/",
    "/departements/2A/",
    "/regions/84/",
    "/territoires/",
    "/territoires/paris-est-marne-et-bois/",
    "/a-propos/",
    "/proposer/",
    "/proposer/merci/",
    "/sante/",
    "/exemples/export.csv",
    "/exemples/export.json",
    "/exemples/flux/",
    "/sitemap.xml",
    "/robots.txt",
]
PUBLIC_PREFIXES = [
    "/exemples/",
    "/categories/",
    "/fonctions/",
    "/departements/",
    "/regions/",
    "/territoires/",
    "/exemples/export.csv",
    "/exemples/export.json",
    "/exemples/flux/",
    "/sitemap.xml",
    "/robots.txt",
    "/proposer/",
    "/sante/",
    "/a-propos/",
]
LIST_PARAMETERS = ["q", "categorie", "fonction", "theme", "departement", "region", "tri", "page"]
KNOWN_VALUES = [
    "mecenat",
    "accompagnements",
    "education",
    "69",
    "2A",
    "84",
    "titre",
    "recent",
    "pertinence",
    "1",
    "2",
    "sliver geek",
    "tiers-lieu",
]
# What PostgreSQL's websearch_to_tsquery and to_tsquery give a meaning to, and more.
SEARCH_SYNTAX = "\"'-()|&!:*<>~^\\«»’ or OR"
RAW_QUERY_FRAGMENTS = [
    "%00",
    "q=%00",
    "page=%00",
    "%FF%FE",
    "q=%C3",
    "%",
    "%zz",
    "&&",
    "=",
    "==",
    ";",
    "+",
    "page=-1",
    "page=1e9",
    "page=0x10",
    "page=%F0%9F%98%80",
    "departement=69&departement=69",
    "tri=-titre",
    'q="',
    "q=%22%22%22",
    "q=-",
]
PATH_SEGMENTS = [
    "",
    ".",
    "..",
    "%00",
    "%2F",
    "%FF",
    "%C3%A9",
    "é",
    "ronalpia",
    "ronalpia%00",
    "69",
    "2A",
    "2a",
    "99",
    "mecenat",
    "merci",
    "paris-est-marne-et-bois",
    "export.csv",
    "flux",
    "index.php",
    "~",
    "a" * 300,
]
PROPOSAL_FIELDS = [
    "title",
    "description",
    "partners",
    "departements",
    "is_national",
    "category",
    "function",
    "website",
    "contact_email",
    "fax",
]
VALID_PROPOSAL = {
    "title": "Le jardin partagé des Minguettes",
    "description": "Une association et un bailleur cultivent ensemble un jardin.",
    "partners": "Association Graines\nBailleur Est Métropole",
    "departements": ["69"],
    "category": "pratiques-responsables",
    "function": "gestion-d-un-lieu",
    "website": "https://jardin.example.org",
    "contact_email": "camille@example.org",
    "fax": "",
}
PROPOSAL_STATUSES = {200, 302, 400, 413}


def long_text(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    # Built by repetition: hypothesis draws huge strings slowly, one character at a time.
    return st.builds(
        lambda piece, times: (piece * times)[:max_size],
        st.text(min_size=1, max_size=3),
        st.integers(min_value=min_size, max_value=max_size),
    )


values = st.one_of(
    st.sampled_from(KNOWN_VALUES),
    st.text(max_size=40),
    st.text(alphabet=SEARCH_SYNTAX + " ab", max_size=30),
    st.integers().map(str),
    st.floats().map(str),
    long_text(1_000, 20_000),
)
keys = st.one_of(st.sampled_from(LIST_PARAMETERS), st.text(max_size=20))


@st.composite
def query_strings(draw) -> str:
    pieces = draw(
        st.lists(
            st.one_of(
                st.lists(st.tuples(keys, values), min_size=1, max_size=10).map(
                    lambda pairs: urlencode(pairs, quote_via=quote)
                ),
                st.sampled_from(RAW_QUERY_FRAGMENTS),
            ),
            max_size=4,
        )
    )
    return "&".join(pieces)


@st.composite
def paths(draw) -> str:
    segments = draw(
        st.lists(
            st.one_of(
                st.sampled_from(PATH_SEGMENTS),
                st.text(max_size=30).map(lambda text: quote(text, safe="")),
                st.text(
                    alphabet=st.characters(exclude_characters="?#", exclude_categories=["Cs"]),
                    max_size=20,
                ),
            ),
            min_size=1,
            max_size=4,
        )
    )
    trailing_slash = draw(st.booleans())
    return (
        draw(st.sampled_from(PUBLIC_PREFIXES))
        + "/".join(segments)
        + ("/" if trailing_slash else "")
    )


cookie_values = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=80),
    st.sampled_from(["", "x" * 5000, '"', "%00", "a;b"]),
)
request_headers = st.fixed_dictionaries(
    {},
    optional={
        # htmx asks for the list's results fragment; anyone can send these headers.
        "HTTP_HX_REQUEST": st.sampled_from(["true", "false", "", "1"]),
        "HTTP_HX_TRIGGER": st.one_of(st.just("filtres"), st.text(max_size=20)),
        "HTTP_HX_HISTORY_RESTORE_REQUEST": st.sampled_from(["true", "x"]),
        "HTTP_HX_CURRENT_URL": st.text(max_size=60),
        "HTTP_COOKIE": st.builds(
            lambda session, csrf: f"sessionid={session}; csrftoken={csrf}",
            cookie_values,
            cookie_values,
        ),
        "HTTP_ACCEPT_LANGUAGE": st.one_of(
            st.sampled_from(["en", "fr-FR,fr;q=0.9", "*", "zz;q=abc", "a" * 2000]),
            st.text(max_size=40),
        ),
        "HTTP_ACCEPT": st.sampled_from(["application/json", "text/csv", "*/*", ";;;"]),
    },
)


def assert_no_server_error(response) -> None:
    event(f"status {response.status_code}")
    assert response.status_code < 500, response.content[:2000]


@given(url=st.sampled_from(PUBLIC_URLS), query=query_strings(), headers=request_headers)
def test_any_query_string_on_a_public_url(url, query, headers):
    response = Client().get(f"{url}?{query}", **headers)
    assert_no_server_error(response)
    if url in {"/", "/exemples/", "/exemples/ronalpia/", "/territoires/", "/proposer/"}:
        assert response.status_code == 200


@given(path=paths(), query=st.one_of(st.just(""), query_strings()))
def test_any_path_under_a_public_prefix(path, query):
    response = Client().get(f"{path}?{query}" if query else path)
    assert_no_server_error(response)


@given(
    url=st.sampled_from(PUBLIC_URLS),
    method=st.sampled_from(["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE"]),
    body=st.binary(max_size=200),
    content_type=st.sampled_from(
        ["application/x-www-form-urlencoded", "multipart/form-data", "application/json", ""]
    ),
)
def test_any_method_and_body_on_a_public_url(url, method, body, content_type):
    response = Client().generic(method, url, body, content_type=content_type)
    assert_no_server_error(response)


proposal_values = st.one_of(
    values,
    st.lists(values, max_size=4),
    st.booleans(),
    st.integers(),
    st.sampled_from(["69", "2A", "999", "mecenat", "on", "off", "true", "", "\x00"]),
)


@st.composite
def proposal_bodies(draw) -> dict:
    """A valid proposal with some fields changed, removed or added."""
    body = dict(VALID_PROPOSAL)
    for field in draw(st.lists(st.sampled_from(PROPOSAL_FIELDS), unique=True)):
        if draw(st.booleans()):
            body[field] = draw(proposal_values)
        else:
            body.pop(field, None)
    body.update(
        draw(st.dictionaries(st.text(min_size=1, max_size=15), proposal_values, max_size=3))
    )
    return body


def form_encoded(body: dict) -> str:
    return urlencode(
        [
            (key, str(item))
            for key, value in body.items()
            for item in (value if isinstance(value, list) else [value])
        ],
        quote_via=quote,
    )


def assert_proposal_handled(response) -> None:
    assert_no_server_error(response)
    assert response.status_code in PROPOSAL_STATUSES
    if response.status_code == 200:
        # Not accepted: the visitor is told why, and nothing is lost silently.
        assert "Votre proposition n’a pas encore été envoyée" in response.content.decode()


@given(body=proposal_bodies(), encoding=st.sampled_from(["multipart", "urlencoded", "json"]))
def test_any_proposal_form_body(body, encoding):
    # Every example is a new visitor: the rate limit must not hide the form's own answer.
    cache.clear()
    client = Client()
    proposals_before = Example.objects.filter(status=ExampleStatus.PROPOSE).count()
    if encoding == "multipart":
        response = client.post("/proposer/", body)
    elif encoding == "urlencoded":
        response = client.post(
            "/proposer/", form_encoded(body), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post("/proposer/", json.dumps(body), content_type="application/json")
    assert_proposal_handled(response)
    created = Example.objects.filter(status=ExampleStatus.PROPOSE).count() - proposals_before
    assert created == (1 if response.status_code == 302 else 0)


@given(body=st.binary(max_size=2_000))
def test_any_raw_bytes_as_a_proposal(body):
    cache.clear()
    response = Client().post("/proposer/", body, content_type="application/x-www-form-urlencoded")
    assert_proposal_handled(response)


@given(body=proposal_bodies())
def test_proposals_without_the_security_token_are_refused(body):
    cache.clear()
    response = Client(enforce_csrf_checks=True).post("/proposer/", body)
    assert response.status_code == 403


address_headers = st.one_of(
    st.ip_addresses().map(str),
    st.lists(st.ip_addresses().map(str), min_size=2, max_size=4).map(", ".join),
    st.sampled_from(["", "unknown", "203.0.113.9:443", "[::1]", "for=192.0.2.60", " , "]),
    st.text(max_size=40),
)


@given(
    meta_key=st.sampled_from(["REMOTE_ADDR", "HTTP_X_REAL_IP", "HTTP_X_FORWARDED_FOR"]),
    header=address_headers,
    # A server listening on a Unix socket leaves REMOTE_ADDR empty.
    remote_addr=st.sampled_from(["127.0.0.1", "::1", ""]),
    url=st.sampled_from(["/proposer/", "/admin/login/"]),
)
def test_any_client_address_behind_a_proxy(meta_key, header, remote_addr, url):
    """Rate limits and login lockouts key on the client address: whatever the proxy header
    holds, even a forged or missing value, the form still answers."""
    cache.clear()
    body = VALID_PROPOSAL if url == "/proposer/" else {"username": "x", "password": "y"}
    meta = {"REMOTE_ADDR": remote_addr}
    if meta_key != "REMOTE_ADDR":
        meta[meta_key] = header
    with override_settings(CLIENT_IP_META_KEY=meta_key):
        response = Client().post(url, body, **meta)
    assert_no_server_error(response)
    # Failed logins pile up across examples until the lockout (429).
    assert response.status_code in ({302} if url == "/proposer/" else {200, 429})
