"""Partners as the fiche's subject: their pages, their kinds as a facet of the list, and their
names in the search."""

import json

import pytest
from django.urls import reverse

from examples.facets import Facet
from examples.models import Example, ExamplePartner, ExampleStatus, Partner
from examples.partner_kinds import PartnerKind

from .example_builders import make_example, make_partner

pytestmark = pytest.mark.django_db


def published_with_partner_kind(kind: str) -> set[str]:
    return set(
        Example.objects.published()
        .filter(partners__kind=kind)
        .values_list("title", flat=True)
        .distinct()
    )


def test_a_partner_page_lists_its_published_alliances_with_its_role(client):
    partner = Partner.objects.get(slug="fondation-macif")
    links = ExamplePartner.objects.filter(partner=partner, example__status=ExampleStatus.PUBLIE)
    assert links.exists()
    response = client.get(partner.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Fondation Macif</h1>" in html
    assert "Fondation" in html  # its kind, above the name
    for link in links.select_related("example"):
        assert f'<a href="{link.example.get_absolute_url()}">' in html
        if link.role:
            assert link.role in html
    assert f"{links.count()} alliance" in html


def test_a_partner_page_leaves_out_drafts(client):
    partner = make_partner("Coopérative des essais", kind=PartnerKind.ENTREPRISE)
    make_example("Alliance publiée des essais", departements=("26",), partners=(partner,))
    make_example(
        "Brouillon des essais",
        departements=("26",),
        partners=(partner,),
        status=ExampleStatus.BROUILLON,
    )
    html = client.get(partner.get_absolute_url()).content.decode()
    assert "Alliance publiée des essais" in html
    assert "Brouillon des essais" not in html


def test_a_partner_of_no_published_alliance_is_a_404(client):
    partner = make_partner("Partenaire sans alliance")
    assert client.get(partner.get_absolute_url()).status_code == 404
    assert client.get("/partenaires/inconnu/").status_code == 404


def test_the_partner_index_groups_partners_by_kind_with_counts(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get(reverse("examples:partner_index"))
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Associations", "Entreprises", "Fondations", "Acteurs publics"):
        assert title in html
    assert 'href="/partenaires/fondation-macif/">Fondation Macif</a>' in html
    assert "Ajout éditorial" in html


def test_the_detail_page_links_each_partner_to_its_page(client):
    html = client.get(reverse("examples:detail", args=["silver-geek"])).content.decode()
    assert 'href="/partenaires/fondation-macif/">Fondation Macif</a>' in html


@pytest.mark.parametrize("kind", ["entreprise", "association", "acteur_public", "fondation"])
def test_the_partner_kind_facet_keeps_alliances_with_at_least_one_such_partner(client, kind):
    response = client.get(reverse("examples:list"), {"type_partenaire": kind})
    assert response.status_code == 200
    expected = published_with_partner_kind(kind)
    assert expected
    titles = {example.title for example in response.context["page"].object_list}
    assert titles <= expected
    assert response.context["page"].paginator.count == len(expected)
    legends = [facet.legend for facet in response.context["facets"]]
    assert "Type de partenaire" in legends


def test_two_partner_kinds_are_or_ed_and_shown_as_chips(client):
    response = client.get(
        reverse("examples:list"), {"type_partenaire": ["fondation", "acteur_public"]}
    )
    expected = published_with_partner_kind("fondation") | published_with_partner_kind(
        "acteur_public"
    )
    assert response.context["page"].paginator.count == len(expected)
    chips = [(chip.label, chip.value) for chip in response.context["active_filters"]]
    assert ("Type de partenaire", "Fondation") in chips
    assert ("Type de partenaire", "Acteur public") in chips


def test_the_partner_kind_facet_counts_each_kind(client):
    facets = {
        facet.param: facet for facet in client.get(reverse("examples:list")).context["facets"]
    }
    counts = {option.value: option.count for option in facets[Facet.TYPE_PARTENAIRE].options}
    assert counts["entreprise"] == len(published_with_partner_kind("entreprise"))
    assert counts["fondation"] == len(published_with_partner_kind("fondation"))


def test_an_unknown_partner_kind_is_refused_in_french(client):
    response = client.get(reverse("examples:list"), {"type_partenaire": "multinationale"})
    assert response.status_code == 200
    assert "multinationale" in response.content.decode()
    assert response.context["problems"]


def test_the_export_applies_the_partner_kind_filter(client):
    response = client.get(reverse("examples:export_json"), {"type_partenaire": "fondation"})

    data = json.loads(b"".join(response.streaming_content))
    assert {record["titre"] for record in data["exemples"]} == published_with_partner_kind(
        "fondation"
    )
    assert all(record["sources"] for record in data["exemples"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Fondation Macif", "Silver Geek"),
        ("Unis-Cité", "Silver Geek"),
    ],
)
def test_partner_names_are_searched(client, query, expected):
    response = client.get(reverse("examples:list"), {"q": query})
    titles = [example.title for example in response.context["page"].object_list]
    assert expected in titles
