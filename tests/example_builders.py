"""Small builders for examples, on top of the fiche that every test database holds."""

from datetime import datetime

from django.contrib.auth.models import Permission, User
from django.utils import timezone

from examples.french import slug_from_title
from examples.models import Category, Example, ExampleStatus, Partner, Theme
from examples.partner_kinds import PartnerKind
from territories.models import Departement, Function, Territory


def make_example(
    title: str,
    *,
    status: str = ExampleStatus.PUBLIE,
    summary: str = "",
    description: str = "",
    categories: tuple[str, ...] = (),
    functions: tuple[str, ...] = (),
    themes: tuple[str, ...] = (),
    departements: tuple[str, ...] = (),
    partners: tuple[Partner, ...] = (),
    territory: str | None = None,
    published_at: datetime | None = None,
    sources: tuple[tuple[str, str], ...] = (),
    **fields,
) -> Example:
    """An example with its relations given by slug (départements by code) and its sources as
    (url, publisher) pairs."""
    example = Example.objects.create(
        title=title,
        slug=Example.objects.available_slug(title),
        status=status,
        summary=summary,
        description=description,
        territory=Territory.objects.get(slug=territory) if territory else None,
        published_at=published_at,
        **fields,
    )
    relations = [
        (example.categories, Category.objects.filter(slug__in=categories)),
        (example.functions, Function.objects.filter(slug__in=functions)),
        (example.themes, Theme.objects.filter(slug__in=themes)),
        (example.departements, Departement.objects.filter(code__in=departements)),
        (example.partners, partners),
    ]
    for manager, values in relations:
        if values:
            manager.set(values)
    for order, (url, publisher) in enumerate(sources):
        example.sources.create(url=url, publisher=publisher, order=order)
    return example


def make_partner(name: str, kind: str = "", website: str = "") -> Partner:
    return Partner.objects.create(name=name, slug=slug_from_title(name), kind=kind, website=website)


def make_many_examples(
    count: int,
    *,
    categories: tuple[str, ...] = (),
    functions: tuple[str, ...] = (),
    themes: tuple[str, ...] = (),
    departements: tuple[str, ...] = (),
    territory: str | None = None,
) -> list[Example]:
    """`count` published examples sharing the given relations, each with a partner of its own,
    to check that a page's number of queries does not grow with its results. Created in bulk
    (no search document, no history) to keep the tests fast."""
    now = timezone.now()
    examples = Example.objects.bulk_create(
        Example(
            title=f"Alliance de charge numéro {number}",
            slug=f"alliance-de-charge-{number}",
            summary="Un exemple ajouté pour mesurer les requêtes.",
            status=ExampleStatus.PUBLIE,
            published_at=now,
            territory=Territory.objects.get(slug=territory) if territory else None,
        )
        for number in range(count)
    )
    partners = Partner.objects.bulk_create(
        Partner(
            name=f"Partenaire de charge {number}",
            slug=f"partenaire-de-charge-{number}",
            kind=PartnerKind.ENTREPRISE,
        )
        for number in range(count)
    )
    links = [
        ("categories", Category.objects.filter(slug__in=categories)),
        ("functions", Function.objects.filter(slug__in=functions)),
        ("themes", Theme.objects.filter(slug__in=themes)),
        ("departements", Departement.objects.filter(code__in=departements)),
    ]
    for relation, targets in links:
        field = getattr(Example, relation).field
        field.remote_field.through.objects.bulk_create(
            field.remote_field.through(
                **{field.m2m_field_name(): example, field.m2m_reverse_field_name(): target}
            )
            for example in examples
            for target in targets
        )
    Example.partners.through.objects.bulk_create(
        Example.partners.through(example=example, partner=partner)
        for example, partner in zip(examples, partners, strict=True)
    )
    return examples


def make_staff(username: str = "redaction", *, can_view_examples: bool = True) -> User:
    # No password: tests log in with force_login, and hashing one is slow.
    user = User.objects.create_user(username, is_staff=True)
    if can_view_examples:
        user.user_permissions.add(Permission.objects.get(codename="view_example"))
    return user


def found_by_database(text: str, field: str = "title") -> list:
    """What PostgreSQL's own search (ExampleQuerySet.search) finds, best first: `field` of
    each published example."""
    return list(
        Example.objects.published()
        .search(text)
        .sorted_by("pertinence")
        .values_list(field, flat=True)
    )
