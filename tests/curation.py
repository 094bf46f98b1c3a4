"""Builders for the staff curation tests: staff members in their groups, examples, and the
admin form data that a browser would post for an example."""

from django.contrib.auth.models import Group, User

from examples.models import Category, Example
from examples.roles import EDITORS, MODERATORS
from examples.status import ExampleStatus
from territories.models import Departement, Function

PASSWORD = "un mot de passe solide 2026"


def make_staff(username: str, group: str | None = None, **fields) -> User:
    user = User.objects.create_user(
        username, f"{username}@exemple.fr", PASSWORD, is_staff=True, **fields
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def make_editor(username: str = "redactrice") -> User:
    return make_staff(username, EDITORS)


def make_moderator(username: str = "moderateur") -> User:
    return make_staff(username, MODERATORS)


def make_example(
    title: str = "Alliance pour l’emploi des jeunes à Lyon",
    status: str = ExampleStatus.BROUILLON,
    departements: tuple[str, ...] = ("69",),
    categories: tuple[str, ...] = ("mecenat",),
    functions: tuple[str, ...] = (),
    **fields,
) -> Example:
    fields.setdefault("slug", Example.objects.available_slug(title))
    example = Example.objects.create(title=title, status=status, **fields)
    example.departements.set(Departement.objects.filter(code__in=departements))
    example.categories.set(Category.objects.filter(slug__in=categories))
    example.functions.set(Function.objects.filter(slug__in=functions))
    return example


def change_form_data(example: Example, **changes) -> dict:
    """What the admin change form posts for `example` as it is, with `changes` applied."""
    data = {
        "title": example.title,
        "slug": example.slug,
        "summary": example.summary,
        "description": example.description,
        "categories": [c.pk for c in example.categories.all()],
        "functions": [f.pk for f in example.functions.all()],
        "themes": [t.pk for t in example.themes.all()],
        "departements": [d.pk for d in example.departements.all()],
        "territory": example.territory_id or "",
        "partners": [p.pk for p in example.partners.all()],
        "proposed_partners": example.proposed_partners,
        "website": example.website,
        "source": example.source,
        "source_url": example.source_url,
        "last_verified_at": example.last_verified_at or "",
        "status": example.status,
        "contact_email": example.contact_email,
    }
    if example.is_national:
        data["is_national"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def new_example_data(**changes) -> dict:
    data = {
        "title": "Coopérative des savoir-faire de la Drôme",
        "slug": "cooperative-des-savoir-faire-de-la-drome",
        "description": "Une entreprise et une association forment ensemble des artisans.",
        "categories": [Category.objects.get(slug="cooperation-economique").pk],
        "departements": [Departement.objects.get(code="26").pk],
        "status": ExampleStatus.BROUILLON,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
