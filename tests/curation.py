"""Builders for the staff curation tests: staff members in their groups, examples, and the
admin form data that a browser would post for an example."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from examples.models import Category, Example, ExampleCategory, ExamplePartner
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


def log_admin_change(obj: Model, user: User | None = None) -> LogEntry:
    """What the admin records when staff change `obj`: load_fiche keeps such rows as they are."""
    return LogEntry.objects.create(
        user=user or make_editor(),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj),
        action_flag=CHANGE,
        change_message="[]",
    )


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
        "functions": [f.pk for f in example.functions.all()],
        "themes": [t.pk for t in example.themes.all()],
        "departements": [d.pk for d in example.departements.all()],
        "territory": example.territory_id or "",
        "proposed_partners": example.proposed_partners,
        "website": example.website,
        "origin": example.origin,
        "last_verified_at": example.last_verified_at or "",
        "status": example.status,
        "contact_email": example.contact_email,
    }
    if example.is_national:
        data["is_national"] = "on"
    categories = changes.pop("categories", [c.pk for c in example.categories.all()])
    partners = changes.pop("partners", [p.pk for p in example.partners.all()])
    data.update(changes)
    data.update(inline_data(example, categories, partners))
    return {key: value for key, value in data.items() if value is not None}


def link_rows(prefix: str, field: str, stored: list, wanted: list) -> dict:
    """An admin inline's POST data: the stored rows (deleted when no longer wanted), then one
    new row for each wanted value not stored yet."""
    stored_values = [getattr(row, f"{field}_id") for row in stored]
    new_values = [value for value in wanted if value not in stored_values]
    data = {
        f"{prefix}-TOTAL_FORMS": len(stored) + len(new_values),
        f"{prefix}-INITIAL_FORMS": len(stored),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for number, row in enumerate(stored):
        data[f"{prefix}-{number}-id"] = row.pk
        data[f"{prefix}-{number}-example"] = row.example_id
        data[f"{prefix}-{number}-{field}"] = getattr(row, f"{field}_id")
        if getattr(row, f"{field}_id") not in wanted:
            data[f"{prefix}-{number}-DELETE"] = "on"
    for number, value in enumerate(new_values, start=len(stored)):
        data[f"{prefix}-{number}-{field}"] = value
    return data


def inline_data(example: Example | None, categories: list, partners: list) -> dict:
    """The four inlines of the example form: categories and partners as wanted, sources and
    figures unchanged."""
    stored_categories = list(ExampleCategory.objects.filter(example=example)) if example else []
    stored_partners = list(ExamplePartner.objects.filter(example=example)) if example else []
    data = {
        **link_rows("examplecategory_set", "category", stored_categories, categories),
        **link_rows("examplepartner_set", "partner", stored_partners, partners),
    }
    for prefix in ("sources", "figures"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": 0,
                f"{prefix}-INITIAL_FORMS": 0,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
    if example is not None:
        stored = {"sources": example.sources.all(), "figures": example.figures.all()}
        for prefix, rows in stored.items():
            rows = list(rows)
            data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = len(rows)
            for number, row in enumerate(rows):
                for field in row._meta.concrete_fields:
                    value = getattr(row, field.attname)
                    if field.attname == "is_fiche":
                        if value:
                            data[f"{prefix}-{number}-is_fiche"] = "on"
                        continue
                    data[f"{prefix}-{number}-{field.name}"] = "" if value is None else value
    return data


def new_example_data(**changes) -> dict:
    data = {
        "title": "Coopérative des savoir-faire de la Drôme",
        "slug": "cooperative-des-savoir-faire-de-la-drome",
        "description": "Une entreprise et une association forment ensemble des artisans.",
        "departements": [Departement.objects.get(code="26").pk],
        "status": ExampleStatus.BROUILLON,
        "origin": "ajout",
    }
    categories = changes.pop("categories", [Category.objects.get(slug="cooperation-economique").pk])
    partners = changes.pop("partners", [])
    data.update(changes)
    data.update(inline_data(None, categories, partners))
    return {key: value for key, value in data.items() if value is not None}
