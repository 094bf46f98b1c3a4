"""French typography on the public pages (issue 18, item 4): a typographic apostrophe between
letters, a non-breaking space inside « », and « aucun exemple publié » in the singular."""

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/exemples/",
    "/exemples/?page=2",
    "/exemples/ronalpia/",
    "/exemples/labo-des-partenariats-alsace/",
    "/exemples/maison-des-associations-pays-d-aix/",
    "/categories/",
    "/categories/mecenat/",
    "/fonctions/",
    "/fonctions/gestion-d-un-lieu/",
    "/territoires/",
    "/regions/",
    "/regions/93/",
    "/departements/",
    "/departements/16/",
    "/departements/69/",
    "/partenaires/",
    "/a-propos/",
    "/proposer/",
    "/mentions-legales/",
    "/accessibilite/",
    "/donnees-personnelles/",
    "/contact/",
    "/plan-du-site/",
    "/api/",
]
STRAIGHT_APOSTROPHE = re.compile(r"\w'\w")
BARE_GUILLEMETS = re.compile(r"« | »|«\w|\w»")
PLURAL_AFTER_NONE = re.compile(r"[Aa]ucun exemple \w+s\b")


class VisibleText(HTMLParser):
    """The text a reader sees: no script, style or code."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "code", "pre", "textarea", "datalist"}:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style", "code", "pre", "textarea", "datalist"}:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.mark.parametrize("url", PAGES)
def test_a_public_page_follows_french_typography(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert STRAIGHT_APOSTROPHE.findall(text) == []
    assert BARE_GUILLEMETS.findall(text) == []
    assert PLURAL_AFTER_NONE.findall(text) == []


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Pays d'Aix (13)", "Pays d\u2019Aix (13)"),
        ("le kit « L'ODD 17 »", "le kit «\u00a0L\u2019ODD 17\u00a0»"),
        ("Start Up de Territoire / Labo", "Start Up de Territoire / Labo"),
    ],
)
def test_a_quoted_text_gets_french_typography_and_keeps_its_words(written, shown):
    from examples.templatetags.annuaire import typographie

    assert typographie(written) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "Une association et une entreprise s’allient. Elles forment des jeunes depuis 2015 "
            "dans tout le département et bien au-delà.",
            "Une association et une entreprise s’allient.",
        ),
        ("Court.", "Court."),
        (
            "Un texte sans point qui continue longtemps sur bien des mots encore",
            "Un texte sans point qui continue longtemps sur bien des…",
        ),
    ],
)
def test_a_card_ends_on_a_whole_sentence_or_an_ellipsis(text, shown):
    from examples.templatetags.annuaire import excerpt

    assert excerpt(text, 60 if len(text) > 60 else 30) == shown


def test_the_home_category_cards_end_on_a_whole_sentence(client):
    html = client.get("/").content.decode()
    definitions = re.findall(
        r'<li class="card colour--\w+">\s*<h3.*?</h3>\s*<p>(.*?)</p>', html, re.S
    )
    assert len(definitions) == 4
    for definition in definitions:
        assert definition.strip().endswith("."), definition
