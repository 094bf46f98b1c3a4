"""Audit the locked dependencies against PyPI's security advisories (the OSV data that
`pip-audit --vulnerability-service pypi` reads).

pip-audit asks PyPI for each exact version (/pypi/<name>/<version>/json). Where only the
project pages answer (/pypi/<name>/json, as on our CI machines), their advisories describe the
project's latest release: that still proves a locked version clean when it *is* the latest.

The audit fails only on a known advisory for a locked version. What it could not check (no
network, a registry that does not answer, an older release that no page vouches for) is listed
plainly as « non vérifié » without failing: the verdict must not change because an upstream
project published a release. It runs as `make audit`, never inside `make test`.

Usage: uv export --frozen --no-hashes --no-emit-project | python -m config.dependency_audit
"""

import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass

PYPI = "https://pypi.org/pypi"

Fetch = Callable[[str], dict | None]


class Unreachable(Exception):
    """PyPI could not be asked (no network, a timeout, a server error)."""


@dataclass(frozen=True)
class Finding:
    name: str
    version: str
    advisories: tuple[str, ...] = ()
    unverified: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.advisories)


def fetch_json(url: str) -> dict | None:
    """The JSON at `url`, or None when PyPI has no such page."""
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise Unreachable(f"PyPI a répondu {error.code}") from error
    except (OSError, ValueError) as error:
        raise Unreachable(f"PyPI injoignable ({error})") from error


def locked_versions(requirements: Iterable[str]) -> list[tuple[str, str]]:
    """name==version pairs from `uv export`, without extras, markers or comments."""
    pins = []
    for line in requirements:
        requirement = line.split(";")[0].split("#")[0].strip()
        if "==" not in requirement:
            continue
        name, version = requirement.split("==", 1)
        pins.append((name.split("[")[0].strip(), version.strip(" \\")))
    return pins


def advisory_ids(page: dict) -> tuple[str, ...]:
    return tuple(sorted(advisory["id"] for advisory in page.get("vulnerabilities") or []))


def audit(name: str, version: str, fetch: Fetch = fetch_json) -> Finding:
    try:
        release = fetch(f"{PYPI}/{name}/{version}/json")
        if release is not None:
            return Finding(name, version, advisory_ids(release))
        project = fetch(f"{PYPI}/{name}/json")
    except Unreachable as error:
        return Finding(name, version, unverified=str(error))
    if project is None:
        return Finding(name, version, unverified="absent de PyPI")
    advisories = advisory_ids(project)
    latest = project["info"]["version"]
    if latest != version:
        # The project page's advisories describe its latest release only.
        return Finding(
            name,
            version,
            unverified=f"PyPI ne publie ses avis que pour la dernière version ({latest})",
        )
    return Finding(name, version, advisories)


def main(requirements: Iterable[str], fetch: Fetch = fetch_json) -> int:
    pins = locked_versions(requirements)
    if not pins:
        print("Aucune dépendance verrouillée lue : rien n’a été audité.")
        return 1
    findings = [audit(name, version, fetch) for name, version in pins]
    for finding in findings:
        if finding.advisories:
            print(
                f"VULNÉRABLE  {finding.name}=={finding.version} : {', '.join(finding.advisories)}"
            )
        elif finding.unverified:
            print(f"NON VÉRIFIÉ {finding.name}=={finding.version} : {finding.unverified}")
    vulnerable = sum(finding.failed for finding in findings)
    unverified = sum(bool(finding.unverified) for finding in findings)
    print(
        f"{len(findings)} dépendances verrouillées : {vulnerable} avec un avis de sécurité connu, "
        f"{unverified} non vérifiées, {len(findings) - vulnerable - unverified} sans avis connu."
    )
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main(sys.stdin))
