"""What the benchmark prints and writes to bench/results/latest.json."""

import os
import platform
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.wrk_runner import Measure, load_average


@dataclass
class Report:
    started_at: str
    machine: dict[str, str]
    settings: dict[str, str | int]
    timings_s: dict[str, float] = field(default_factory=dict)
    measures: list[Measure] = field(default_factory=list)
    load: Measure | None = None
    # Per server started: the start-up probe (bench/probes.py).
    startup: dict[str, dict] = field(default_factory=dict)
    # Workers' VmRSS: "après démarrage" and "après le test de charge".
    rss: dict[str, dict] = field(default_factory=dict)
    edit_propagation: dict | None = None
    # Per server: workers gunicorn started beyond the first ones (recycling, GUNICORN_MAX_REQUESTS).
    recycled_workers: dict[str, int] = field(default_factory=dict)
    # A worker replaced as recycling replaces it, timed from its predecessor's SIGTERM.
    replaced_worker: dict | None = None
    # bench/management/commands/time_rebuilds.py: a rebuild after an edit beside one from scratch.
    rebuilds: dict | None = None


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kilobytes = int(meminfo.read_text().split()[1])
        memory = f"{kilobytes / 1024 / 1024:.0f} Gio"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    postgres = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout
    return {
        "cpu": cpu,
        "cores": str(cores),
        "memory": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
        "postgresql": postgres.strip(),
        "load_average_before": load_average(),
    }


def french_int(number: float) -> str:
    return f"{number:,.0f}".replace(",", "\u202f")


def seconds(value: float | None, *, beyond: float | None = None) -> str:
    if value is None:
        return f"non atteint en {beyond:.0f} s" if beyond is not None else "—"
    return f"{value:.2f} s"


def table(title: str, measures: list[Measure], *, show_cache: bool) -> str:
    header = "| classe d'URL | req/s | p50 (ms) | p95 (ms) | p99 (ms) | / plafond | réponses 2xx |"
    separator = "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    if show_cache:
        header += " HIT |"
        separator += " ---: |"
    header += " autres statuts |"
    separator += " --- |"
    lines = [f"### {title}", "", header, separator]
    for m in measures:
        ratio = f"{m.ratio_to_ceiling:.2f}" if m.ratio_to_ceiling is not None else "—"
        row = (
            f"| {m.url_class} | {french_int(m.per_second)} | {m.p50_ms:.1f} | {m.p95_ms:.1f} | "
            f"{m.p99_ms:.1f} | {ratio} | {french_int(m.ok)}/{french_int(m.requests)} |"
        )
        if show_cache:
            hits = m.cache.get("HIT", 0)
            row += f" {hits / m.requests:.0%} |" if m.requests else " — |"
        row += f" {m.problems() or '—'} |"
        lines.append(row)
    return "\n".join(lines)


def startup_table(startup: dict[str, dict], replaced: dict | None = None) -> str:
    lines = [
        "### Démarrage : du lancement de gunicorn à la pleine vitesse (recherches)",
        "",
        "| serveur | 1re recherche 200 | pleine vitesse | p50 stable (ms) | par processus | "
        "requêtes de la sonde |",
        "| --- | ---: | ---: | ---: | --- | ---: |",
    ]
    for name, probe in startup.items():
        per_worker = ", ".join(seconds(t) for t in probe["per_worker_s"].values()) or "—"
        p50 = probe["steady_p50_ms"]
        lines.append(
            f"| {name} | {seconds(probe['first_200_s'])} | "
            f"{seconds(probe['full_speed_s'], beyond=probe['probe_s'])} | "
            f"{p50 if p50 is not None else '—'} | {per_worker} | {probe['requests']} |"
        )
    if replaced:
        lines += [
            "",
            "Un processus remplacé comme le recyclage le remplace (SIGTERM) : le nouveau existe "
            f"après {seconds(replaced['forked_s'])} et sert une recherche à pleine vitesse "
            f"(moins de 2 × {replaced['steady_p50_ms']} ms) après "
            f"{seconds(replaced['full_speed_s'])}, comptés depuis le signal.",
        ]
    return "\n".join(lines)


def rss_lines(rss: dict[str, dict]) -> str:
    lines = ["### Mémoire des processus gunicorn (VmRSS, et PSS : part propre à chacun)", ""]
    for moment, summary in rss.items():
        per_worker = ", ".join(f"{mb:.0f}" for mb in summary["per_worker_mb"].values())
        lines.append(
            f"- {moment} : {summary['sum_mb']:.0f} Mo pour {summary['workers']} processus "
            f"({per_worker} Mo ; au plus {summary['max_mb']:.0f} Mo) ; PSS "
            f"{summary.get('pss_sum_mb', 0):.0f} Mo en tout, au plus "
            f"{summary.get('pss_max_mb', 0):.0f} Mo"
        )
    return "\n".join(lines)


def edit_lines(edit: dict) -> str:
    visible = seconds(edit["visible_everywhere_s"], beyond=edit["timeout_s"])
    return "\n".join(
        [
            "### Une modification faite en SQL, vue par tous les processus",
            "",
            f"- titre de `{edit['example']}` changé par UPDATE : visible partout après {visible} "
            f"({edit['consecutive']} réponses de suite à jour sur {edit['connections']} "
            f"connexions, fiche et liste ; {edit['requests']} requêtes, dont "
            f"{edit['stale_responses']} encore anciennes) ; titre rétabli ensuite",
            *rebuild_lines(edit.get("rebuilds_s", []), edit.get("rebuilds_cpu_s", [])),
        ]
    )


def rebuild_comparison_lines(rebuilds: dict) -> str:
    def summary(durations: list[float]) -> str:
        return f"p50 {statistics.median(durations):.3f} s (au plus {max(durations):.3f} s)"

    return "\n".join(
        [
            "### Reconstruction de l’index après une modification, et depuis zéro",
            "",
            f"- {rebuilds['rounds']} titres changés par UPDATE, {french_int(rebuilds['examples'])} "
            "exemples ; après chacun, dans un même processus et l’une après l’autre :",
            f"  - en ne relisant que ce que la modification a touché "
            f"({', '.join(rebuilds['read']) or 'rien'}) : {summary(rebuilds['incremental_s'])}",
            f"  - depuis zéro : {summary(rebuilds['scratch_s'])}",
            f"  - rapport des médianes : {rebuilds['ratio_p50']:.2f}",
        ]
    )


def rebuild_lines(rebuilds: list[float], cpu: list[float]) -> list[str]:
    if not rebuilds:
        return []

    def listed(values: list[float]) -> str:
        return ", ".join(f"{value:.2f}" for value in sorted(values))

    return [
        f"- reconstructions de l’index qu’elle a causées, dans le fil de chaque processus, "
        f"pendant que les requêtes étaient servies : {listed(rebuilds)} s, dont "
        f"{listed(cpu)} s de calcul du fil (le reste attend PostgreSQL ou les fils des requêtes)"
    ]
