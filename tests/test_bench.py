"""The benchmark driver (bench/run.py): the URLs it builds and how it reports them. The
measures themselves are no test: `make bench` takes them."""

import importlib.util
import shutil
import urllib.parse

import pytest
from django.conf import settings

spec = importlib.util.spec_from_file_location("bench_run", settings.BASE_DIR / "bench" / "run.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

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
    classes = bench.url_classes(VALUES, count=100_000, seed=1)
    assert list(classes) == [
        "accueil",
        "liste",
        "liste filtrée (1 à 3 filtres)",
        "recherche",
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
    classes = bench.url_classes(VALUES, count=100_000, seed=1)
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


def measure(statuses: dict[str, int], requests: int, url_class: str = "liste") -> "bench.Measure":
    return bench.Measure(
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
    measures = bench.with_ratios(
        [measure({"404": 400}, 400), measure({"200": 2000}, 2000, url_class=bench.CEILING)]
    )
    assert measures[0].ratio_to_ceiling == pytest.approx(0.2)
    text = bench.table("(a) essai", measures, show_cache=True)
    assert "| liste | 200 | 1.0 | 2.0 | 3.0 | 0.20 | 0/400 | 50% | 404 × 400, timeout × 1 |" in text
    assert "| plafond | 1\u202f000 |" in text


needs_wrk = pytest.mark.skipif(not shutil.which("wrk"), reason="wrk absent : apt-get install wrk")


@needs_wrk
def test_wrk_script_counts_statuses(live_server, tmp_path):
    raw = bench.run_wrk(
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
def test_wrk_stops_after_the_request_cap(live_server, tmp_path):
    raw = bench.run_wrk(
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
    classes = bench.url_classes(VALUES, count=100_000, seed=1)
    paths = bench.load_paths(classes, seed=1)
    assert len(paths) == bench.LOAD_PATHS
    assert paths == bench.load_paths(classes, seed=1)  # the same seed, the same traffic
    assert "/_ceiling/" not in paths
    by_class = {
        name: sum(path in set(class_paths) for path in paths)
        for name, class_paths in classes.items()
        if name in bench.LOAD_MIX
    }
    assert all(by_class.values()), by_class
    assert by_class["fiche exemple"] > by_class["export CSV"]


def test_the_load_test_only_ever_targets_the_loopback(tmp_path):
    with pytest.raises(ValueError, match="boucle locale"):
        bench.run_wrk(
            "http://192.168.1.10:8000", ["/"], tmp_path, threads=1, connections=1, seconds=1
        )


def test_a_load_test_with_an_error_is_reported_as_failed():
    measure = bench.Measure(
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


def test_the_bench_waits_for_every_worker_to_build_its_indexes():
    from config import gunicorn

    assert bench.INDEX_READY == gunicorn.INDEX_READY
    booting = "[INFO] Booting worker with pid: 11\n[INFO] Booting worker with pid: 12\n"
    ready = (
        f"[INFO] {gunicorn.INDEX_READY}: directory and word indexes of 9 examples built in 0.1 s\n"
    )
    assert not bench.every_worker_ready("")
    assert not bench.every_worker_ready(booting + ready)
    assert bench.every_worker_ready(booting + ready + ready)
