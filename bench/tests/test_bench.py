"""The benchmark (bench/): the URLs it builds, how it reports them, and the pure parts of its
start-up, memory and edit figures. The measures themselves are no test: `make bench` takes them,
and no test here asserts a duration."""

import importlib.util
import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from bench import probes, report, server, traffic, wrk_runner
from bench.report import rebuild_comparison_lines
from examples.models import Example

# The orchestration module, loaded as `python bench/run.py` would run it.
spec = importlib.util.spec_from_file_location("bench_run", settings.BASE_DIR / "bench" / "run.py")
run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run)

CONTRACT_PARAMETERS = {"q", "categorie", "fonction", "departement", "region", "theme", "page"}
VALUES = {
    "slug": [f"exemple-{n}" for n in range(50)],
    "categorie": ["mecenat", "innovation-societale"],
    "fonction": ["dialogue-territorial", "accompagnements"],
    "departement": ["69", "75", "2A"],
    "region": ["84", "11"],
    "theme": ["emplois"],
}


def test_every_url_class_of_the_issue_is_measured():
    classes = traffic.url_classes(VALUES, count=100_000, seed=1)
    assert list(classes) == [
        "accueil",
        "liste",
        "liste filtrée (1 à 3 filtres)",
        "recherche",
        "recherche (fautes, paires, expressions, exclusions)",
        "recherche + filtres",
        "pages profondes",
        "fiche exemple",
        "page département",
        "export CSV",
        "plafond",
    ]
    assert classes["accueil"] == ["/"]
    assert classes["export CSV"][0] == "/exemples/export.csv?departement=69"
    assert classes["plafond"] == ["/_ceiling/"]
    assert classes["fiche exemple"][0] == "/exemples/exemple-0/"
    assert "/departements/2A/" in classes["page département"]


def test_uncached_classes_cycle_through_many_urls_with_contract_parameters():
    classes = traffic.url_classes(VALUES, count=100_000, seed=1)
    for name in ("liste filtrée (1 à 3 filtres)", "recherche + filtres", "pages profondes"):
        assert len(classes[name]) > 20, name
        assert len(set(classes[name])) == len(classes[name])
    for path in classes["liste filtrée (1 à 3 filtres)"]:
        parameters = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
        assert 1 <= len(parameters) <= 3
        assert set(parameters) <= CONTRACT_PARAMETERS
    for path in classes["recherche + filtres"]:
        assert "q" in urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    pages = [int(path.rsplit("=", 1)[1]) for path in classes["pages profondes"]]
    assert min(pages) >= 1000


def measure(
    statuses: dict[str, int], requests: int, url_class: str = "liste"
) -> "wrk_runner.Measure":
    return wrk_runner.Measure(
        url_class=url_class,
        mode="uncached",
        requests=requests,
        seconds=2.0,
        p50_ms=1.0,
        p95_ms=2.0,
        p99_ms=3.0,
        statuses=statuses,
        cache={"HIT": requests // 2},
        socket_errors={"connect": 0, "read": 0, "write": 0, "timeout": 1},
    )


def test_non_2xx_responses_are_reported_per_class():
    missing = measure({"404": 30, "200": 10}, 40)
    assert missing.ok == 10
    assert missing.problems() == "404 × 30, timeout × 1"
    assert "aucune réponse" in measure({}, 0).problems()


def test_table_shows_rate_latency_ratio_and_statuses():
    measures = wrk_runner.with_ratios(
        [measure({"404": 400}, 400), measure({"200": 2000}, 2000, url_class=traffic.CEILING)],
        traffic.CEILING,
    )
    assert measures[0].ratio_to_ceiling == pytest.approx(0.2)
    text = report.table("(a) essai", measures, show_cache=True)
    assert "| liste | 200 | 1.0 | 2.0 | 3.0 | 0.20 | 0/400 | 50% | 404 × 400, timeout × 1 |" in text
    assert "| plafond | 1\u202f000 |" in text


needs_wrk = pytest.mark.skipif(not shutil.which("wrk"), reason="wrk absent : apt-get install wrk")


@needs_wrk
@override_settings(ROOT_URLCONF="bench.urls")
def test_wrk_script_counts_statuses(live_server, tmp_path):
    raw = wrk_runner.run_wrk(
        live_server.url,
        ["/_ceiling/", "/introuvable/"],
        tmp_path,
        threads=1,
        connections=1,
        seconds=1,
    )
    assert raw["requests"] > 0
    assert set(raw["statuses"]) == {"200", "404"}
    assert raw["p50_us"] <= raw["p95_us"] <= raw["p99_us"]


@needs_wrk
@override_settings(ROOT_URLCONF="bench.urls")
def test_wrk_stops_after_the_request_cap(live_server, tmp_path):
    raw = wrk_runner.run_wrk(
        live_server.url,
        ["/_ceiling/"],
        tmp_path,
        threads=1,
        connections=1,
        seconds=2,
        max_requests=25,
    )
    # wrk still waits out its duration, but sends nothing more.
    assert raw["requests"] == 25


def test_the_load_test_mixes_every_page_class_but_the_ceiling():
    classes = traffic.url_classes(VALUES, count=100_000, seed=1)
    paths = traffic.load_paths(classes, seed=1)
    assert len(paths) == traffic.LOAD_PATHS
    assert paths == traffic.load_paths(classes, seed=1)  # the same seed, the same traffic
    assert "/_ceiling/" not in paths
    by_class = {
        name: sum(path in set(class_paths) for path in paths)
        for name, class_paths in classes.items()
        if name in traffic.LOAD_MIX
    }
    assert all(by_class.values()), by_class
    assert by_class["fiche exemple"] > by_class["export CSV"]


def test_the_load_test_only_ever_targets_the_loopback(tmp_path):
    with pytest.raises(ValueError, match="boucle locale"):
        wrk_runner.run_wrk(
            "http://192.168.1.10:8000", ["/"], tmp_path, threads=1, connections=1, seconds=1
        )


def test_a_load_test_with_an_error_is_reported_as_failed():
    measure = wrk_runner.Measure(
        url_class="mélange",
        mode="load",
        requests=100,
        seconds=1.0,
        p50_ms=1,
        p95_ms=2,
        p99_ms=3,
        statuses={"200": 98, "502": 2},
        cache={},
        socket_errors={"connect": 0, "read": 1, "write": 0, "timeout": 0},
    )
    assert measure.problems() == "502 × 2, read × 1"


# The trivial view is the benchmark's own: production does not serve it.


@pytest.mark.django_db
def test_production_urls_have_no_ceiling(client):
    assert client.get(traffic.CEILING_PATH).status_code == 404


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_the_ceiling_view_is_plain_text_without_queries(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("ceiling"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls", PAGE_CACHE_SECONDS=300)
def test_the_ceiling_is_never_cached(client):
    for _ in range(2):
        assert client.get(traffic.CEILING_PATH).headers.get("X-Cache") == "BYPASS"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_the_bench_urls_serve_the_production_pages_too(client):
    assert client.get("/sante/").status_code == 200


def test_bench_settings_are_production_settings_with_the_bench_urls():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.ROOT_URLCONF, settings.DEBUG)",
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": server.SETTINGS_MODULE},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["bench.urls", "False"]


def test_run_py_runs_as_a_script():
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--help"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--edit-timeout" in result.stdout


def test_the_bench_runs_gunicorn_with_production_recycling():
    # config/gunicorn.py's GUNICORN_MAX_REQUESTS default applies: nothing turns recycling off.
    source = "".join(path.read_text() for path in (settings.BASE_DIR / "bench").glob("*.py"))
    assert "GUNICORN_MAX_REQUESTS=0" not in source
    assert 'setdefault("GUNICORN_MAX_REQUESTS"' not in source
    assert run.RESULTS_DIR == settings.BASE_DIR / "bench" / "results"


# The search mix (issue 17): typos, pairs that never meet, phrases, exclusions, unknown words.


def test_the_search_mix_holds_every_kind_of_costly_search():
    classes = traffic.url_classes(VALUES, count=100_000, seed=1)
    terms = [
        urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["q"][0]
        for path in classes[traffic.SEARCH_MIX]
    ]
    for term in (
        "numerik",
        "numeriqe",
        "insersion",
        "seniors réemploi",
        "climat sport",
        '"économie circulaire"',
        "insertion -emploi",
        "xylophone",
    ):
        assert term in terms
    assert classes[traffic.SEARCH_MIX][0] == "/exemples/?q=numerik"
    assert "/exemples/?q=%22%C3%A9conomie+circulaire%22" in classes[traffic.SEARCH_MIX]


def test_the_startup_probe_cycles_through_distinct_searches():
    classes = traffic.url_classes(VALUES, count=100_000, seed=1)
    paths = traffic.startup_paths(classes, seed=1)
    assert len(paths) == len(set(paths)) > 100
    assert all(path.startswith("/exemples/?") and "q=" in path for path in paths)


# Memory: VmRSS of the gunicorn master's children.

STATUS = """Name:\tgunicorn
State:\tS (sleeping)
Pid:\t4242
PPid:\t4200
VmPeak:\t  412000 kB
VmRSS:\t  153600 kB
RssAnon:\t  120000 kB
Threads:\t5
"""


def test_vm_rss_is_read_from_a_proc_status_text():
    assert server.VM_RSS.search(STATUS).group(1) == "153600"
    assert server.VM_RSS.search("Name:\tkthreadd\nState:\tS\n") is None


def test_rss_summary_sums_per_worker():
    summary = server.rss_summary({12: 150.0, 11: 100.5}, {12: 90.0, 11: 60.5})
    assert summary == {
        "workers": 2,
        "sum_mb": 250.5,
        "max_mb": 150.0,
        "per_worker_mb": {"11": 100.5, "12": 150.0},
        "pss_sum_mb": 150.5,
        "pss_max_mb": 90.0,
    }
    lines = report.rss_lines({"après": summary})
    assert "250 Mo pour 2 processus (100, 150 Mo ; au plus 150 Mo) ; PSS 150 Mo en tout" in lines


def test_the_children_of_this_process_are_found():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in server.children(os.getpid())
        assert server.rss_mb([os.getpid()])[os.getpid()] > 1
        assert (
            1
            < server.pss_mb([os.getpid()])[os.getpid()]
            <= server.rss_mb([os.getpid()])[os.getpid()]
        )
    finally:
        child.kill()
        child.wait()


def test_the_access_log_says_which_worker_answered_each_probe():
    log = (
        '127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET /exemples/?q=a HTTP/1.1" 200 5 "-" "-" '
        "<101> 5321 probe=abc-1\n"
        '127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "-" <102> 90 '
        "probe=-\n"
        '127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET /exemples/?q=b HTTP/1.1" 200 5 "-" "-" '
        "<102> 4100 probe=abc-2\n"
    )
    assert server.probe_pids(log) == {"abc-1": 101, "abc-2": 102}
    assert server.ACCESS_LOG_FORMAT.startswith('%(h)s %(l)s %(u)s %(t)s "%(r)s"')


# Full speed: first 200 of a search, and every worker under 2 × the steady p50.


def samples(*rows):
    return [
        probes.Sample(done_s=at, status=status, latency_ms=ms, probe_id=str(n), pid=pid)
        for n, (at, status, ms, pid) in enumerate(rows)
    ]


def test_full_speed_waits_for_every_worker_to_answer_fast():
    rows = samples(
        (0.5, 503, 1, 1),
        (1.0, 200, 300, 1),  # first 200, slow
        (1.5, 200, 12, 1),  # worker 1 fast
        (2.0, 200, 250, 2),
        (3.0, 200, 18, 2),  # worker 2 fast (< 2 × 10)
        (7.0, 200, 10, 1),
        (8.0, 200, 10, 2),
        (9.0, 200, 9, 1),
    )
    result = probes.full_speed(rows, [1, 2], window_s=9.0)
    assert result["first_200_s"] == 1.0
    assert result["steady_p50_ms"] == 10
    assert result["per_worker_s"] == {"1": 1.5, "2": 3.0}
    assert result["full_speed_s"] == 3.0
    assert result["requests"] == 8


def test_no_full_speed_while_a_worker_has_not_answered_fast():
    rows = samples((1.0, 200, 300, 1), (7.0, 200, 10, 1), (8.0, 200, 10, 1), (9.0, 200, 10, 1))
    result = probes.full_speed(rows, [1, 2], window_s=9.0)
    assert result["full_speed_s"] is None
    assert result["per_worker_s"] == {"1": 7.0, "2": None}
    assert "non atteint en 9 s" in report.startup_table({"(a)": {**result, "probe_s": 9.0}})


def test_no_full_speed_before_the_first_200():
    assert probes.full_speed(samples((1.0, 503, 1, 1)), [1], window_s=3)["full_speed_s"] is None


# An edit's propagation: n consecutive fresh responses.


def test_the_first_fresh_streak():
    results = [(0.1, False), (0.2, True), (0.3, False), (0.4, True), (0.5, True), (0.6, True)]
    assert probes.first_fresh_streak(results, 3) == (0.4, 0.6)
    assert probes.first_fresh_streak(results, 4) is None


def test_polling_stops_once_every_worker_shows_the_edit():
    calls = itertools.count(1)
    lock = threading.Lock()
    ticks = itertools.count()

    def is_fresh(path: str) -> bool:
        with lock:
            return next(calls) > 10  # the eleventh response onwards shows the edit

    result = probes.poll_until_fresh(
        is_fresh,
        ["/exemples/x/", "/exemples/"],
        n=8,
        connections=3,
        timeout_s=10**6,
        started=0,
        clock=lambda: next(ticks),  # a fake clock: no wall time in this test
    )
    assert result["visible_everywhere_s"] is not None
    assert result["confirmed_s"] >= result["visible_everywhere_s"]
    assert result["stale_responses"] == 10
    assert 18 <= result["requests"] <= 18 + 3


def test_polling_gives_up_after_its_timeout_and_counts_errors_as_stale():
    ticks = itertools.count()

    def is_fresh(path: str) -> bool:
        raise ConnectionResetError

    result = probes.poll_until_fresh(
        is_fresh, ["/"], n=4, connections=2, timeout_s=20, started=0, clock=lambda: next(ticks)
    )
    assert result["visible_everywhere_s"] is None
    assert result["stale_responses"] == result["requests"] > 0
    assert "non atteint en 20 s" in report.edit_lines({**result, "example": "x"})


def test_the_edited_example_is_taken_from_the_list_page():
    page = (
        '<a href="/exemples/">Tous</a><a href="/exemples/atelier-velo/">Atelier</a>'
        '<a href="/exemples/atelier-velo/">encore</a><a href="/exemples/jardin-2/">Jardin</a>'
    )
    assert probes.example_slugs(page) == ["atelier-velo", "jardin-2"]


def test_the_replaced_worker_is_reported_from_its_signal():
    table = report.startup_table(
        {}, {"forked_s": 0.05, "full_speed_s": 0.21, "steady_p50_ms": 40.0}
    )
    assert "le nouveau existe après 0.05 s" in table
    assert "(moins de 2 × 40.0 ms) après 0.21 s" in table


def test_the_rebuilds_the_workers_log_are_read_back():
    from bench.run import REBUILD_LINE
    from examples.directory_refresh import REBUILT_FORMAT

    line = REBUILT_FORMAT % (100075, 0.412, 0.093, "ids, territoire")
    assert REBUILD_LINE.findall(f"x\n{line}\n{line}") == [("0.412", "0.093")] * 2
    lines = report.rebuild_lines([0.52, 0.41], [0.12, 0.09])[0]
    assert "0.41, 0.52 s, dont 0.09, 0.12 s de calcul du fil" in lines


@pytest.mark.django_db
def test_rebuild_timing_compares_both_builds_and_restores_the_title():
    first = Example.objects.published().order_by("pk").first()
    output = StringIO()
    call_command("time_rebuilds", "--rounds", "2", stdout=output)
    timing = json.loads(output.getvalue())
    assert timing["read"] == ["ids", "territoire"]
    assert len(timing["incremental_s"]) == len(timing["scratch_s"]) == 2
    assert timing["ratio_p50"] > 0
    first_again = Example.objects.get(pk=first.pk)
    assert first_again.title == first.title
    lines = rebuild_comparison_lines({**timing, "examples": 1200})
    assert "1\u202f200 exemples" in lines and "depuis zéro : p50" in lines
