from io import StringIO

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import CommandError, call_command
from django.db import connection

from bench import database
from bench.models import (
    GeneratedExample,
    GeneratedPartner,
    generated_examples,
    generated_partners,
)
from config import page_cache
from examples.models import Category, Example, Partner, PartnerKind, Theme
from examples.provenance import ExampleSource, Origin
from examples.status import ExampleStatus
from territories.models import Departement, Function, Territory

pytestmark = pytest.mark.django_db


def generate(count: int = 50, seed: int = 7) -> str:
    out = StringIO()
    call_command("generate_examples", count=count, seed=seed, verbosity=0, stdout=out)
    return out.getvalue()


def generated_snapshot() -> list[tuple]:
    examples = generated_examples().order_by("pk").for_cards()
    return [
        (
            example.title,
            example.slug,
            example.summary,
            example.description,
            example.search_document,
            sorted(c.slug for c in example.categories.all()),
            sorted(f.slug for f in example.functions.all()),
            sorted(t.slug for t in example.themes.all()),
            sorted(d.code for d in example.departements.all()),
            example.territory_id,
        )
        for example in examples
    ]


def test_generates_published_examples_recorded_as_generated():
    real_examples = Example.objects.count()
    assert "50 exemples publiés générés (graine 7)" in generate()
    generated = generated_examples()
    assert generated.count() == 50
    assert Example.objects.exclude(pk__in=generated).count() == real_examples
    assert set(generated.values_list("status", flat=True)) == {ExampleStatus.PUBLIE}
    assert not generated.filter(published_at__isnull=True).exists()
    # Fictitious: an editorial addition that no source supports.
    assert set(generated.values_list("origin", flat=True)) == {Origin.AJOUT}
    assert not ExampleSource.objects.filter(example__in=generated).exists()
    assert all(len(title) > 20 for title in generated.values_list("title", flat=True))
    assert not generated.filter(summary="").exists()
    assert not generated.filter(description="").exists()


def test_generated_examples_cover_every_category_function_and_theme():
    generate()
    generated = generated_examples()
    for model in (Category, Function, Theme):
        for row in model.objects.all():
            assert row.examples.filter(pk__in=generated).exists(), row
    departements = Departement.objects.filter(examples__in=generated).distinct()
    assert departements.count() >= 20
    # Examples with several categories, functions or départements exist, and national ones
    # have no département.
    for relation in ("categories", "functions", "partners"):
        assert any(getattr(e, relation).count() > 1 for e in generated)
    for example in generated.filter(is_national=True):
        assert not example.departements.exists()


def test_distribution_follows_population():
    generate(count=400, seed=3)
    counts = {
        d.code: d.examples.filter(pk__in=generated_examples()).count()
        for d in Departement.objects.filter(code__in=["59", "75", "48", "23"])
    }
    assert counts["59"] + counts["75"] > 5 * (counts["48"] + counts["23"])


def test_partners_of_every_kind_are_generated_and_shared():
    generate(count=200)
    partners = generated_partners()
    assert set(partners.values_list("kind", flat=True)) == set(PartnerKind.values)
    assert partners.filter(examples__isnull=False).distinct().count() == partners.count()
    busiest = max(partner.examples.count() for partner in partners)
    assert busiest >= 5


def test_territory_is_attached_only_where_the_example_happens():
    generate(count=1000, seed=11)
    territory = Territory.objects.get(slug="paris-est-marne-et-bois")
    attached = generated_examples().filter(territory=territory)
    assert attached.exists()
    for example in attached:
        assert example.departements.filter(code="94").exists()


def test_search_document_matches_the_one_signals_would_write():
    generate()
    for example in generated_examples().for_cards():
        assert example.search_document
        assert sorted(example.build_search_document().split()) == sorted(
            example.search_document.split()
        )


def test_search_vector_finds_generated_examples_by_partner_and_place():
    generate()
    example = generated_examples().order_by("pk").first()
    partner = example.partners.first()
    query = SearchQuery(partner.name, config="french_unaccent", search_type="websearch")
    assert Example.objects.filter(search_vector=query, pk=example.pk).exists()


def test_same_seed_gives_the_same_examples():
    generate(seed=42)
    first = generated_snapshot()
    call_command("generate_examples", delete=True, stdout=StringIO())
    generate(seed=42)
    assert generated_snapshot() == first
    call_command("generate_examples", delete=True, stdout=StringIO())
    generate(seed=43)
    assert [row[0] for row in generated_snapshot()] != [row[0] for row in first]


def test_a_second_run_adds_examples_with_new_slugs():
    generate(seed=1)
    generate(seed=1)
    generated = generated_examples()
    assert generated.count() == 100
    assert generated.values("slug").distinct().count() == 100


def test_examples_and_partners_added_after_a_run_get_keys_of_their_own():
    generate(count=20)
    generated = generated_examples()
    assert not generated.filter(created_at__isnull=True).exists()
    assert not generated.filter(updated_at__isnull=True).exists()

    example = Example.objects.create(
        title="Un exemple saisi par l’équipe", slug="un-exemple-saisi-par-l-equipe"
    )
    partner = Partner.objects.create(name="Un partenaire saisi", slug="un-partenaire-saisi")

    assert example.pk > max(generated.values_list("pk", flat=True))
    assert partner.pk > max(generated_partners().values_list("pk", flat=True))


def test_delete_removes_generated_rows_and_keeps_real_ones():
    real_examples = set(Example.objects.values_list("pk", flat=True))
    real_partners = set(Partner.objects.values_list("pk", flat=True))
    real_links = Example.categories.through.objects.count()
    generate()
    generated_pks = set(generated_examples().values_list("pk", flat=True))
    # A real example that staff linked to a generated partner stays, without the link.
    real = Example.objects.exclude(pk__in=generated_pks).first()
    generated_partner = generated_partners().first()
    real.partners.add(generated_partner)
    real.refresh_from_db()
    assert generated_partner.name in real.search_document
    # A generated example edited since: its history goes with it.
    edited = generated_examples().first()
    edited.summary = "Résumé retouché dans l’administration."
    edited.save()
    assert Example.history.filter(id=edited.pk).exists()
    real_history = set(
        Example.history.exclude(id__in=generated_pks).values_list("history_id", flat=True)
    )

    out = StringIO()
    call_command("generate_examples", delete=True, stdout=out)

    assert "50 exemples et" in out.getvalue()
    assert set(Example.objects.values_list("pk", flat=True)) == real_examples
    assert set(Partner.objects.values_list("pk", flat=True)) == real_partners
    assert Example.categories.through.objects.count() == real_links
    real.refresh_from_db()
    assert generated_partner.name not in real.search_document
    assert not Example.history.filter(id__in=generated_pks).exists()
    assert real_history <= set(Example.history.values_list("history_id", flat=True))
    assert not GeneratedExample.objects.exists()
    assert not GeneratedPartner.objects.exists()


def test_deleting_a_generated_row_deletes_its_record():
    generate(count=5)
    generated_examples().first().delete()
    generated_partners().first().delete()
    assert GeneratedExample.objects.count() == generated_examples().count() == 4
    assert GeneratedPartner.objects.count() == generated_partners().count()


def test_generation_writes_no_history_and_invalidates_the_page_cache(
    django_capture_on_commit_callbacks,
):
    before = page_cache.current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        generate(count=10)
    assert page_cache.current_generation() > before
    assert not Example.history.filter(id__in=generated_examples()).exists()


def database_url(name: str) -> str:
    host = connection.settings_dict["HOST"]
    return f"postgres:///{name}" + (f"?host={host}" if host else "")


@pytest.mark.django_db(transaction=True)
def test_the_bench_reuses_a_database_by_its_recorded_examples(fiche):
    # bench/database.py reads the records from its own connection: they must be committed.
    generate(count=5)
    name = connection.settings_dict["NAME"]
    assert database.generated_count(database_url(name)) == 5
    assert database.generated_count(database_url(f"{name}_absent")) is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "--count N"),
        ({"count": 0}, "--count N"),
        ({"delete": True, "count": 5}, "ne se combine"),
        ({"count": 5, "batch_size": 0}, "--batch-size"),
    ],
)
def test_bad_options_are_refused_with_a_clear_message(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_examples", stdout=StringIO(), **options)
