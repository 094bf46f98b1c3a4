"""Generate published, fictitious examples for load tests, or delete them all again (--delete).

The bench app records the examples and partners it generates in its own tables (bench/models.py):
--delete removes exactly those rows, whatever their slugs or texts became, and never a real
entry. Like the rows themselves, the records are written with COPY.

Speed comes from writing every row, examples, partners, many-to-many links and records, with
PostgreSQL's COPY, in batches, which skips building a link instance per relation and INSERT
statements with a parameter per value (measures in docs/performance-history.md). Most of the
rest is PostgreSQL computing the two search vectors of each row; a thread plans the next batch
meanwhile. COPY sends no signal, so the command fills `search_document` itself (the same text as
Example.build_search_document()) and lets PostgreSQL compute `search_vector`; COPY fires the
tables' statement triggers, which change the directory's version (examples/directory_version.py)
as any other write does. It writes no django-simple-history rows: history records the team's
edits, and a history row per generated example would make the run much longer for nothing.
Editing a generated example in the admin then starts its history as usual.
"""

import random
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone
from tqdm import tqdm

from bench.models import GeneratedExample, GeneratedPartner
from bench.synthetic import ExampleGenerator, PlannedExample, ReferenceData
from examples.columns import column
from examples.models import Example, Partner

RELATIONS = ("categories", "functions", "themes", "departements", "partners")


def through_table(relation: str) -> tuple[type[models.Model], str, str]:
    """The automatic many-to-many model of Example.<relation> and its two foreign keys."""
    field = Example._meta.get_field(relation)
    assert isinstance(field, models.ManyToManyField) and field.remote_field.through
    return field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name()


def plan_batch(
    generator: ExampleGenerator, size: int
) -> tuple[list[PlannedExample], list[Partner]]:
    """`size` examples, and the partners they introduce, which must be saved before them."""
    planned = [generator.plan() for _ in range(size)]
    return planned, generator.partners.take_unsaved()


def planned_ahead(
    generator: ExampleGenerator, sizes: list[int]
) -> Iterator[tuple[list[PlannedExample], list[Partner]]]:
    """The batches of these sizes, each planned in a thread while the caller inserts the one
    before: PostgreSQL computing the search vectors of a batch and Python writing the next take
    the two cores at once (the insert releases the GIL while it waits on the database). One
    planning thread keeps the seed's order."""
    with ThreadPoolExecutor(max_workers=1) as planner:
        upcoming = planner.submit(plan_batch, generator, sizes[0])
        for size in sizes[1:]:
            current, upcoming = upcoming, planner.submit(plan_batch, generator, size)
            yield current.result()
        yield upcoming.result()


def copy_rows(table: str, columns: list[str], rows: Iterable[Sequence]) -> None:
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def copy_instances(instances: Sequence[models.Model]) -> None:
    """Insert new instances of one model with COPY, as bulk_create would.

    COPY returns no keys, so they are drawn from the table's own sequence first: the site's later
    inserts never collide with them, and the caller can link the instances at once."""
    if not instances:
        return
    meta = instances[0]._meta
    fields = [field for field in meta.concrete_fields if not field.generated]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(instances)],
        )
        for instance, (key,) in zip(instances, cursor.fetchall(), strict=True):
            instance.pk = key
            instance._state.adding = False
            instance._state.db = connection.alias
    copy_rows(
        meta.db_table,
        [column(field) for field in fields],
        (
            [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
            for instance in instances
        ),
    )


def record_generated(records: type[models.Model], instances: Sequence[models.Model]) -> None:
    """Record just inserted rows as generated, in the bench app's table `records`."""
    copy_rows(
        records._meta.db_table,
        [column(records._meta.pk)],
        ([instance.pk] for instance in instances),
    )


def delete_generated_rows(records: type[models.Model]) -> int:
    """One DELETE statement for the rows recorded in `records` and their records. Model.delete()
    would send a signal per row, and write as many history rows and page cache invalidations."""
    quote = connection.ops.quote_name
    target_model = records._meta.pk.related_model
    assert isinstance(target_model, type)  # the generated row's model
    target = target_model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH records AS (DELETE FROM {quote(records._meta.db_table)} "
            f"RETURNING {quote(column(records._meta.pk))} AS id) "
            f"DELETE FROM {quote(target.db_table)} "
            f"WHERE {quote(column(target.pk))} IN (SELECT id FROM records)"
        )
        return cursor.rowcount


class Command(BaseCommand):
    help = (
        "Génère N exemples publiés fictifs pour les tests de charge "
        "(--count N [--seed S]), ou les supprime tous (--delete)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, help="nombre d'exemples à générer")
        parser.add_argument(
            "--seed",
            type=int,
            help="graine du générateur : la même graine donne les mêmes exemples",
        )
        parser.add_argument(
            "--delete",
            action="store_true",
            help="supprime tous les exemples et partenaires générés, et rien d'autre",
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="exemples insérés par lot (2000)"
        )

    def handle(self, *args, count: int | None, seed: int | None, delete: bool, **options) -> None:
        if delete:
            if count is not None or seed is not None:
                raise CommandError("--delete ne se combine ni avec --count ni avec --seed.")
            self.delete()
            return
        if count is None or count < 1:
            raise CommandError("Indiquez le nombre d'exemples à générer : --count N (N ≥ 1).")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size doit être au moins 1.")
        if seed is None:
            seed = random.SystemRandom().randrange(2**32)
        self.generate(count, seed, options["batch_size"], show_progress=options["verbosity"] > 0)

    @transaction.atomic
    def generate(self, count: int, seed: int, batch_size: int, *, show_progress: bool) -> None:
        reference = ReferenceData.load()
        if not (reference.places and reference.categories and reference.functions):
            raise CommandError(
                "Il manque les départements, catégories ou fonctions : lancez load_fiche d'abord."
            )
        generator = ExampleGenerator(
            random.Random(seed),
            reference,
            taken_slugs=set(Example.objects.values_list("slug", flat=True)),
            taken_partner_slugs=set(Partner.objects.values_list("slug", flat=True)),
            first_number=GeneratedExample.objects.count() + 1,
            now=timezone.now(),
        )
        sizes = [min(batch_size, count - start) for start in range(0, count, batch_size)]
        partners_created = 0
        # The bar goes to the terminal itself: Django's OutputWrapper would end every redraw
        # with a newline.
        with tqdm(total=count, unit=" exemples", file=sys.stderr, disable=not show_progress) as bar:
            for planned, new_partners in planned_ahead(generator, sizes):
                copy_instances(new_partners)
                record_generated(GeneratedPartner, new_partners)
                partners_created += len(new_partners)
                examples = [plan.example for plan in planned]
                copy_instances(examples)
                record_generated(GeneratedExample, examples)
                self.insert_relations(planned)
                bar.update(len(planned))
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} exemples publiés générés (graine {seed}), "
                f"{partners_created} partenaires créés."
            )
        )

    @staticmethod
    def insert_relations(planned: list[PlannedExample]) -> None:
        for relation in RELATIONS:
            through, example_field, target_field = through_table(relation)
            copy_rows(
                through._meta.db_table,
                [column(through._meta.get_field(name)) for name in (example_field, target_field)],
                (
                    (plan.example.pk, target.pk)
                    for plan in planned
                    for target in getattr(plan, relation)
                ),
            )

    @transaction.atomic
    def delete(self) -> None:
        examples = GeneratedExample.objects.values("example")
        partners = GeneratedPartner.objects.values("partner")
        real_examples_with_generated_partners = list(
            Example.objects.exclude(pk__in=examples).filter(partners__in=partners).distinct()
        )
        for relation in RELATIONS:
            through, example_field, _ = through_table(relation)
            through._default_manager.filter(**{f"{example_field}__in": examples}).delete()
        partners_through, _, partner_field = through_table("partners")
        partners_through._default_manager.filter(**{f"{partner_field}__in": partners}).delete()
        # Generation writes no history; an edit made since in the admin did.
        Example.history.filter(id__in=examples).delete()
        examples_deleted = delete_generated_rows(GeneratedExample)
        partners_deleted = delete_generated_rows(GeneratedPartner)
        for example in real_examples_with_generated_partners:
            example.refresh_search_document()
        self.stdout.write(
            self.style.SUCCESS(
                f"{examples_deleted} exemples et {partners_deleted} partenaires générés supprimés."
            )
        )
