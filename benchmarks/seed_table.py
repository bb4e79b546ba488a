#!/usr/bin/env python3
"""Seed table for dockergen's benchmark (issue 6): dockergen's Dockerfile against a naive one and
a hand-tuned uv one, built side by side with real `docker build` on scratch copies of a project.

    python benchmarks/seed_table.py [--project PATH] [--repeat N] [--out FILE] [--smoke]

Per variant and repetition: a cold build (build cache and cache mounts pruned, the variant's
images removed), a rebuild with no change, a rebuild after a one-line code change, and a rebuild
after `uv add rich` (dockergen's Dockerfile regenerated; the other two are static). Each rebuild's
"push bytes" is what a registry push would send: the uncompressed size of the layers whose diff
IDs the previous image did not have. Under the table: `dockergen.generate` timed on a synthetic
500-package uv.lock. Stdlib only, plus dockergen itself; progress goes to stderr, one line a build.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import dockergen

try:
    import tomllib
except ImportError:  # Python < 3.11: dockergen itself depends on tomli there
    import tomli as tomllib  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
DEFAULT_PROJECT = HERE / "bench-app"
VARIANTS = ("dockergen", "uv-hand-tuned", "naive")
STATIC_DOCKERFILES = {"uv-hand-tuned": HERE / "uv-hand-tuned.Dockerfile", "naive": HERE / "naive.Dockerfile"}
IMAGE_REPO = "dockergen-bench"
STEPS = ("cold", "nochange", "code", "dep")
ADDED_DEPENDENCY = "rich"
CODE_FILE = Path("src/benchapp/main.py")
LOG_TAIL = 30
GENERATE_PACKAGES = 500
GENERATE_RUNS = 20
# Left out of the scratch copies: local state a developer's checkout has and a build must not see.
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache", ".mypy_cache",
    "dist", "build", "*.egg-info", "Dockerfile", "Dockerfile.bak*", ".dockerignore", ".dockerignore.bak*",
)  # fmt: skip
MB = 1_000_000
SYNTH_PLATFORMS = (
    "manylinux_2_17_x86_64.manylinux2014_x86_64",
    "manylinux_2_17_aarch64.manylinux2014_aarch64",
    "macosx_11_0_arm64",
    "win_amd64",
)


class BenchError(Exception):
    """A step failed: the message (and any log tail) is shown instead of a traceback."""


@dataclass
class Samples:
    """Every repetition's numbers for one variant, by metric name."""

    values: dict[str, list[float]] = field(default_factory=dict)
    changed: list[list[str]] = field(default_factory=list)  # packages the dependency change touched, per rep

    def add(self, metric: str, value: float) -> None:
        self.values.setdefault(metric, []).append(value)

    def median(self, metric: str) -> float | None:
        data = self.values.get(metric)
        return statistics.median(data) if data else None


LOADS: list[float] = []  # 1-minute load average before each build: other work on the machine skews timings


# ---------------------------------------------------------------- processes and docker


def progress(message: str) -> None:
    """One line on stderr: a full run takes many minutes, so say what is happening."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(cmd: Sequence[str], *, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a helper command (not a timed build); failures become a BenchError with its output's tail."""
    proc = subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True)
    if check and proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-LOG_TAIL:])
        raise BenchError(f"`{' '.join(cmd)}` failed with exit code {proc.returncode}:\n{tail}")
    return proc


def docker_env() -> dict[str, str]:
    """BuildKit on, whatever the caller's environment says."""
    return {**os.environ, "DOCKER_BUILDKIT": "1"}


def build(context: Path, tag: str, log: Path, label: str) -> float:
    """`docker build` the context's Dockerfile and return the wall-clock seconds; the full plain log
    goes to a file, and a failure stops the run with the log's last lines."""
    cmd = ["docker", "build", "--progress=plain", "-t", tag, str(context)]
    load = os.getloadavg()[0]
    LOADS.append(load)
    start = time.perf_counter()
    with log.open("w") as handle:
        proc = subprocess.run(cmd, stdout=handle, stderr=subprocess.STDOUT, env=docker_env())
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-LOG_TAIL:])
        raise BenchError(f"{label}: `docker build` failed (exit {proc.returncode}); full log {log}\n{tail}")
    progress(f"{label}: {seconds:7.1f} s  (load before {load:.2f})")
    return seconds


def image_id(tag: str) -> str:
    return run(["docker", "image", "inspect", "-f", "{{.Id}}", tag]).stdout.strip()


def image_size(tag: str) -> int:
    return int(run(["docker", "image", "inspect", "-f", "{{.Size}}", tag]).stdout.strip())


def diff_ids(tag: str) -> list[str]:
    return json.loads(run(["docker", "image", "inspect", "-f", "{{json .RootFS.Layers}}", tag]).stdout)


def layer_sizes(tag: str) -> dict[str, int]:
    """Uncompressed size of each layer of an image, by diff ID: the layer tars of a streamed
    `docker save`, in manifest.json's order, which is the order of the image's RootFS.Layers."""
    proc = subprocess.Popen(["docker", "save", tag], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    sizes: dict[str, int] = {}
    links: dict[str, str] = {}
    manifest = b"[]"
    with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
        for member in tar:  # 20.10 writes <id>/layer.tar; newer engines an OCI layout with blobs/sha256/<digest>
            if member.name == "manifest.json":
                handle = tar.extractfile(member)
                manifest = handle.read() if handle else manifest
            elif member.issym() or member.islnk():
                links[member.name] = os.path.normpath(os.path.join(os.path.dirname(member.name), member.linkname))
            elif member.isfile():
                sizes[member.name] = member.size
    stderr = proc.stderr.read().decode(errors="replace")
    if proc.wait() != 0:
        raise BenchError(f"`docker save {tag}` failed: {stderr.strip()}")
    layers = json.loads(manifest)[0]["Layers"]
    ids = diff_ids(tag)
    if len(layers) != len(ids):
        raise BenchError(f"`docker save {tag}`: {len(layers)} layer tars for {len(ids)} diff IDs")
    return {diff_id: sizes[links.get(name, name)] for name, diff_id in zip(layers, ids)}


_layer_cache: dict[str, dict[str, int]] = {}


def push_bytes(previous: str, current: str) -> int:
    """Bytes a push of `current` sends to a registry that holds `previous`: its layers with new diff IDs."""
    if image_id(previous) == image_id(current):
        return 0
    old = set(diff_ids(previous))
    new = [d for d in diff_ids(current) if d not in old]
    if not new:
        return 0
    key = image_id(current)
    if key not in _layer_cache:
        _layer_cache[key] = layer_sizes(current)
    return sum(_layer_cache[key][d] for d in dict.fromkeys(new))


PACKAGE_BYTES = r"""
import os, sys
from importlib import metadata
seen, total = set(), 0
for name in sys.argv[1:]:
    dist = metadata.distribution(name)
    site = str(dist.locate_file(""))
    for entry in dist.files or []:
        top = entry.parts[0]
        if top == "..":
            seen.add(os.path.normpath(str(dist.locate_file(entry))))
        else:
            seen.add(os.path.join(site, top))
            if top.endswith(".py"):
                cache = os.path.join(site, "__pycache__")
                stem = top[:-3] + "."
                seen.update(os.path.join(cache, f) for f in os.listdir(cache) if f.startswith(stem))
for path in seen:
    if os.path.isdir(path):
        total += sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)
    elif os.path.isfile(path):
        total += os.path.getsize(path)
print(total)
"""


def installed_bytes(tag: str, names: Sequence[str]) -> int:
    """Installed size (files and their bytecode) of some distributions inside an image: what a
    dependency change has to ship at the least."""
    if not names:
        return 0
    proc = run(["docker", "run", "--rm", "--entrypoint", "python", tag, "-c", PACKAGE_BYTES, *names])
    return int(proc.stdout.strip().splitlines()[-1])


def check_serves(tag: str, port: int = 8000, timeout: float = 60.0) -> None:
    """Run the image's own command and wait for its port: a size or a time of an image that does
    not start would be meaningless."""
    cid = run(["docker", "run", "-d", tag]).stdout.strip()
    probe = f"import socket; socket.create_connection(('127.0.0.1', {port}), 2).close()"
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if run(["docker", "exec", cid, "python", "-c", probe], check=False).returncode == 0:
                return
            if run(["docker", "inspect", "-f", "{{.State.Running}}", cid]).stdout.strip() != "true":
                break
            time.sleep(1)
        logs = run(["docker", "logs", "--tail", str(LOG_TAIL), cid], check=False)
        raise BenchError(f"{tag} does not listen on port {port}:\n{logs.stdout}{logs.stderr}")
    finally:
        run(["docker", "rm", "-f", cid], check=False)


def reset_cold(variant: str) -> None:
    """A cold build starts with no build cache, no cache mounts and none of the variant's images."""
    run(["docker", "builder", "prune", "-af"])
    tags = [f"{IMAGE_REPO}/{variant}:{step}" for step in STEPS]
    present = [t for t in tags if run(["docker", "image", "inspect", t], check=False).returncode == 0]
    if present:
        run(["docker", "rmi", "-f", *present])


# ---------------------------------------------------------------- the scratch project


def uv_binary() -> str:
    """The real uv: $UV, then PATH, then the machine's tools folder."""
    for candidate in (os.environ.get("UV"), shutil.which("uv"), "/opt/tools/uv/bin/uv"):
        if candidate and Path(candidate).is_file():
            return candidate
    raise BenchError("uv not found: set UV=/path/to/uv or put uv on PATH")


def write_dockergen_files(context: Path) -> str:
    """dockergen's Dockerfile and .dockerignore for the context, as `dockergen generate` writes them."""
    try:
        files = dockergen.generate(context)
    except Exception as exc:  # dockergen's own errors name the file and the problem
        raise BenchError(f"dockergen could not generate for {context}: {exc}") from None
    for name, text in files.items():
        (context / name).write_text(text)
    return files["Dockerfile"]


def prepare(project: Path, context: Path, variant: str) -> None:
    """A fresh scratch copy of the project with the variant's Dockerfile (dockergen's also gets its
    .dockerignore); restoring it like this before each repetition makes every rep measure the same
    change."""
    if context.exists():
        shutil.rmtree(context)
    shutil.copytree(project, context, ignore=COPY_IGNORE)
    if variant == "dockergen":
        write_dockergen_files(context)
    else:
        shutil.copyfile(STATIC_DOCKERFILES[variant], context / "Dockerfile")


def change_code(context: Path) -> None:
    """The smallest code change: one comment line appended to the app module."""
    with (context / CODE_FILE).open("a") as handle:
        handle.write("# benchmark: a one-line code change\n")


def locked_versions(lock: Path) -> dict[str, str]:
    data = tomllib.loads(lock.read_text())
    return {p["name"]: str(p.get("version", "")) for p in data.get("package", [])}


def change_dependencies(context: Path, variant: str) -> list[str]:
    """`uv add` one package (pyproject.toml and uv.lock both change, nothing is installed on the
    host); dockergen's files are regenerated as a user would. Returns the added or changed packages."""
    before = locked_versions(context / "uv.lock")
    run([uv_binary(), "add", "--no-sync", "--quiet", ADDED_DEPENDENCY], cwd=context)
    after = locked_versions(context / "uv.lock")
    if variant == "dockergen":
        write_dockergen_files(context)
    name = tomllib.loads((context / "pyproject.toml").read_text())["project"]["name"]
    return sorted(n for n, v in after.items() if before.get(n) != v and n != name)


# ---------------------------------------------------------------- one variant, one repetition


def measure(variant: str, project: Path, work: Path, rep: int, args: argparse.Namespace, samples: Samples) -> None:
    """Cold build, no-change rebuild, code-change rebuild and dependency-change rebuild of one
    variant, each rebuild's push bytes against the image before it."""
    context = work / variant
    logs = args.logs or work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    prepare(project, context, variant)
    tag = {step: f"{IMAGE_REPO}/{variant}:{step}" for step in STEPS}
    label = f"rep {rep + 1}/{args.repeat} {variant:<13}"

    if not args.smoke:
        reset_cold(variant)
    samples.add("cold", build(context, tag["cold"], logs / f"{variant}-{rep}-cold.log", f"{label} cold build"))
    samples.add("size", image_size(tag["cold"]))
    if rep == 0:
        check_serves(tag["cold"])

    seconds = build(context, tag["nochange"], logs / f"{variant}-{rep}-nochange.log", f"{label} no-change rebuild")
    samples.add("nochange", seconds)
    samples.add("nochange_push", push_bytes(tag["cold"], tag["nochange"]))

    change_code(context)
    seconds = build(context, tag["code"], logs / f"{variant}-{rep}-code.log", f"{label} code-change rebuild")
    samples.add("code", seconds)
    samples.add("code_push", push_bytes(tag["nochange"], tag["code"]))

    changed = change_dependencies(context, variant)
    seconds = build(context, tag["dep"], logs / f"{variant}-{rep}-dep.log", f"{label} dependency-change rebuild")
    samples.add("dep", seconds)
    samples.add("dep_push", push_bytes(tag["code"], tag["dep"]))
    samples.add("dep_packages", installed_bytes(tag["dep"], changed))
    samples.changed.append(changed)
    if rep == 0:
        check_serves(tag["dep"])


# ---------------------------------------------------------------- dockergen generate on a big lock


def synthetic_project(root: Path, count: int = GENERATE_PACKAGES) -> None:
    """A valid uv project whose uv.lock holds `count` packages, in uv's own lock format: 50 direct
    dependencies, a dependency DAG reaching every package, some platform-marked edges, and per
    package an sdist plus a pure wheel or a set of CPython platform wheels."""
    rng = random.Random(6)
    names = [f"synth-pkg-{i:03d}" for i in range(count)]
    direct = names[:50]

    def digest(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    def files(name: str, version: str, native: bool) -> tuple[str, list[str]]:
        base, stem = "https://files.pythonhosted.org/packages", name.replace("-", "_")
        sdist = f"{stem}-{version}.tar.gz"
        sdist_line = (
            f'sdist = {{ url = "{base}/{digest(sdist)[:2]}/{digest(sdist)[2:4]}/{digest(sdist)[4:]}/{sdist}", '
            f'hash = "sha256:{digest(sdist + "h")}", size = {rng.randint(10_000, 5_000_000)}, '
            f'upload-time = "2026-10-01T12:00:00Z" }}'
        )
        if native:
            tags = [f"{py}-{py}-{plat}" for py in ("cp311", "cp312", "cp313") for plat in SYNTH_PLATFORMS]
        else:
            tags = ["py3-none-any"]
        wheels = []
        for tag in tags:
            wheel = f"{stem}-{version}-{tag}.whl"
            wheels.append(
                f'    {{ url = "{base}/{digest(wheel)[:2]}/{digest(wheel)[2:4]}/{digest(wheel)[4:]}/{wheel}", '
                f'hash = "sha256:{digest(wheel + "h")}", size = {rng.randint(5_000, 20_000_000)}, '
                f'upload-time = "2026-10-01T12:00:00Z" }},'
            )
        return sdist_line, wheels

    blocks = []
    for i, name in enumerate(names):
        version = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
        deps = [names[j] for j in (2 * i + 50, 2 * i + 51) if j < count]
        lines = [f'name = "{name}"', f'version = "{version}"', 'source = { registry = "https://pypi.org/simple" }']
        if deps:
            lines.append("dependencies = [")
            for k, dep in enumerate(deps):
                marker = ", marker = \"sys_platform == 'win32'\"" if (i + k) % 17 == 0 else ""
                lines.append(f'    {{ name = "{dep}"{marker} }},')
            lines.append("]")
        sdist_line, wheels = files(name, version, native=i % 5 == 0)
        lines.append(sdist_line)
        lines += ["wheels = [", *wheels, "]"]
        blocks.append((name, "\n".join(lines)))
    root_block = "\n".join(
        [
            'name = "synth"',
            'version = "0.1.0"',
            'source = { editable = "." }',
            "dependencies = [",
            *(f'    {{ name = "{d}" }},' for d in direct),
            "]",
            "",
            "[package.metadata]",
            "requires-dist = [",
            *(f'    {{ name = "{d}", specifier = ">=0" }},' for d in direct),
            "]",
        ]
    )
    blocks.append(("synth", root_block))
    blocks.sort()
    lock = 'version = 1\nrevision = 3\nrequires-python = ">=3.11"\n'
    lock += "".join(f"\n[[package]]\n{text}\n" for _, text in blocks)
    (root / "uv.lock").write_text(lock)
    deps = "".join(f'    "{d}>=0",\n' for d in direct)
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "synth"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = [\n{deps}]\n\n'
        '[project.scripts]\nsynth = "synth.cli:main"\n\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    )
    (root / "src" / "synth").mkdir(parents=True)
    (root / "src" / "synth" / "__init__.py").write_text("")
    (root / "src" / "synth" / "cli.py").write_text("def main() -> None:\n    print('synth')\n")


def time_generate(runs: int) -> tuple[list[float], str]:
    """Seconds per `dockergen.generate` call on the synthetic lock, after one warm-up call (imports,
    template compilation), and what the real uv says of the lock."""
    with tempfile.TemporaryDirectory(prefix="dockergen-synth-") as tmp:
        root = Path(tmp)
        synthetic_project(root)
        check = run([uv_binary(), "lock", "--check", "--offline", "--quiet"], cwd=root, check=False)
        verdict = (
            "accepted by `uv lock --check --offline`" if check.returncode == 0 else "NOT accepted by uv lock --check"
        )
        facts = dockergen.inspect(root)
        if len(facts.packages) != GENERATE_PACKAGES:
            raise BenchError(f"dockergen read {len(facts.packages)} of the {GENERATE_PACKAGES} synthetic packages")
        dockergen.generate(root)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            dockergen.generate(root)
            times.append(time.perf_counter() - start)
    return times, verdict


# ---------------------------------------------------------------- the report


def host_line() -> str:
    """Date, engine and hardware, so a table can be compared with a later one."""
    server = run(["docker", "version", "--format", "{{.Server.Version}}"]).stdout.strip()
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    today = datetime.date.today().isoformat()
    return (
        f"{today} · Docker Engine {server} (BuildKit) · {cpu} · {os.cpu_count()} cores · {mem} RAM · "
        f"{platform.system()} {platform.release()} · dockergen {dockergen.__version__}{source_state()}"
    )


def source_state() -> str:
    """Which dockergen source made the Dockerfile: an editable install follows the working tree."""
    src = Path(dockergen.__file__).resolve().parent.parent
    proc = run(["git", "-C", str(src), "describe", "--always", "--dirty"], check=False)
    return f" ({proc.stdout.strip()})" if proc.returncode == 0 and proc.stdout.strip() else ""


def fmt_bytes(value: float | None) -> str:
    if value is None:
        return "–"
    if value == 0:
        return "0 B"
    if value < MB:
        return f"{value / 1000:.1f} kB"
    return f"{value / MB:.1f} MB"


def fmt_seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} s"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "–"
    if b == 0:
        return "1.00×" if a == 0 else "n/a"
    return f"{a / b:.2f}×"


ROWS: tuple[tuple[str, str, Callable[[float | None], str]], ...] = (
    ("size", "image size", fmt_bytes),
    ("cold", "cold build", fmt_seconds),
    ("nochange", "no-change rebuild", fmt_seconds),
    ("nochange_push", "no-change push", fmt_bytes),
    ("code", "code-change rebuild", fmt_seconds),
    ("code_push", "code-change push", fmt_bytes),
    ("dep", "dependency-change rebuild", fmt_seconds),
    ("dep_push", "dependency-change push", fmt_bytes),
    ("dep_packages", "changed packages, installed (for scale)", fmt_bytes),
)


def table(results: dict[str, Samples], args: argparse.Namespace) -> str:
    """Medians per variant, and dockergen's ratios to the other two."""
    reps = "1 repetition (smoke: build cache kept, so 'cold' is warm)" if args.smoke else f"{args.repeat} repetitions"
    lines = [
        f"| median of {reps} | " + " | ".join(VARIANTS) + " | dockergen / hand-tuned | dockergen / naive |",
        "|---|" + "---:|" * (len(VARIANTS) + 2),
    ]
    for key, title, fmt in ROWS:
        medians = {v: results[v].median(key) for v in VARIANTS}
        cells = [fmt(medians[v]) for v in VARIANTS]
        cells += [ratio(medians["dockergen"], medians["uv-hand-tuned"]), ratio(medians["dockergen"], medians["naive"])]
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(results: dict[str, Samples]) -> str:
    """dockergen's numbers against the issue's targets, so a miss is not left to the reader."""
    dg, hand = results["dockergen"], results["uv-hand-tuned"]
    checks: list[tuple[str, bool]] = []
    size, hand_size = dg.median("size"), hand.median("size")
    if size is not None and hand_size:
        checks.append(
            (f"image size within 2% of hand-tuned ({(size / hand_size - 1) * 100:+.1f}%)", size <= hand_size * 1.02)
        )
    code, code_push = dg.median("code"), dg.median("code_push")
    if code is not None:
        checks.append((f"code-change rebuild <= 1.5 s ({code:.1f} s)", code <= 1.5))
    if code_push is not None:
        checks.append((f"code-change push < 1 MB ({fmt_bytes(code_push)})", code_push < MB))
    dep_push, changed = dg.median("dep_push"), dg.median("dep_packages")
    if dep_push is not None and changed:
        checks.append(
            (
                f"dependency-change push <= 2x the changed packages "
                f"({fmt_bytes(dep_push)} vs 2 x {fmt_bytes(changed)})",
                dep_push <= 2 * changed,
            )
        )
    cold, hand_cold = dg.median("cold"), hand.median("cold")
    if cold is not None and hand_cold:
        checks.append((f"cold build <= hand-tuned + 10% ({cold / hand_cold:.2f}x)", cold <= hand_cold * 1.1))
    return "\n".join(f"- {'met' if ok else '**missed**'}: {text}" for text, ok in checks)


def report(results: dict[str, Samples], args: argparse.Namespace, header: str, generate_times: list[float],
           verdict: str, dockerfile: str) -> str:  # fmt: skip
    """The markdown the run prints (and writes with --out)."""
    changed = results["dockergen"].changed or [[]]
    gen = statistics.median(generate_times)
    parts = [
        "# dockergen benchmark: seed table",
        "",
        header,
        "",
        f"Project: `{display(args.project)}`; code change: a comment line appended to `{CODE_FILE}`; "
        f"dependency change: `uv add {ADDED_DEPENDENCY}` (lock changes: {', '.join(changed[0]) or 'none'}). "
        "Push = uncompressed bytes of the layers whose diff IDs the previous image lacks. "
        f"Load average (1 min) before the builds: median {statistics.median(LOADS or [0]):.2f}, "
        f"max {max(LOADS or [0]):.2f} on {os.cpu_count()} cores.",
        "",
        table(results, args),
        "",
        "dockergen against the issue's targets:",
        "",
        targets(results),
        "",
        f"`dockergen.generate` on a synthetic {GENERATE_PACKAGES}-package uv.lock ({verdict}): "
        f"median {gen * 1000:.0f} ms of {len(generate_times)} runs "
        f"(min {min(generate_times) * 1000:.0f} ms, max {max(generate_times) * 1000:.0f} ms).",
        "",
        "<details><summary>dockergen's Dockerfile as built (cold)</summary>",
        "",
        "```dockerfile",
        dockerfile.rstrip(),
        "```",
        "",
        "</details>",
    ]
    return "\n".join(parts) + "\n"


def display(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(Path.cwd()))
    return str(path)


# ---------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], allow_abbrev=False)
    parser.add_argument(
        "--project", type=Path, default=DEFAULT_PROJECT, help="uv project to build (default: %(default)s)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per measurement (default: %(default)s)")
    parser.add_argument("--out", type=Path, help="also write the markdown report to this file")
    parser.add_argument("--logs", type=Path, help="keep every build's plain log in this folder")
    parser.add_argument("--smoke", action="store_true", help="CI smoke check: one repetition, no cold-build prune")
    args = parser.parse_args(argv)
    if args.smoke:
        args.repeat = 1
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not (args.project / "uv.lock").is_file():
        parser.error(f"{args.project} has no uv.lock: the benchmark needs a locked uv project")
    return args


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A work folder for the scratch copies and build logs; kept when a build fails, for its log."""
    path = Path(tempfile.mkdtemp(prefix="dockergen-bench-"))
    try:
        yield path
    except BaseException:
        progress(f"scratch copies and build logs kept in {path}")
        raise
    shutil.rmtree(path, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        header = host_line()
        results = {v: Samples() for v in VARIANTS}
        with scratch() as work:
            for rep in range(args.repeat):
                for variant in VARIANTS:  # interleaved, so drift in the network or load hits all three alike
                    measure(variant, args.project.resolve(), work, rep, args, results[variant])
            prepare(args.project.resolve(), work / "final", "dockergen")
            dockerfile = (work / "final" / "Dockerfile").read_text()
        runs = 3 if args.smoke else GENERATE_RUNS
        progress(f"timing dockergen.generate on a synthetic {GENERATE_PACKAGES}-package lock, {runs} runs")
        times, verdict = time_generate(runs)
    except BenchError as exc:
        print(f"seed_table: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("seed_table: interrupted", file=sys.stderr)
        return 130
    text = report(results, args, header, times, verdict, dockerfile)
    print(text, end="")
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
