#!/usr/bin/env python3
"""App-directory benchmark (issue 19): what a change to a Flask app that is not a package re-sends.

    python benchmarks/app_layers.py [--repeat N] [--out FILE] [--smoke] [--cold] [--registry]

The project is written at run time from a seed (benchmarks/README.md): a Flask app, `shop/`,
served by gunicorn from `wsgi.py`, with 22 MB of static files and templates, as a real one has
(photos, web fonts, vendored JavaScript libraries, a stylesheet, 150 templates). Two Dockerfiles
from the dockergen being measured, built side by side with real `docker build`:

- `dockergen`: the app directory in layers by how often its parts change (the default);
- `one layer`: `--app-layers 1`, the tree in one `COPY . /app`, as dockergen wrote it before.

Per variant and repetition: a first build (with --cold, after pruning the engine's build cache:
every user's, so it is not the default on a shared engine), then rebuilds after
no change, a one-line change to a Python file, a change to the stylesheet, a change to one photo
in static/img, a change to one template, and last a rebuild from scratch (`--no-cache`) of the
checkout with every file's time moved, as a fresh clone has it. Push bytes are what a registry
holding the image before each rebuild is sent: the uncompressed layers whose diff IDs it lacks
(as seed_table.py measures them) and, with --registry, the compressed bytes a real `docker push`
to Debian's docker-registry on loopback stored. The first repetition checks that each image
serves the home page and a static file with the bytes of the tree. Stdlib only, plus dockergen.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from seed_table import (
    LOADS,
    MB,
    BenchError,
    Samples,
    build,
    docker_env,
    fmt_bytes,
    fmt_seconds,
    host_line,
    image_size,
    progress,
    push_bytes,
    run,
    scratch,
)

import dockergen

SEED = 19
VARIANTS = {"dockergen": {}, "one layer": {"app_layers": 1}}
IMAGE_REPO = "dg-applayers-bench"
# The runner's user: one of this run's own (--uid to choose). The runner's first steps are not
# reproducible (useradd writes the day into /etc/shadow, the library step's mounts touch /etc and
# /tmp), and the --no-cache builds give them a second cache record, which BuildKit may pick at
# random: a uid no earlier run used keeps those records out of this run's images (and this run's
# out of other projects' images).
UID_RANGE = (20000, 29999)
STEPS = ("cold", "nochange", "code", "css", "img", "template", "fresh")
CODE_FILE = "shop/views.py"
CSS_FILE = "shop/static/css/site.css"
IMG_FILE = "shop/static/img/photo_07.jpg"
TEMPLATE_FILE = "shop/templates/pages/page_001.html"
PINS = (
    "flask==3.1.2", "werkzeug==3.1.3", "jinja2==3.1.6", "itsdangerous==2.2.0", "click==8.2.1", "blinker==1.9.0",
    "markupsafe==3.0.2", "gunicorn==23.0.0", "packaging==25.0",
)  # fmt: skip
WORDS = (
    "function", "return", "const", "let", "var", "if", "else", "for", "while", "this", "new", "null", "true",
    "false", "window", "document", "element", "value", "length", "push", "map", "filter", "style", "class",
    "display", "margin", "padding", "color", "border", "width", "height", "div", "span", "section", "article",
    "product", "price", "cart", "order", "customer", "shipping", "the", "a", "of", "and", "to", "in", "is",
)  # fmt: skip


# ---------------------------------------------------------------- the project, from a seed


def text(rng: random.Random, size: int, line: int = 100) -> str:
    """Code-like text of about size bytes: compresses as real JavaScript, CSS and HTML do."""
    out, length = [], 0
    while length < size:
        words = " ".join(rng.choice(WORDS) for _ in range(line // 7))
        out.append(words)
        length += len(words) + 1
    return "\n".join(out)[:size] + "\n"


def write_app(root: Path, seed: int = SEED) -> dict[str, int]:
    """The Flask app, the same bytes for the same seed; returns {directory: bytes} of its asset trees."""
    rng = random.Random(seed)
    files: dict[str, str | bytes] = {
        ".python-version": "3.13\n",
        "requirements.txt": "".join(f"{pin}\n" for pin in PINS),
        "wsgi.py": "from shop import create_app\n\napp = create_app()\n",
        "shop/__init__.py": (
            "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n"
            "    from . import views\n\n    app.register_blueprint(views.bp)\n    return app\n"
        ),
        "shop/views.py": (
            "from flask import Blueprint, render_template\n\nfrom .models import CATALOG\n\n"
            "bp = Blueprint('shop', __name__)\n\n\n@bp.route('/')\ndef index():\n"
            "    return render_template('index.html', products=CATALOG)\n\n\n"
            "@bp.route('/page/<int:number>')\ndef page(number):\n"
            "    return render_template(f'pages/page_{number:03d}.html')\n"
        ),
        "shop/models.py": "CATALOG = [\n"
        + "".join(f"    {{'name': 'product {i}', 'price': {rng.randint(1, 500)}}},\n" for i in range(40))
        + "]\n",
        "shop/templates/base.html": (
            "<!doctype html>\n<html><head><link rel=stylesheet href=/static/css/site.css></head>\n"
            "<body>{% block body %}{% endblock %}<script src=/static/js/app.js></script></body></html>\n"
        ),
        "shop/templates/index.html": (
            '{% extends "base.html" %}\n{% block body %}<ul>{% for p in products %}'
            "<li>{{ p.name }}: {{ p.price }}</li>{% endfor %}</ul>{% endblock %}\n"
        ),
        CSS_FILE: text(rng, 60_000),
        "shop/static/js/app.js": text(rng, 40_000),
        "shop/static/vendor/bootstrap/bootstrap.min.css": text(rng, 230_000, 2000),
        "shop/static/vendor/bootstrap/bootstrap.bundle.min.js": text(rng, 80_000, 2000),
        "shop/static/vendor/chartjs/chart.umd.js": text(rng, 700_000, 2000),
        "shop/static/vendor/leaflet/leaflet.js": text(rng, 150_000, 2000),
    }
    for n in range(150):
        body = f'{{% extends "base.html" %}}\n{{% block body %}}\n{text(rng, 12_000)}{{% endblock %}}\n'
        files[f"shop/templates/pages/page_{n:03d}.html"] = body
    for n in range(50):
        files[f"shop/static/img/photo_{n:02d}.jpg"] = rng.randbytes(200_000)
    for name in ("regular", "bold", "italic", "light"):
        files[f"shop/static/fonts/inter-{name}.woff2"] = rng.randbytes(400_000)
    for n in range(20):
        files[f"shop/static/vendor/leaflet/images/tiles_{n:02d}.png"] = rng.randbytes(70_000)
    for name in ("solid", "regular", "brands", "duotone"):
        files[f"shop/static/vendor/fontawesome/webfonts/fa-{name}.woff2"] = rng.randbytes(500_000)
    for n in range(1500):
        files[f"shop/static/vendor/fontawesome/svgs/icon-{n:04d}.svg"] = f"<svg>{text(rng, 650, 200)}</svg>\n"
    for n in range(300):
        files[f"shop/static/vendor/mathjax/output/chtml/fonts/f{n:03d}.js"] = text(rng, 10_000, 2000)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    sizes = {}
    for top in ("shop/static", "shop/static/img", "shop/templates"):
        sizes[top] = sum(p.stat().st_size for p in (root / top).rglob("*") if p.is_file())
    return sizes


def write_dockerfile(context: Path, options: dict[str, object]) -> str:
    try:
        files = dockergen.generate(context, **options)
    except Exception as exc:  # dockergen's own errors name the file and the problem
        raise BenchError(f"dockergen could not generate for {context}: {exc}") from None
    for name, content in files.items():
        (context / name).write_text(content)
    return files["Dockerfile"]


def change(context: Path, step: str, rep: int, nonce: str) -> None:
    """The change each rebuild measures: the same size in every repetition, with bytes no earlier
    build had (the nonce), so that each rebuild runs, whatever the build cache kept."""
    if step == "code":
        with (context / CODE_FILE).open("a") as handle:
            handle.write(f"# benchmark: a one-line code change {nonce}\n")
    elif step == "css":
        with (context / CSS_FILE).open("a") as handle:
            handle.write(f".benchmark-{nonce} {{ color: red }}\n")
    elif step == "img":
        size = (context / IMG_FILE).stat().st_size
        (context / IMG_FILE).write_bytes(random.Random(nonce).randbytes(size))  # a new photo, same size
    elif step == "template":
        with (context / TEMPLATE_FILE).open("a") as handle:
            handle.write(f"<!-- benchmark: a one-line template change {nonce} -->\n")
    elif step == "fresh":
        later = time.time() + 86_400 * (rep + 1)
        for path in context.rglob("*"):
            os.utime(path, (later, later), follow_symlinks=False)


SERVES = r"""
import hashlib, sys, time, urllib.request
for _ in range(60):
    try:
        home = urllib.request.urlopen("http://127.0.0.1:8000/", timeout=2)
        css = urllib.request.urlopen("http://127.0.0.1:8000/static/css/site.css", timeout=2).read()
        print(home.status, hashlib.sha256(css).hexdigest())
        sys.exit(0)
    except OSError:
        time.sleep(0.5)
sys.exit(1)
"""


def check_serves(tag: str, context: Path) -> None:
    """The image's own command serves the home page, and a static file with the tree's bytes."""
    cid = run(["docker", "run", "-d", "--read-only", "--tmpfs", "/tmp", tag]).stdout.strip()
    try:
        out = run(["docker", "exec", cid, "python", "-c", SERVES], check=False).stdout.split()
        expected = hashlib.sha256((context / CSS_FILE).read_bytes()).hexdigest()
        if out != ["200", expected]:
            logs = run(["docker", "logs", "--tail", "30", cid], check=False)
            raise BenchError(f"{tag} does not serve the app: {out}\n{logs.stdout}{logs.stderr}")
    finally:
        run(["docker", "rm", "-f", cid], check=False)


# ---------------------------------------------------------------- a registry on loopback


class Registry:
    """Debian's docker-registry on 127.0.0.1: a push's bytes are the blobs it stores (compressed)."""

    def __init__(self, work: Path) -> None:
        binary = shutil.which("docker-registry")
        if binary is None:
            raise BenchError("--registry: no docker-registry command (apt-get install docker-registry)")
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.data = work / "registry"
        config = work / "registry.yml"
        config.write_text(
            f"version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {self.data}\n"
            f"http:\n  addr: 127.0.0.1:{self.port}\n"
        )
        self.process = subprocess.Popen(
            [binary, "serve", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise BenchError("docker-registry did not start") from None
                time.sleep(0.1)
        self.tags: list[str] = []

    def stored(self) -> int:
        blobs = self.data / "docker" / "registry" / "v2" / "blobs"
        return sum(p.stat().st_size for p in blobs.rglob("data") if p.is_file()) if blobs.exists() else 0

    def push(self, tag: str, name: str) -> int:
        """Push tag as name and return the bytes the registry stored for it."""
        remote = f"127.0.0.1:{self.port}/{name}"
        run(["docker", "tag", tag, remote])
        self.tags.append(remote)
        before = self.stored()
        proc = subprocess.run(["docker", "push", remote], capture_output=True, text=True, env=docker_env())
        if proc.returncode != 0:
            raise BenchError(f"docker push {remote} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
        return self.stored() - before

    def close(self) -> None:
        """Stop the registry, and untag what was pushed: by tag, and by the digests a push records."""
        prefix = f"127.0.0.1:{self.port}/"
        listed = run(["docker", "images", "--digests", "--format", "{{.Repository}}@{{.Digest}}"], check=False).stdout
        pushed = [ref for ref in listed.split() if ref.startswith(prefix) and not ref.endswith("@<none>")]
        for refs in (sorted(set(self.tags)), pushed):
            if refs:
                run(["docker", "rmi", *refs], check=False)
        self.process.terminate()
        self.process.wait(10)


@contextlib.contextmanager
def registry(enabled: bool, work: Path) -> Iterator[Registry | None]:
    if not enabled:
        yield None
        return
    reg = Registry(work)
    try:
        yield reg
    finally:
        reg.close()


# ---------------------------------------------------------------- one variant, one repetition


def tags(variant: str, rep: int) -> dict[str, str]:
    slug = variant.replace(" ", "-")
    return {step: f"{IMAGE_REPO}/{slug}:{step}-{rep}" for step in STEPS}


def measure(
    variant: str, project: Path, work: Path, rep: int, args: argparse.Namespace, samples: Samples, reg: Registry | None
) -> str:
    """First build, then each change's rebuild with its push bytes (the fresh checkout's comes
    later: see fresh()); returns the Dockerfile built."""
    slug = variant.replace(" ", "-")
    context = work / f"{slug}-{rep}"
    logs = args.logs or work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    shutil.copytree(project, context)
    nonce = f"{time.time_ns():x}"  # a checkout no build has seen: the app's steps run in every first build
    with (context / "wsgi.py").open("a") as handle:
        handle.write(f"# checkout {nonce}\n")
    dockerfile = write_dockerfile(context, {"uid": args.uid, **VARIANTS[variant]})
    tag = tags(variant, rep)
    label = f"rep {rep + 1}/{args.repeat} {variant:<9}"
    if args.cold:
        run(["docker", "builder", "prune", "-af"])
    samples.add("cold", build(context, tag["cold"], logs / f"{slug}-{rep}-cold.log", f"{label} first build"))
    samples.add("size", image_size(tag["cold"]))
    samples.add("layers", int(run(["docker", "image", "inspect", "-f", "{{len .RootFS.Layers}}", tag["cold"]]).stdout))
    if rep == 0:
        check_serves(tag["cold"], context)
    if reg is not None:
        reg.push(tag["cold"], f"{IMAGE_REPO}-{slug}-{rep}")
    previous = tag["cold"]
    for step in STEPS[1:-1]:
        change(context, step, rep, nonce)
        what = "no-change" if step == "nochange" else f"{step}-change"
        samples.add(step, build(context, tag[step], logs / f"{slug}-{rep}-{step}.log", f"{label} {what} rebuild"))
        samples.add(f"{step}_push", push_bytes(previous, tag[step]))
        if reg is not None:
            samples.add(f"{step}_registry", reg.push(tag[step], f"{IMAGE_REPO}-{slug}-{rep}"))
        previous = tag[step]
    if rep == 0:
        check_serves(tag["template"], context)
    return dockerfile


def fresh(variant: str, work: Path, rep: int, args: argparse.Namespace, samples: Samples, reg: Registry | None) -> None:
    """The checkout with every file's time moved, as a fresh clone has it, built from scratch as a
    CI runner without a cache builds it (--no-cache), against the last image. Run after every
    other build: --no-cache gives the runner's steps that are not reproducible (useradd, the
    library step's mounts) a second cache record, which later builds may pick at random."""
    slug = variant.replace(" ", "-")
    context, tag = work / f"{slug}-{rep}", tags(variant, rep)
    log = (args.logs or work / "logs") / f"{slug}-{rep}-fresh.log"
    change(context, "fresh", rep, "")
    start = time.perf_counter()
    with log.open("w") as handle:
        cmd = ["docker", "build", "--no-cache", "--progress=plain", "-t", tag["fresh"], str(context)]
        proc = subprocess.run(cmd, stdout=handle, stderr=subprocess.STDOUT, env=docker_env())
    if proc.returncode != 0:
        raise BenchError(f"rep {rep + 1} {variant}: the --no-cache build failed; log {log}")
    seconds = time.perf_counter() - start
    samples.add("fresh", seconds)
    progress(f"rep {rep + 1}/{args.repeat} {variant:<9} fresh checkout, --no-cache build: {seconds:7.1f} s")
    samples.add("fresh_push", push_bytes(tag["template"], tag["fresh"]))
    if reg is not None:
        samples.add("fresh_registry", reg.push(tag["fresh"], f"{IMAGE_REPO}-{slug}-{rep}"))


# ---------------------------------------------------------------- the report


ROWS = (
    ("size", "image size", fmt_bytes),
    ("cold", "first build", fmt_seconds),
    ("nochange", "no-change rebuild", fmt_seconds),
    ("nochange_push", "no-change push", fmt_bytes),
    ("code", "code-change rebuild (one line of shop/views.py)", fmt_seconds),
    ("code_push", "code-change push", fmt_bytes),
    ("css_push", "stylesheet-change push (static/css/site.css, 60 kB)", fmt_bytes),
    ("img", "photo-change rebuild (one of static/img's 50)", fmt_seconds),
    ("img_push", "photo-change push", fmt_bytes),
    ("template_push", "template-change push (one of 150)", fmt_bytes),
    ("fresh_push", "fresh checkout, --no-cache rebuild: push", fmt_bytes),
)
REGISTRY_ROWS = (
    ("code_registry", "code-change push, registry (compressed)"),
    ("css_registry", "stylesheet-change push, registry"),
    ("img_registry", "photo-change push, registry"),
    ("template_registry", "template-change push, registry"),
    ("fresh_registry", "fresh-checkout push, registry"),
)


def table(results: dict[str, Samples], args: argparse.Namespace) -> str:
    reps = f"{args.repeat} repetition{'s' if args.repeat > 1 else ''}"
    reps += ", cold first builds" if args.cold else " (build cache kept: the first build reuses the dependencies)"
    names = list(VARIANTS)
    lines = [f"| median of {reps} | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    rows = [
        *ROWS,
        *((key, title, fmt_bytes) for key, title in REGISTRY_ROWS if results[names[0]].median(key) is not None),
    ]
    for key, title, fmt in rows:
        lines.append(f"| {title} | " + " | ".join(fmt(results[v].median(key)) for v in names) + " |")
    lines.append(
        "| layers in the image | " + " | ".join(str(int(results[v].median("layers") or 0)) for v in names) + " |"
    )
    return "\n".join(lines)


def targets(results: dict[str, Samples], sizes: dict[str, int]) -> str:
    """The issue's targets: a one-line code change re-sends under 1 MB, a static file's change about
    its directory, and the image is within 1% of the one-layer image's size."""
    dg, one = results["dockergen"], results["one layer"]
    checks = []
    code = dg.median("code_push")
    if code is not None:
        checks.append((f"code-change push < 1 MB ({fmt_bytes(code)})", code < MB))
    img = dg.median("img_push")
    if img is not None:
        directory = sizes["shop/static/img"]
        checks.append(
            (
                f"photo-change push about its directory, static/img ({fmt_bytes(img)} for {fmt_bytes(directory)}; "
                f"the whole static/ is {fmt_bytes(sizes['shop/static'])})",
                directory <= img <= directory * 1.1,
            )
        )
    size, before = dg.median("size"), one.median("size")
    if size and before:
        checks.append(
            (f"image size within 1% of one layer's ({(size / before - 1) * 100:+.2f}%)", abs(size / before - 1) <= 0.01)
        )
    return "\n".join(f"- {'met' if ok else '**missed**'}: {text}" for text, ok in checks)


def report(
    results: dict[str, Samples], args: argparse.Namespace, header: str, sizes: dict[str, int], dockerfile: str
) -> str:
    total = sizes["shop/static"] + sizes["shop/templates"]
    parts = [
        "# dockergen benchmark: the app directory in layers (issue 19)",
        "",
        header,
        "",
        f"Project: a Flask app written from seed {SEED} by `benchmarks/app_layers.py`, {fmt_bytes(total)} of static "
        f"files and templates (static/ {fmt_bytes(sizes['shop/static'])}, of which static/img "
        f"{fmt_bytes(sizes['shop/static/img'])}; templates/ {fmt_bytes(sizes['shop/templates'])}). "
        "`one layer` is the same dockergen with `--app-layers 1`: the tree in one `COPY . /app`, as before. "
        "Push = uncompressed bytes of the layers whose diff IDs the previous image lacks"
        + ("; registry = compressed bytes a real `docker push` stored." if args.registry else ".")
        + f" Load average (1 min) before the builds: median {statistics.median(LOADS or [0]):.2f}, "
        f"max {max(LOADS or [0]):.2f} on {os.cpu_count()} cores.",
        "",
        table(results, args),
        "",
        "dockergen against the issue's targets:",
        "",
        targets(results, sizes),
        "",
        "<details><summary>dockergen's Dockerfile as built</summary>",
        "",
        "```dockerfile",
        dockerfile.rstrip(),
        "```",
        "",
        "</details>",
    ]
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], allow_abbrev=False)
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (default: %(default)s)")
    parser.add_argument("--out", type=Path, help="also write the markdown report to this file")
    parser.add_argument("--logs", type=Path, help="keep every build's plain log in this folder")
    parser.add_argument("--smoke", action="store_true", help="one repetition")
    parser.add_argument("--cold", action="store_true", help="prune the build cache (every user's) before first builds")
    parser.add_argument("--registry", action="store_true", help="also push to a docker-registry on loopback")
    parser.add_argument("--uid", type=int, help="the runner's user (default: one of this run's own, 20000-29999)")
    args = parser.parse_args(argv)
    if args.uid is None:
        args.uid = random.SystemRandom().randint(*UID_RANGE)
    if args.smoke:
        args.repeat = 1
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        header = host_line()
        results = {v: Samples() for v in VARIANTS}
        with scratch() as work:
            project = work / "project"
            sizes = write_app(project)
            progress(f"project written: {', '.join(f'{k} {fmt_bytes(v)}' for k, v in sizes.items())}")
            with registry(args.registry, work) as reg:
                dockerfile = ""
                try:
                    for rep in range(args.repeat):
                        for variant in VARIANTS:  # interleaved, so drift in load hits both alike
                            built = measure(variant, project, work, rep, args, results[variant], reg)
                            dockerfile = built if variant == "dockergen" else dockerfile
                    for rep in range(args.repeat):
                        for variant in VARIANTS:
                            fresh(variant, work, rep, args, results[variant], reg)
                finally:
                    made = [t for v in VARIANTS for rep in range(args.repeat) for t in tags(v, rep).values()]
                    run(["docker", "rmi", *made], check=False)
    except BenchError as exc:
        print(f"app_layers: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("app_layers: interrupted", file=sys.stderr)
        return 130
    text_out = report(results, args, header, sizes, dockerfile)
    print(text_out, end="")
    if args.out:
        args.out.write_text(text_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
