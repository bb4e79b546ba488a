#!/usr/bin/env python3
"""The real-world corpus (issue 11): public repositories dockergen never saw, each given the first
`dockergen init` a new user would run, with no flags, then built and smoke-tested.

    python benchmarks/corpus.py [NAME ...] [--theirs] [--out FILE] [--timeout S]

Each `benchmarks/corpus/<name>.toml` names a repository, the commit it is pinned to, why it is in
the corpus, the smoke command that shows its image works and the run-time environment the app
documents as required. Nothing there tells dockergen what to do. The repository comes from its
fetched snapshot (a bare git directory, `$DOCKERGEN_CORPUS_MIRROR/<owner>+<name>/repo`, by
default under /work/.mirror): the pinned commit is extracted with `git archive` into a scratch
directory, so no file of it is ever committed here.

Per repository: `dockergen init`, `docker build`, the smoke command with `--network=none` as the
image's own user. With `--theirs`, where the maintainers ship a Dockerfile it is built too, and both
images are rebuilt after the same one-line code change (time and bytes a push would send). The
results table (markdown) goes to `benchmarks/corpus-results-DATE.md`, or `--out`; progress goes to
stderr, one line a step. `--decisions` needs no Docker: it compares what dockergen decides for
each repository (manager, Python, command) with the manifest's [expect] table, recorded when the
repository passed, and exits 1 on any difference. `--lint` needs no Docker either: it generates each
repository's Dockerfile and runs the linters the tests run on every golden file (tests/linters.py:
hadolint with no configuration, checkov's Dockerfile checks), one line a repository, and exits 1 on
any finding. `--freshness` asks each manager whether the repository's lock is current (uv in a
python stand-in image; tests/lock_tools.py) and exits 1 where dockergen says otherwise. They can be
given together.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import dockergen
from dockergen import api
from dockergen.facts import InspectError

try:
    import tomllib
except ImportError:  # Python < 3.11: dockergen itself depends on tomli there
    import tomli as tomllib  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))
import seed_table  # noqa: E402  (benchmarks/ is not a package: its helpers are shared by path)
from seed_table import BenchError, image_size, progress, push_bytes, run  # noqa: E402

from tests import linters, lock_tools  # noqa: E402  (the linters the golden files are checked with; the managers)

MANIFESTS = HERE / "corpus"
MIRROR = Path(os.environ.get("DOCKERGEN_CORPUS_MIRROR", "/work/.mirror"))
IMAGE_REPO = "dockergen-corpus"
# Minors with no stand-in base image here (Debian ships neither), and the nearest that have one.
NO_STAND_IN = {"3.7": ("3.11",), "3.8": ("3.11",), "3.9": ("3.11",), "3.10": ("3.11",), "3.12": ("3.13", "3.11")}
SMOKE_SECONDS = 120
SERVE_SECONDS = 60
OUTCOMES = ("ok", "init error", "build error", "smoke error", "not fetched")
EXCEPTION_LINE = re.compile(r"^(\w+\.)*\w*(Error|Exception|Exit): \S")
UNREACHABLE = re.compile(  # the host a build names when it does not resolve here
    r"(?:Failed to resolve|Could not resolve host:?|resolve host|HTTPSConnection\(host=) ?'?([\w-]+(?:\.[\w-]+)+)'?"
)
COMPILER_ERROR = re.compile(r"^\S+:\d+:(\d+:)? (fatal )?error: ")
# pip's and uv's words for "a build failed", which say nothing of why.
GENERIC = re.compile(r"subprocess-exited-with-error|failed-wheel-build-for-install|^error: Failed to build|See above")
TOOL_ERROR = re.compile(r"^(error|E|ERROR|fatal):\s|: not found$|No such file or directory")
ERROR_LINE = re.compile(r"(error|Error|ERROR|failed|Traceback|No module named|not found|denied)")
# Lines of a plain BuildKit log that say where the failure was, not what it was.
NOISE = re.compile(
    r"^(#\d+ (ERROR: process .* did not complete successfully|CANCELED|DONE)|-{5,}|ERROR: failed to solve)"
)


@dataclass
class Entry:
    """One repository of the corpus, as its manifest describes it."""

    name: str
    repo: str
    commit: str
    path: str
    why: str
    tags: list[str]
    smoke: dict[str, object]
    env: dict[str, str]
    own_dockerfile: str | None  # from the repository root
    own_context: str | None  # the context their docs build it with, from the root (default: its directory)
    python: str | None
    expect: dict[str, str]  # what dockergen decided when the repository last passed: manager, python, command

    @classmethod
    def load(cls, file: Path) -> Entry:
        data = tomllib.loads(file.read_text())
        smoke = data.get("smoke", {})
        if len([k for k in ("command", "http", "python") if k in smoke]) != 1:
            raise BenchError(f"{file.name}: [smoke] needs exactly one of command, http, python")
        if not re.fullmatch(r"[0-9a-f]{40}", data.get("commit", "")):
            raise BenchError(f"{file.name}: commit must be 40 hex digits")
        return cls(
            name=file.stem,
            repo=data["repo"],
            commit=data["commit"],
            path=data.get("path", "."),
            why=data.get("why", ""),
            tags=list(data.get("tags", [])),
            smoke=smoke,
            env={k: str(v) for k, v in data.get("env", {}).items()},
            own_dockerfile=data.get("own-dockerfile"),
            own_context=data.get("own-context"),
            expect={k: str(v) for k, v in data.get("expect", {}).items()},
            python=data.get("python"),
        )

    @property
    def git_dir(self) -> Path:
        return MIRROR / self.repo.replace("/", "+") / "repo"

    @property
    def tag(self) -> str:
        return f"{IMAGE_REPO}/{self.name}:dockergen"


@dataclass
class Result:
    """What happened to one repository; `detail` is the first line that says why it failed."""

    entry: Entry
    outcome: str = "ok"
    detail: str = ""
    build_seconds: float | None = None
    size: int | None = None
    theirs_size: int | None = None
    theirs_detail: str = ""
    rebuild: dict[str, tuple[float, int]] = field(default_factory=dict)  # variant -> (seconds, push bytes)
    machine: list[str] = field(default_factory=list)  # what this machine changed or lacked: "3.12 built as 3.13"


def first_failure(text: str) -> str:
    """The line of a log that best says what went wrong. In a BuildKit log, only the failed step's
    lines (they share its `#N` prefix) are read. By preference: the last exception with a message
    (`ConfigurationError: Could not run curl-config`), the first compiler error, the first tool
    error (`error: ...`, apt's `E: ...`, `...: not found`), the last error-looking line; else the
    last line. pip's and uv's generic "the build failed" lines are skipped."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    failed = [m.group(1) for line in lines if (m := re.match(r"^#(\d+) ERROR", line))]
    if failed:
        lines = [line for line in lines if line.startswith(f"#{failed[-1]} ") and not NOISE.match(line)] or lines
    bodies = [re.sub(r"^#\d+ [\d.]+ ", "", line).strip() for line in lines]
    bodies = [b for b in bodies if not b.startswith("#") and not NOISE.match(b)]
    bodies = [b for b in bodies if not GENERIC.search(b)]
    for pattern, last in ((EXCEPTION_LINE, True), (COMPILER_ERROR, False), (TOOL_ERROR, False), (ERROR_LINE, True)):
        found = [b for b in bodies if pattern.search(b)]
        if found:
            return (found[-1] if last else found[0])[:300]
    return bodies[-1][:300] if bodies else (lines[-1][:300] if lines else "(no output)")


def extract(entry: Entry, scratch: Path) -> Path:
    """The pinned commit's tree in a scratch directory; returns the directory `init` runs in.

    Snapshots leave out files of 4 MiB and more, so `git archive` would stop at the first one: the
    tree is written blob by blob instead, and a missing blob is left out as the snapshot left it."""
    if not entry.git_dir.is_dir():
        raise FileNotFoundError(entry.git_dir)
    git = ["git", "--git-dir", str(entry.git_dir)]
    listing = run([*git, "ls-tree", "-r", "-z", "--full-tree", entry.commit]).stdout
    items = []
    for record in filter(None, listing.split("\0")):
        meta, path = record.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob":
            items.append((mode, sha, path))
    tree = scratch / entry.name
    batch = subprocess.run(
        [*git, "cat-file", "--batch"], input="".join(f"{sha}\n" for _, sha, _ in items).encode(), capture_output=True
    ).stdout
    offset = 0
    for mode, _, path in items:
        end = batch.index(b"\n", offset)
        header = batch[offset:end].split()
        offset = end + 1
        if header[-1] == b"missing":
            continue
        size = int(header[2])
        data, offset = batch[offset : offset + size], offset + size + 1
        target = tree / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            target.symlink_to(data.decode())
        else:
            target.write_bytes(data)
            target.chmod(0o755 if mode == "100755" else 0o644)
    return tree / entry.path


def build(context: Path, tag: str, log: Path, timeout: float, dockerfile: Path | None = None) -> float:
    cmd = ["docker", "build", "--progress=plain", "-t", tag]
    if dockerfile is not None:
        cmd += ["-f", str(dockerfile)]
    start = time.perf_counter()
    with log.open("w") as handle:
        try:
            proc = subprocess.run([*cmd, str(context)], stdout=handle, stderr=subprocess.STDOUT,
                                  env=seed_table.docker_env(), timeout=timeout)  # fmt: skip
        except subprocess.TimeoutExpired:
            raise BenchError(f"build timed out after {timeout:.0f} s") from None
    if proc.returncode != 0:
        raise BenchError(first_failure(log.read_text(errors="replace")))
    return time.perf_counter() - start


def env_flags(entry: Entry) -> list[str]:
    return [flag for key, value in entry.env.items() for flag in ("-e", f"{key}={value}")]


def exposed_port(tag: str) -> int | None:
    ports = json.loads(run(["docker", "image", "inspect", "-f", "{{json .Config.ExposedPorts}}", tag]).stdout)
    for spec in ports or {}:
        return int(spec.split("/")[0])
    return None


HTTP_PROBE = """
import sys, urllib.request, urllib.error
try:
    status = urllib.request.urlopen(sys.argv[1], timeout=5).status
except urllib.error.HTTPError as error:
    status = error.code
print(status)
sys.exit(0 if status < 500 else 3)
"""


def smoke(entry: Entry, tag: str) -> None:
    """Run the manifest's smoke check in a container with no network; raise with the first failing line."""
    base = ["docker", "run", "--rm", "--network=none", *env_flags(entry)]
    if "http" in entry.smoke:
        serve(entry, tag)
        return
    if "command" in entry.smoke:
        cmd = [*base, tag, *map(str, entry.smoke["command"])]  # type: ignore[call-overload]
    else:
        cmd = [*base, "--entrypoint", "python", tag, "-c", str(entry.smoke["python"])]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=SMOKE_SECONDS)
    except subprocess.TimeoutExpired:
        raise BenchError(f"smoke command still running after {SMOKE_SECONDS} s") from None
    if proc.returncode != 0:
        raise BenchError(f"exit {proc.returncode}: {first_failure(proc.stdout + proc.stderr)}")


def serve(entry: Entry, tag: str) -> None:
    """Start the image's own command and GET the manifest's path from inside the container."""
    port = exposed_port(tag)
    if port is None:
        raise BenchError("the image exposes no port, so its own command serves nothing")
    cid = run(["docker", "run", "-d", "--network=none", *env_flags(entry), tag]).stdout.strip()
    url = f"http://127.0.0.1:{port}{entry.smoke['http']}"
    try:
        deadline = time.monotonic() + SERVE_SECONDS
        last = ""
        while time.monotonic() < deadline:
            probe = run(["docker", "exec", cid, "python", "-c", HTTP_PROBE, url], check=False)
            if probe.returncode == 0:
                return
            last = (probe.stdout + probe.stderr).strip().splitlines()[-1:] or [""]
            last = f"HTTP {last[0]}" if probe.returncode == 3 else last[0]
            if run(["docker", "inspect", "-f", "{{.State.Running}}", cid]).stdout.strip() != "true":
                logs = run(["docker", "logs", cid], check=False)
                raise BenchError(f"server exited: {first_failure(logs.stdout + logs.stderr)}")
            time.sleep(1)
        logs = run(["docker", "logs", cid], check=False)
        raise BenchError(
            f"no answer on {url} in {SERVE_SECONDS} s ({last}); {first_failure(logs.stdout + logs.stderr)}"
        )
    finally:
        run(["docker", "rm", "-f", cid], check=False)


def code_file(project: Path) -> Path | None:
    """A Python file of the app (not a test, doc or migration) for the code-change rebuild."""
    skip = {"tests", "test", "docs", "doc", "migrations", "examples", ".github"}
    for file in sorted(project.rglob("*.py")):
        if not skip.intersection(file.relative_to(project).parts) and file.stat().st_size > 0:
            return file
    return None


def measure_rebuild(
    result: Result, roots: tuple[Path, Path], context: Path, theirs: Path | None, logs: Path, timeout: float
) -> None:
    """Append the same comment to the same Python file of both copies of the repository (roots:
    dockergen's and theirs), rebuild both images, record seconds and push bytes."""
    project = roots[0] / result.entry.path
    file = code_file(project)
    if file is None:
        return
    change = f"\n# corpus code change {time.time_ns()}\n"
    for root in roots:
        with (root / file.relative_to(roots[0])).open("a") as handle:
            handle.write(change)
    variants = [("dockergen", project, None)] + ([("theirs", context, theirs)] if theirs else [])
    for variant, ctx, dockerfile in variants:
        tag = f"{IMAGE_REPO}/{result.entry.name}:{variant}"
        before = f"{IMAGE_REPO}/{result.entry.name}:{variant}-before"
        run(["docker", "tag", tag, before])
        seconds = build(ctx, tag, logs / f"{variant}-rebuild.log", timeout, dockerfile)
        result.rebuild[variant] = (seconds, push_bytes(before, tag))
        run(["docker", "rmi", before], check=False)


def build_input(project: Path) -> tuple[Path, Path | None]:
    """The build context and Dockerfile `init` names in its `Next:` line: the project, or for a
    workspace member the workspace root, with the member's Dockerfile."""
    facts = dockergen.inspect(project)
    context = Path(facts.root)
    dockerfile = context / api.dockerfile_names(facts.settings)[0][0]
    return context, None if dockerfile == context / "Dockerfile" else dockerfile


def use_stand_in(project: Path, logs: Path) -> str:
    """Python 3.7 to 3.10 and 3.12 have no stand-in image on this machine: regenerate for the nearest
    minor that has one (as a user would with --python) and say so in the results."""
    match = re.search(r"^FROM python:(3\.\d+)\S* AS runner$", (project / "Dockerfile").read_text(), re.MULTILINE)
    if not match or match.group(1) not in NO_STAND_IN:
        return ""
    wanted = match.group(1)
    command = shutil.which("dockergen", path=str(Path(sys.executable).parent)) or "dockergen"
    for nearest in NO_STAND_IN[wanted]:
        proc = subprocess.run([command, "generate", "--python", nearest], cwd=project, capture_output=True, text=True)
        (logs / "stand-in.log").write_text(proc.stdout + proc.stderr)
        if proc.returncode == 0:
            return f"{wanted} built as {nearest}"
    return ""


def dockergen_init(project: Path) -> subprocess.CompletedProcess[str]:
    """The command under test, exactly as a new user runs it: no flags."""
    command = shutil.which("dockergen", path=str(Path(sys.executable).parent)) or "dockergen"
    return subprocess.run([command, "init"], cwd=project, capture_output=True, text=True, stdin=subprocess.DEVNULL)


def check(entry: Entry, scratch: Path, logs: Path, args: argparse.Namespace) -> Result:
    result = Result(entry)
    try:
        project = extract(entry, scratch)
    except FileNotFoundError:
        result.outcome, result.detail = "not fetched", f"no snapshot at {entry.git_dir}"
        return result
    theirs = their_context = None
    if entry.own_dockerfile and args.theirs:  # their copy keeps its Dockerfile; paths are from the repository root
        their_root = scratch / f"{entry.name}-theirs"
        shutil.copytree(scratch / entry.name, their_root, symlinks=True)
        theirs = their_root / entry.own_dockerfile
        their_context = their_root / (entry.own_context or posixpath.dirname(entry.own_dockerfile))
    # Someone adopting dockergen replaces their Dockerfile: init with no flags refuses to, rightly.
    for name in ("Dockerfile", "dockerfile"):
        if (project / name).is_file():
            (project / name).unlink()
    init = dockergen_init(project)
    (logs / "init.log").write_text(init.stdout + init.stderr)
    if init.returncode != 0:
        result.outcome, result.detail = "init error", first_failure(init.stderr or init.stdout)
        return result
    result.machine.append(use_stand_in(project, logs))
    context, dockerfile = build_input(project)
    try:
        result.build_seconds = build(context, entry.tag, logs / "build.log", args.timeout, dockerfile)
        result.size = image_size(entry.tag)
    except BenchError as error:
        result.outcome, result.detail = "build error", str(error)
        hosts = sorted(set(UNREACHABLE.findall((logs / "build.log").read_text(errors="replace"))))
        if hosts:  # only PyPI, Debian and npm are reachable from this machine
            result.machine.append(f"unreachable here: {', '.join(hosts)}")
        return result
    try:
        smoke(entry, entry.tag)
    except BenchError as error:
        result.outcome, result.detail = "smoke error", str(error)
    if args.record and result.outcome == "ok":
        record(entry, project)
    if theirs is not None and their_context is not None:
        try:
            build(their_context, f"{IMAGE_REPO}/{entry.name}:theirs", logs / "theirs.log", args.timeout, theirs)
            result.theirs_size = image_size(f"{IMAGE_REPO}/{entry.name}:theirs")
        except BenchError as error:
            result.theirs_detail = str(error)
        if result.outcome == "ok":
            ready_theirs = theirs if result.theirs_size is not None else None
            try:
                roots = (scratch / entry.name, scratch / f"{entry.name}-theirs")
                measure_rebuild(result, roots, their_context, ready_theirs, logs, args.timeout)
            except BenchError as error:
                result.theirs_detail = result.theirs_detail or f"rebuild: {error}"
    return result


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def fmt_mb(value: int | None) -> str:
    return "" if value is None else f"{value / 1e6:.0f} MB"


def table(results: Sequence[Result], header: str) -> str:
    ok = sum(r.outcome == "ok" for r in results)
    tried = [r for r in results if r.outcome != "not fetched"]
    counts = ", ".join(f"{o}: {n}" for o in OUTCOMES if (n := sum(r.outcome == o for r in results)))
    lines = [
        f"# Corpus results, {datetime.date.today().isoformat()}",
        "",
        header,
        "",
        f"**{ok} of {len(tried)} repositories ({100 * ok / max(len(tried), 1):.0f}%) build and pass their smoke "
        f"command on the first `dockergen init` with no flags.** ({counts})",
        "",
        "| repository | kind | outcome | notes; first line of the failure | build | image | maintainers' image "
        "| code change: dockergen / theirs |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        e = r.entry
        build_time = "" if r.build_seconds is None else f"{r.build_seconds:.0f} s"
        theirs = fmt_mb(r.theirs_size) or (f"fails: {r.theirs_detail}" if r.theirs_detail else "")
        rebuild = " / ".join(f"{s:.1f} s, {b / 1e6:.2f} MB" for s, b in r.rebuild.values())
        where = f"[{e.repo}](https://github.com/{e.repo}/tree/{e.commit})" + ("" if e.path == "." else f" `{e.path}`")
        detail = "; ".join(filter(None, [*r.machine, r.detail]))
        lines.append(
            f"| {where} | {', '.join(e.tags)} | {r.outcome} | {cell(detail)} | {build_time} | {fmt_mb(r.size)} "
            f"| {cell(theirs)} | {rebuild} |"
        )
    return "\n".join(lines) + "\n"


def decisions(entry: Entry, project: Path) -> list[str]:
    """What dockergen decides now that differs from the manifest's [expect]: no Docker, a second."""
    try:
        facts, plan = dockergen.plan(project)
    except InspectError as error:
        return [f"error: {error}"]
    found = {"manager": facts.manager, "python": facts.python.version, "command": " ".join(plan.runner.command)}
    return [f"{key}: expected {want!r}, got {found[key]!r}" for key, want in entry.expect.items() if found[key] != want]


def freshness(project: Path) -> tuple[str, bool]:
    """dockergen's verdict on the lock beside the tool's own, and whether they differ. Two
    differences are by design, and dockergen's note says so: a version bump, and a Pipfile.lock
    whose hash an older pipenv wrote (the tool calls both stale; both install)."""
    try:
        facts = dockergen.inspect(project)
    except InspectError as error:
        return f"error: {error}", True
    if facts.manager not in lock_tools.STALE or facts.lock_file is None:
        return f"{facts.manager}: no lock a tool checks", False
    ours = {True: "current", False: "stale", None: "not judged"}[facts.lock_consistent]
    try:
        current, _ = lock_tools.verdict(facts.manager, project, facts.python.version)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        return f"{facts.manager} could not check it ({str(error).splitlines()[0]}); dockergen: {ours}", False
    theirs = "current" if current else "stale"
    # The documented differences: a version bump, and a Pipfile hash an older pipenv wrote.
    known = ("is not the lock's", "calls the lock out of date")
    documented = not current and facts.lock_consistent is True and any(text in facts.lock_note for text in known)
    differs = ours != theirs and not documented and facts.lock_consistent is not None
    verdict = f"{facts.manager} says {theirs}, dockergen {ours}" + (f" ({facts.lock_note})" if documented else "")
    return verdict + (f": DIFFERENT ({facts.lock_note})" if differs else ""), differs


def offline(entries: Sequence[Entry], args: argparse.Namespace) -> int:
    """--decisions, --lint and --freshness: each repository extracted once, its Dockerfile removed (as someone
    adopting dockergen would), then its decisions compared and/or the Dockerfile `dockergen init`
    writes generated for the linters, which run once over all of them at the end."""
    changed = 0
    to_lint: dict[str, Path] = {}
    not_linted: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="dockergen-corpus-lint-") as lint_dir:
        for entry in entries:
            with tempfile.TemporaryDirectory(prefix="dockergen-corpus-") as scratch:
                try:
                    project = extract(entry, Path(scratch))
                except FileNotFoundError:
                    not_linted[entry.name] = f"not fetched: no snapshot at {entry.git_dir}"
                    if args.decisions:
                        print(f"{entry.name}: {not_linted[entry.name]}")
                        changed += 1
                    continue
                for name in ("Dockerfile", "dockerfile"):
                    if (project / name).is_file():
                        (project / name).unlink()
                if args.decisions:
                    differences = decisions(entry, project)
                    changed += bool(differences)
                    for line in differences or ["as expected"]:
                        print(f"{entry.name}: {line}")
                if args.freshness:
                    line, differs = freshness(project)
                    changed += differs
                    print(f"{entry.name}: freshness: {line}")
                if args.lint:
                    try:
                        text = next(iter(dockergen.generate(project).values()))  # the Dockerfile comes first
                    except InspectError as error:
                        not_linted[entry.name] = f"no Dockerfile: {error}"
                        continue
                    target = Path(lint_dir) / entry.name / "Dockerfile"
                    target.parent.mkdir()
                    target.write_text(text)
                    to_lint[entry.name] = target
        if not args.lint:
            return 1 if changed else 0
        progress(f"linting {len(to_lint)} Dockerfiles: hadolint (no configuration), checkov {linters.CHECKOV_VERSION}")
        found = linters.lint(list(to_lint.values())) if to_lint else {}
    findings = 0
    for entry in entries:
        if entry.name in not_linted:
            print(f"{entry.name}: lint: {not_linted[entry.name]}")
            continue
        lines = found[to_lint[entry.name]]
        findings += len(lines)
        for line in lines or ["clean"]:
            print(f"{entry.name}: lint: {line}")
    print(
        f"lint: {len(to_lint)} Dockerfiles, {findings} findings"
        + (f"; {len(not_linted)} not linted ({', '.join(sorted(not_linted))})" if not_linted else "")
    )
    return 1 if changed or findings else 0


def record(entry: Entry, project: Path) -> None:
    """Write what dockergen decided for a repository that passed as its manifest's [expect] table
    (replacing an older one), for --decisions to compare later runs with."""
    facts, plan = dockergen.plan(project)
    file = MANIFESTS / f"{entry.name}.toml"
    text = file.read_text().split("\n[expect]\n", 1)[0].rstrip("\n")
    values = {"manager": facts.manager, "python": facts.python.version, "command": " ".join(plan.runner.command)}
    body = "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items())
    file.write_text(f"{text}\n\n[expect]\n{body}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="manifest names (default: all of benchmarks/corpus/)")
    parser.add_argument("--theirs", action="store_true", help="also build the maintainers' Dockerfile and compare")
    parser.add_argument("--out", type=Path, help="results file (default: benchmarks/corpus-results-DATE.md)")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds a build may take (default 1200)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON lines")
    parser.add_argument(
        "--decisions", action="store_true", help="no Docker: compare dockergen's decisions with each [expect]"
    )
    parser.add_argument(
        "--lint", action="store_true", help="no Docker: run hadolint and checkov on each generated Dockerfile"
    )
    parser.add_argument(
        "--freshness",
        action="store_true",
        help="compare dockergen's verdict on each lock with the tool's own (uv lock --check, poetry check --lock, "
        "pdm lock --check, pipenv verify); uv runs in a python stand-in image",
    )
    parser.add_argument(
        "--record", action="store_true", help="write the decisions of each passing repository as its [expect]"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    files = sorted(MANIFESTS.glob("*.toml"))
    if args.names:
        files = [f for f in files if f.stem in args.names]
        if missing := set(args.names) - {f.stem for f in files}:
            print(f"corpus: no manifest for {', '.join(sorted(missing))}", file=sys.stderr)
            return 2
    try:
        entries = [Entry.load(f) for f in files]
    except (BenchError, KeyError, tomllib.TOMLDecodeError) as error:
        print(f"corpus: {error}", file=sys.stderr)
        return 2
    if args.decisions or args.lint or args.freshness:
        return offline(entries, args)
    results: list[Result] = []
    log_root = Path(tempfile.mkdtemp(prefix="dockergen-corpus-logs-"))
    progress(f"{len(entries)} repositories; logs under {log_root}")
    for number, entry in enumerate(entries, 1):
        logs = log_root / entry.name
        logs.mkdir()
        start = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="dockergen-corpus-") as scratch:
            result = check(entry, Path(scratch), logs, args)
        results.append(result)
        took = time.perf_counter() - start
        progress(f"[{number}/{len(entries)}] {entry.name}: {result.outcome} ({took:.0f} s) {result.detail[:160]}")
        if args.json:
            with args.json.open("a") as handle:
                handle.write(
                    json.dumps({"name": entry.name, "outcome": result.outcome, "detail": result.detail}) + "\n"
                )
    header = f"{seed_table.host_line()}. Logs were in `{log_root}`."
    out = args.out or HERE / f"corpus-results-{datetime.date.today().isoformat()}.md"
    out.write_text(table(results, header))
    progress(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
