"""Time, side by side in one process, the directory index's rebuild after an edit (reading only
what changed, as examples/directory_refresh.py does) and a build from scratch, alternately, after
the same committed title edits, then restore the title. Prints JSON for bench/run.py."""

import json
import statistics
import time

from django.core.management.base import BaseCommand, CommandError

from examples.directory_index import DirectoryIndex
from examples.models import Example


class Command(BaseCommand):
    help = "Compare an index rebuild after an edit with a build from scratch (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=7)

    def handle(self, *args, rounds: int, **options):
        example = Example.objects.published().order_by("pk").first()
        if example is None:
            raise CommandError("Aucun exemple publié : rien à mesurer.")
        title = example.title
        incremental: list[float] = []
        scratch: list[float] = []
        index = DirectoryIndex.build(generation=None)
        try:
            for number in range(rounds):
                # Appended, so that the example keeps its place in the title order.
                Example.objects.filter(pk=example.pk).update(title=f"{title} · {number}")
                started = time.perf_counter()
                index = DirectoryIndex.build(generation=None, previous=index)
                incremental.append(time.perf_counter() - started)
                started = time.perf_counter()
                DirectoryIndex.build(generation=None)
                scratch.append(time.perf_counter() - started)
        finally:
            Example.objects.filter(pk=example.pk).update(title=title)
        self.stdout.write(
            json.dumps(
                {
                    "examples": index.size,
                    "rounds": rounds,
                    "read": [str(part) for part in index.read],
                    "incremental_s": incremental,
                    "scratch_s": scratch,
                    "ratio_p50": statistics.median(incremental) / statistics.median(scratch),
                }
            )
        )
