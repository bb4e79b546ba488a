"""Facts + options -> BuildPlan: every decision about the Dockerfile is made here, with its reason.

The plan has the Dockerfile's shape: one small record per stage (images, builder base, dependency
step, project stage, library scan, runner, layers), each made by one function below. Templates
only render it; they decide nothing. What differs between managers is read from their
InstallTraits (inspectors/base.py), never from their names.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .compose import ComposePlan, plan_compose
from .cuda import GpuNeed, detect_gpu
from .cuda import data as cuda_data
from .facts import AssetDir, Entrypoint, EnvRead, InspectError, LockedPackage, ProjectFacts
from .inspectors import install_traits
from .inspectors.base import InstallTraits
from .native import (
    ARCHES,
    DEFAULT_PLATFORMS,
    NativeNeed,
    build_system_needs,
    covered_platforms,
    default_debian,
    external_needs,
    native_needs,
    wheel_bytes,
)
from .options import APT_NAME, ARG_LABELS, COMMAND_WORD, ENV_VALUE, LABEL_URL
from .project import ASSET_MIN_BYTES, ASSET_NAMES, data_toml

VENV = "/opt/venv"
SAFE_PATH = re.compile(r"^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9._/+-]*$")
DEFAULT_USER = "app"
DEFAULT_UID = 10001
WEB_KINDS = ("django", "asgi", "wsgi", "streamlit")
DEFAULT_LAYERS = 16
# A virtualenv whose wheels (as the lock records their sizes) total less stays one layer.
SMALL_VENV_WHEEL_BYTES = 8_000_000
PYPI = re.compile(r"^https://(pypi\.org|pypi\.python\.org|files\.pythonhosted\.org)(/|$)")
MAX_OWN_LAYERS = 6
DEFAULT_APP_LAYERS = 8
APP_LAYER_BYTES = 1_000_000  # an asset directory this large gets a layer of its own...
APP_LAYER_KEEP = ASSET_MIN_BYTES  # ...and keeps the one the Dockerfile gives it while it holds this much
WITHOUT_PROJECT = "requirements-without-project.txt"


@lru_cache(maxsize=1)
def tools() -> dict[str, Any]:
    return data_toml("tools.toml")


@dataclass(frozen=True)
class Tool:
    """A package manager pip-installs into /opt/<name> in the builder to run the install step."""

    name: str
    version: str
    pip: tuple[str, ...]  # the pins pip installs: the tool and what it needs beside it


@dataclass(frozen=True)
class Images:
    """The FROM lines, each a build argument a mirror can replace."""

    builder: str
    runner: str
    uv: str | None  # the uv binary's image: for uv installs, wheel builds and managed Pythons
    python_install: bool  # the base images have no Python: uv puts one in /opt/python in both


@dataclass(frozen=True)
class BuilderBase:
    """The `base` stage the dependency and project stages build in."""

    apt: tuple[str, ...]  # build-time Debian packages
    apt_for: tuple[str, ...]  # what needs them: compiled packages, git sources


@dataclass(frozen=True)
class DepsStep:
    """The `deps` stage: the locked runtime packages into the virtualenv, from manifest and lock only."""

    template: str  # templates/managers/<template>.j2
    tool: Tool | None
    inputs: tuple[str, ...]  # files bind-mounted into the install step
    writable_inputs: tuple[str, ...]  # of them, path package directories mounted read-write: a build writes there
    lock_file: str | None
    drops_project_line: bool  # the requirements file installs the project itself ('-e .'): a copy without it
    requirements_files: tuple[str, ...]  # `pip install -r` reads: the lock, that copy, or the runtime ones it includes
    declared: tuple[str, ...]  # specs installed by name: no lock, or a package's own beside plain requirements
    require_hashes: bool  # every package installed has hashes in the lock
    frozen: bool  # the lock was found current here: installed as it is (uv --frozen; pipenv sync, no verify)
    installs_export: bool  # the manager exports the lock and uv installs it (rather than the manager itself)
    groups: tuple[str, ...]
    extras: tuple[str, ...]
    tree_packages: tuple[str, ...]  # locked from a directory of the tree: built in the project stage
    left_out: tuple[str, ...]  # locked packages the install leaves out: the cpu variant's and those
    leaves_out_workspace: bool  # uv workspace members are built in the project stage
    package: str | None  # the workspace member whose dependencies are installed (uv sync --package)
    cpu_torch: tuple[str, ...]  # "torch==2.9.1" specs installed from the PyTorch CPU index
    cpu_index: str
    private_indexes: tuple[str, ...]  # index URLs other than PyPI: a netrc secret is mounted for them
    dev: bool = False  # the dev stage's install (compose.yaml): the development groups too, as the manager selects them


@dataclass(frozen=True)
class ProjectStage:
    """The `project` stage: wheels built from the tree, installed apart from the dependencies."""

    builds_project: bool  # the project itself is a package
    wheel_dirs: tuple[str, ...]  # workspace members and path packages, built as wheels too
    sources: tuple[str, ...]  # the directories copied to /src for them; (): the whole context
    version_variable: str | None  # set from the PROJECT_VERSION build argument: the version comes from git


@dataclass(frozen=True)
class LibraryScan:
    """The `libraries` stage: ldd and dpkg -S name the Debian packages the compiled modules link."""

    project: bool  # the project's own wheel has compiled modules: scanned too (after every code change)


@dataclass(frozen=True)
class ImageLabels:
    """The runner's LABELs (the labels setting): fixed values, and those build arguments fill."""

    fixed: tuple[tuple[str, str], ...]  # (key, value): the setting's, and the source from [project.urls]
    from_args: tuple[tuple[str, str], ...]  # (key, ARG name): the version and the revision


@dataclass(frozen=True)
class Runner:
    """The `runner` stage: a slim image with only what runs the app."""

    apt: tuple[str, ...]  # Debian packages installed as named (with a scan: beside what it finds)
    apt_for: tuple[str, ...]  # the packages whose needs they serve
    user: str
    uid: int
    command: tuple[str, ...]
    port: int | None
    healthcheck: bool
    app_directory: bool  # the tree is copied to /app: the command needs more than the package
    state_dirs: tuple[str, ...]  # directories of /app made the user's: the app keeps its state there
    pythonpath: str | None  # an app directory whose command imports from src/
    gpu_env: bool  # the NVIDIA Container Toolkit's variables: the image uses the host's GPUs
    env: tuple[tuple[str, str], ...] = ()  # the env setting: non-secret defaults in ENV
    needs_env: tuple[str, ...] = ()  # variables the app requires at run time that the image does not set
    health_path: str | None = None  # the healthcheck setting's HTTP path (None: a TCP connect, or no probe)
    health_off: bool = False  # the healthcheck setting turns the probe off
    steps: tuple[tuple[str, ...], ...] = ()  # the runner_steps setting: run as root before the app directory
    copies: tuple[str, ...] = ()  # the copy setting's paths, copied to /app (none when the tree is copied whole)
    labels: ImageLabels | None = None  # None: no labels setting


@dataclass(frozen=True)
class BuildStep:
    """One command run at build time (its words shell-quoted, in one RUN with the others), with why."""

    command: tuple[str, ...]
    reason: str  # a Dockerfile comment: built from validated names only
    source: str  # "collectstatic", "compilemessages", "babel", "setting"


@dataclass(frozen=True)
class AppStage:
    """The `app` stage: the app directory beside the installed dependencies, where the build steps
    run (collectstatic, compiling translations, the build setting); the runner copies /app from it.

    Why a stage of its own, FROM deps, rather than RUN lines in the runner: the steps need the
    code and the dependencies together, and some need tools the runner must not carry (gettext's
    msgfmt for compilemessages), so they run where the builder's tools are and only their output,
    the finished /app, reaches the runner. The stage starts from the dependency stage's finished
    layers, so a code change reruns the copy and the steps but no install, and the runner's
    virtualenv layers, copied from deps, keep their digests: only the /app layer is re-sent. The
    steps see placeholder values for the variables the settings require (SECRET_KEY...) in their
    own environment (`env NAME=value` before each command), never in ENV or ARG, and there is no
    database: collectstatic needs none. The steps are one RUN (one layer, and what linters ask),
    each word single-quoted where the shell would read it: every word is checked against
    COMMAND_WORD, so no quoting can be escaped.
    """

    steps: tuple[BuildStep, ...]
    placeholders: tuple[tuple[str, str], ...]  # required variables, given dummy values in each step's environment only
    env: tuple[tuple[str, str], ...]  # the env setting, as the runner has it
    apt: tuple[str, ...]  # build-time Debian packages of the steps (gettext for compilemessages)
    project: bool  # the project's own wheel is installed in the venv too (from the project stage)
    copies: tuple[str, ...]  # absolute paths outside /app a step writes (a literal STATIC_ROOT), copied too
    pythonpath: str | None  # as in the runner
    state_dirs: tuple[str, ...] = ()  # the runner's state directories the tree lacks: made for the steps, then removed

    def run(self, step: BuildStep) -> tuple[str, ...]:
        """A step's words: under `env NAME=placeholder ...` when the settings require variables."""
        if not self.placeholders:
            return step.command
        return ("env", *(f"{name}={value}" for name, value in self.placeholders), *step.command)


@dataclass(frozen=True)
class Layers:
    """The runner's virtualenv in layers, so a dependency change re-sends only what changed."""

    total: int  # 1: one COPY
    own: int  # of which the largest packages get one each; the rest share by a hash of their name

    @property
    def split(self) -> bool:
        return self.total > 1

    @property
    def shared(self) -> int:
        return self.total - 1 - self.own


@dataclass(frozen=True)
class AppPart:
    """One layer of the app directory: its directories, and why they are apart from the code."""

    paths: tuple[str, ...]  # absolute, as in the runner: /app/static/img; /srv/static (a STATIC_ROOT outside /app)
    kind: str  # "collectstatic": STATIC_ROOT; "large": a large asset directory; "together": smaller ones

    def describe(self) -> str:
        what = {"collectstatic": ": what collectstatic collects (STATIC_ROOT)", "large": "", "together": ": together"}
        return " ".join(self.paths) + what[self.kind]


@dataclass(frozen=True)
class AppLayers:
    """The app directory in layers that follow how often its parts change, as the virtualenv's
    follow its packages (issue 19): the large directories that rarely change (static files,
    vendored libraries, templates, translations, what collectstatic collects) in layers of their
    own, the code in the last one. A one-line code change then re-sends the code's layer only,
    and a change to one static file the layer of its directory, not the whole tree.

    How: an `app-layers` stage runs split_app.py with the tree mounted (the build context, or the
    app stage's /app after the build steps), which copies each part into a directory of its own
    with metadata that depends on the files' bytes only (fixed times, a fixed owner, sorted), and
    the runner copies each with its own COPY. COPY from the context cannot do this: it keeps the
    checkout's file times and gives /app the build's, so no layer is the same twice, and with no
    --exclude (Dockerfile 1.7) it cannot leave the asset directories out of the code's layer.
    With fixed metadata a part's layer has the same digest whichever build made it, and when an
    earlier part changes, the later COPYs run again but make the same bytes: nothing to re-send.

    Which directories: decided from names and sizes, so that `check` stays quiet. Directories
    named static, staticfiles, assets, public, vendor, templates, locale, locales or translations
    (project.ASSET_NAMES) are the candidates; their subdirectories two levels down may be split
    out too (static/img apart from static/css). A candidate of APP_LAYER_BYTES or more gets a
    layer of its own, in path order; the smaller ones share one layer when together they reach
    that size (written with a * segment where many differ in one name only: _collapse), and stay
    with the code otherwise. Sizes change as a project grows, so the threshold
    has hysteresis: a directory the project's Dockerfile already gives a layer of its own keeps it
    while it holds APP_LAYER_KEEP, half the threshold, and so does the shared layer; a file edited
    back and forth across the threshold does not make the Dockerfile flap. A small app gets no
    split at all (every sample but the Django one): nothing to gain, and one layer is simpler.
    What collectstatic collects (STATIC_ROOT, when the settings build it from BASE_DIR or give a
    literal path) is a part whenever collectstatic runs: its size is only known at build time,
    and it holds at least the static files of every installed app. The layers are bounded by the
    app_layers setting (default DEFAULT_APP_LAYERS, the code's included): candidates beyond it
    join the shared layer. The image's files are the same as with one COPY, at the same paths, so
    its size is unchanged.
    """

    parts: tuple[AppPart, ...]  # in COPY order; the rest of /app, the code, is the layer after them
    source: str  # "context": the build context; "app": the app stage's /app, after the build steps
    mounts: tuple[str, ...]  # paths outside /app the split reads from the app stage (an absolute STATIC_ROOT)
    owner: int  # /app's owner in every layer, as the runner made it

    @property
    def total(self) -> int:
        return len(self.parts) + 1


@dataclass(frozen=True)
class BuildContext:
    """What the .dockerignore leaves out of the build context beyond its defaults."""

    excluded: tuple[str, ...]  # root directories no stage reads and the image does not need (tests, docs)


@dataclass(frozen=True)
class GpuChoice:
    """What the GPU variant and strategy change in the other records."""

    left_out: tuple[str, ...] = ()  # the cpu variant leaves the GPU runtime packages out...
    cpu_torch: tuple[str, ...] = ()  # ...and installs these CPU builds instead
    cpu_index: str = ""
    toolkit_images: tuple[str, str] | None = None  # (builder, runner) nvidia/cuda images


@dataclass(frozen=True)
class BuildPlan:
    manager: str
    python: str
    debian: str
    images: Images
    base: BuilderBase
    deps: DepsStep
    project: ProjectStage | None  # None: nothing is built from the tree
    libraries: LibraryScan | None  # None: nothing compiled against Debian's libraries
    runner: Runner
    layers: Layers
    context: BuildContext
    app: AppStage | None  # None: no build steps; the runner copies the app directory from the context
    app_layers: AppLayers | None  # None: the app directory is one COPY (none, small, or app_layers = 1)
    helpers: tuple[str, ...]  # dockergen's scripts (templates/<name>.py) the `helpers` stage writes
    syntax: bool  # a `# syntax=` line (BuildKit then pulls its frontend image)
    native: tuple[NativeNeed, ...]
    gpu: GpuNeed | None
    variant: str
    reasons: tuple[str, ...]
    compose: ComposePlan | None = None  # None: no compose.yaml, and no dev stage in the Dockerfile

    @property
    def venv(self) -> str:
        return VENV

    def dev_plan(self) -> BuildPlan:
        """This plan with the dev stage's dependency step: the development groups installed too."""
        groups = self.compose.dev.groups if self.compose else ()
        return replace(self, deps=replace(self.deps, groups=(*self.deps.groups, *groups), dev=bool(groups)))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> list[str]:
        lines = [f"builder      {self.images.builder}", f"runner       {self.images.runner}"]
        lines += [f"native       {need.describe()}" for need in self.native]
        if self.app is not None:
            lines += [f"build step   {' '.join(step.command)}  ({step.source})" for step in self.app.steps]
        lines += [f"decision     {reason}" for reason in self.reasons]
        return lines


def make_plan(facts: ProjectFacts) -> BuildPlan:
    traits = install_traits(facts.manager)
    if traits.lock and facts.lock_file is None:
        raise InspectError(
            facts.inputs[0],
            f"no {traits.lock} beside it: the Dockerfile installs locked dependencies; "
            f"run `{traits.lock_command}` first",
        )
    refuse_written_secrets(facts)
    debian, debian_reason = debian_release(facts)
    reasons = [f"Python {facts.python.version}: {facts.python.reasons[0]}", f"Debian {debian}: {debian_reason}"]
    reasons += [reason for reason in facts.python.reasons[1:] if reason.startswith("WARNING")]
    needs, links_own, gpu, gpu_choice = plan_native(facts, traits, debian, reasons)
    base = plan_base(facts, needs, gpu_choice)
    entry = plan_entrypoint(facts, reasons)
    deps = plan_deps(facts, traits, gpu_choice, reasons)
    project = plan_project(facts, traits, reasons)
    libraries = plan_libraries(facts, needs, links_own, reasons)
    runner = plan_runner(facts, entry, needs, libraries, gpu, reasons)
    app = plan_app(facts, runner, project is not None, reasons)
    images = plan_images(facts, traits, debian, needs, base, deps, project, gpu_choice, reasons)
    layers = plan_layers(facts, traits, debian, reasons)
    context = plan_context(facts, deps, runner, reasons)
    app_layers = plan_app_layers(facts, runner, app, reasons)
    compose = plan_compose(facts, runner.command, runner.port, runner.healthcheck, reasons)
    return BuildPlan(
        manager=facts.manager,
        python=facts.python.version,
        debian=debian,
        images=images,
        base=base,
        deps=deps,
        project=project,
        libraries=libraries,
        runner=runner,
        layers=layers,
        context=context,
        app=app,
        app_layers=app_layers,
        helpers=plan_helpers(layers, deps, libraries, app_layers),
        syntax=bool(facts.settings.get("syntax", False)),
        native=tuple(needs),
        gpu=gpu,
        variant=facts.settings.get("variant", "gpu"),
        reasons=tuple(reasons),
        compose=compose,
    )


def refuse_written_secrets(facts: ProjectFacts) -> None:
    """A user or token written in an index or package URL is in a file the build context holds, so
    the project stage and an app directory would copy it into a layer: no Dockerfile is planned.
    A ${VARIABLE} in its place, or a netrc file passed as the netrc build secret, keeps it out."""
    where = [f"index {i.name}" for i in facts.indexes if i.secret]
    where += [f"{p.name} @ {p.source.url}" for p in facts.packages if p.source.secret]
    where += [f"{r.name} @ {r.url}" for r in facts.requirements if r.secret]
    if where:
        raise InspectError(
            facts.inputs[0] if facts.inputs else "pyproject.toml",
            f"{where[0]}: a user or token is written in the URL, and the file would be copied into the image; "
            "put it in a netrc file passed as the netrc build secret (README: Private package indexes)",
        )


def debian_release(facts: ProjectFacts) -> tuple[str, str]:
    if "debian" in facts.settings:
        return facts.settings["debian"], "debian setting"
    if default_debian(facts.python.version) == "trixie":
        return "trixie", f"Python {facts.python.version} images default to Debian 13 (trixie)"
    return "bookworm", f"Python {facts.python.version} is Debian 12's own Python: bookworm images"


def plan_native(
    facts: ProjectFacts, traits: InstallTraits, debian: str, reasons: list[str]
) -> tuple[list[NativeNeed], bool, GpuNeed | None, GpuChoice]:
    """What must be compiled and what the runner needs, and whether the project itself links
    Debian's libraries (PEP 725). One pass over the lock; the GPU decisions need it (a package
    compiling CUDA code means the toolkit images), and the cpu variant then drops what it leaves out."""
    python = facts.python.version
    runtime = facts.runtime_packages or declared_packages(facts, reasons)
    locked_needs = native_needs(runtime, python, debian)
    gpu = detect_gpu(runtime, facts.settings.get("cuda"), {n.package for n in locked_needs if n.built})
    choice = plan_gpu(facts, traits, gpu, debian, reasons)
    needs = [n for n in locked_needs if n.package not in choice.left_out]
    project_needs, unmapped = external_needs(facts.external, debian)
    needs += project_needs
    if facts.installable:
        needs += build_system_needs(facts.build_requires, debian)
    if unmapped:
        reasons.append(f"PEP 725 [external] not mapped to Debian packages (add them with apt): {', '.join(unmapped)}")
    judged = covered_platforms(runtime, DEFAULT_PLATFORMS)
    if judged != DEFAULT_PLATFORMS:
        unjudged = " ".join(ARCHES[p] for p in DEFAULT_PLATFORMS if p not in judged)
        reasons.append(f"wheel coverage not judged for {unjudged}: the lock records no wheels for it")
    return needs, bool(project_needs), gpu, choice


def declared_packages(facts: ProjectFacts, reasons: list[str]) -> tuple[LockedPackage, ...]:
    """With no lock, the declared runtime requirements stand for the packages, by name only: the
    native table's entries still apply, and packages it knows to publish no Linux wheels are
    compiled, but whether the others have a wheel is not known."""
    declared = tuple(LockedPackage(r.name, None, marker=r.marker) for r in facts.requirements if r.group == "main")
    if declared:
        reasons.append("no lock: native needs judged by package name from the native table; wheel coverage not checked")
    return declared


def plan_gpu(
    facts: ProjectFacts, traits: InstallTraits, gpu: GpuNeed | None, debian: str, reasons: list[str]
) -> GpuChoice:
    """The cpu variant swaps torch for its CPU build; the toolkit strategy needs its own images."""
    variant = facts.settings.get("variant", "gpu")
    if gpu is None:
        if variant == "cpu":
            reasons.append("variant cpu: no GPU packages in the lock, nothing to swap")
        return GpuChoice()
    reasons.extend(gpu.reasons)
    if variant == "gpu":
        if gpu.gpu_only:
            reasons.append(f"variant gpu: {len(gpu.gpu_only)} GPU runtime packages installed; --variant cpu drops them")
        if gpu.strategy != "toolkit":
            return GpuChoice()
        reasons.append(f"CUDA {gpu.cuda} toolkit images; Python {facts.python.version} is placed in them by uv")
        return GpuChoice(toolkit_images=gpu.images())
    if not traits.cpu_variant:
        raise InspectError(facts.lock_file or facts.root, "--variant cpu is supported for uv projects only, so far")
    choice = GpuChoice(
        left_out=tuple(sorted({*gpu.gpu_only, *(name for name, _ in gpu.torch_family)})),
        cpu_torch=tuple(f"{name}=={version.split('+')[0]}" for name, version in gpu.torch_family),
        cpu_index=cuda_data()["pytorch-index"]["cpu"],
    )
    reasons.append(
        f"variant cpu: leaves out {len(gpu.gpu_only)} GPU runtime packages and installs "
        f"{', '.join(choice.cpu_torch)} from the PyTorch CPU index (not hash-checked: not in the lock)"
    )
    dropped = [p for p in facts.runtime_packages if p.name in choice.left_out]
    saved = sum(wheel_bytes(p, facts.python.version, debian) for p in dropped)
    if saved:
        reasons.append(
            f"variant cpu: about {saved / 1e9:.1f} GB fewer wheel downloads on x86_64 (sizes from the lock), "
            "less the CPU torch wheel (a few hundred MB)"
        )
    return choice


def _apt(names: list[str], what: str) -> tuple[str, ...]:
    for name in names:
        if not APT_NAME.fullmatch(name):
            raise InspectError("dockergen/data/native_deps.toml", f"invalid Debian package name {name!r} for {what}")
    return tuple(sorted(set(names)))


def _from_git(facts: ProjectFacts, choice: GpuChoice) -> tuple[str, ...]:
    """Runtime packages installed from git: every installer clones them with the git command."""
    return tuple(sorted({p.name for p in facts.runtime_packages if p.source.kind == "git"} - set(choice.left_out)))


def plan_base(facts: ProjectFacts, needs: list[NativeNeed], choice: GpuChoice) -> BuilderBase:
    from_git = _from_git(facts, choice)
    extra = facts.settings.get("apt", {}).get("build", [])
    apt = _apt([p for n in needs for p in n.build] + extra + (["git"] if from_git else []), "the builder")
    return BuilderBase(apt=apt, apt_for=(*(n.package for n in needs if n.built and n.build), *from_git) if apt else ())


def plan_images(
    facts: ProjectFacts,
    traits: InstallTraits,
    debian: str,
    needs: list[NativeNeed],
    base: BuilderBase,
    deps: DepsStep,
    project: ProjectStage | None,
    choice: GpuChoice,
    reasons: list[str],
) -> Images:
    """The slim image builds when every package has a wheel; compiling or cloning needs the full one."""
    python, image = facts.python.version, facts.settings.get("image", "python")
    runner = f"{image}:{python}-slim-{debian}"
    maybe = [n.package for n in needs if n.maybe]
    if base.apt or maybe:
        builder = f"{image}:{python}-{debian}"
        from_git = _from_git(facts, choice)
        compiled = ", ".join(n.package for n in needs if n.built and n.build)
        why = [f"compiling needs {compiled}"] if compiled else []
        why += [f"{', '.join(maybe)} may compile (wheel coverage unknown)"] if maybe else []
        why += [f"git clones {', '.join(from_git)}"] if from_git else []
        reasons.append(f"full {image} image for the builder: {'; '.join(why) or 'extra build packages'}")
    else:
        builder = runner
        pure = [n.package for n in needs if n.built and not n.build]
        reasons.append(
            "slim builder: every locked package has a wheel for the target"
            + (f", or is a pure-Python sdist that builds with Python alone ({', '.join(pure)})" if pure else "")
        )
    if choice.toolkit_images:
        builder, runner = choice.toolkit_images
    if project and not traits.uv:
        reasons.append("project wheel built by uv in the builder (a second faster than pip); the runner has no uv")
    uses_uv = traits.uv or choice.toolkit_images is not None or project is not None or deps.installs_export
    uv = f"{tools()['uv']['image']}:{tools()['uv']['version']}" if uses_uv else None
    return Images(builder=builder, runner=runner, uv=uv, python_install=choice.toolkit_images is not None)


def plan_deps(facts: ProjectFacts, traits: InstallTraits, choice: GpuChoice, reasons: list[str]) -> DepsStep:
    groups = tuple(facts.settings.get("groups", ()))
    tree_packages = _tree_packages(facts, traits, reasons)
    # What the step installs from an index: packages from the tree are built from it instead.
    skipped = {*choice.left_out, *tree_packages}
    installed = [p for p in facts.packages if {"main", *groups} & set(p.groups) and p.name not in skipped]
    hashed = bool(installed) and all(p.hashed for p in installed)
    installs_export = traits.exports and _installs_export(facts, traits, hashed, reasons)
    drops_project_line = _drops_project_line(facts, traits, reasons)
    private = tuple(i.url for i in facts.indexes if not PYPI.match(i.url))
    if private:
        reasons.append(f"{len(private)} package index(es) besides PyPI: a netrc secret mounted on the install steps")
    return DepsStep(
        template=traits.template,
        tool=_tool(traits, installs_export),
        inputs=_inputs(facts),
        # A path package's whole directory in the deps step (PDM and Pipenv install it there, uv
        # reads a setup.py one's metadata) is mounted read-write: a build writes beside its sources.
        writable_inputs=tuple(path for _, path in facts.path_packages if path in facts.inputs),
        lock_file=facts.lock_file,
        drops_project_line=drops_project_line,
        requirements_files=_requirements_files(facts, drops_project_line, reasons),
        declared=_declared_specs(facts, traits),
        require_hashes=hashed,
        frozen=_frozen(facts, traits, reasons),
        installs_export=installs_export,
        groups=groups,
        extras=tuple(facts.settings.get("extras", ())),
        tree_packages=tree_packages,
        left_out=(*choice.left_out, *tree_packages, *([facts.own_entry] if facts.own_entry else [])),
        leaves_out_workspace=bool(facts.workspace_members or facts.package),
        package=facts.package,
        cpu_torch=choice.cpu_torch,
        cpu_index=choice.cpu_index,
        private_indexes=private,
    )


def _requirements_files(facts: ProjectFacts, drops_project_line: bool, reasons: list[str]) -> tuple[str, ...]:
    """The files `pip install -r` reads: the lock; a copy without the project's own line; or, for a
    requirements.txt that only includes others, the runtime ones among them."""
    if drops_project_line:
        return (WITHOUT_PROJECT,)
    if facts.install_files:
        reasons.append(f"installs {', '.join(facts.install_files)}: the runtime files {facts.lock_file} includes")
        return facts.install_files
    return (facts.lock_file,) if facts.lock_file else ()


def _tool(traits: InstallTraits, installs_export: bool) -> Tool | None:
    if traits.tool is None:
        return None
    data = tools()[traits.tool]
    pins = [f"{data['pip']}=={data['version']}", *data.get("with", [])]
    if installs_export:
        pins += data.get("export_with", [])
    return Tool(traits.tool, data["version"], pip=tuple(pins))


def _inputs(facts: ProjectFacts) -> tuple[str, ...]:
    """Files bind-mounted by name into a RUN line: the mount syntax allows no commas or spaces."""
    for name in facts.inputs:
        if not SAFE_PATH.fullmatch(name):
            raise InspectError(name, "file name has characters dockergen will not put in a Dockerfile mount")
    return facts.inputs


def _declared_specs(facts: ProjectFacts, traits: InstallTraits) -> tuple[str, ...]:
    """Declared requirements, installed by name: a manager without a lock, or, beside a plain
    requirements file, what the package itself declares (its wheel installs without dependencies).
    Not beside a file with hashes: pip then wants a hash for every requirement, and such a file
    was compiled with the package's dependencies in it."""
    if traits.resolved or any(p.hashed for p in facts.runtime_packages):
        return ()
    specs = []
    for req in facts.requirements:
        if req.group == "main":
            extras = f"[{','.join(req.extras)}]" if req.extras else ""
            # A direct reference stays one: by name alone pip would take any package of that name.
            target = f" @ {req.url}" + (" " if req.marker else "") if req.url else req.specifier
            specs.append(req.name + extras + target + (f"; {req.marker}" if req.marker else ""))
    return tuple(specs)


def _tree_packages(facts: ProjectFacts, traits: InstallTraits, reasons: list[str]) -> tuple[str, ...]:
    """Packages the lock installs from a directory of the tree, which the deps step has only the
    manifests of: the project stage builds them as wheels, like workspace members, unless the
    manager cannot leave them out of its install (then it builds them there, from the mounted
    directory). Returns the names left to the project stage."""
    for name, path in facts.path_packages:  # the names are checked by inspectors.check_names
        if path == ".." or path.startswith("../"):
            raise InspectError(
                facts.lock_file or "pyproject.toml",
                f"installs {name} from {path!r}, outside the project, which the build context (the project) cannot "
                f"hold: make the directory above both a uv workspace ([tool.uv.workspace] members naming both, and "
                f"{name} = {{ workspace = true }} in [tool.uv.sources]), run `uv lock` there, and "
                f"`dockergen init --package {facts.name}` there",
            )
        if not SAFE_PATH.fullmatch(path):
            raise InspectError(
                facts.lock_file or "pyproject.toml",
                f"installs {name} from {path!r}, which the build context cannot hold (outside the project, or a name "
                "dockergen will not put in a Dockerfile)",
            )
    if not facts.path_packages:
        return ()
    in_deps = traits.tree_packages == "deps-step"
    where = "in the deps step" if in_deps else "in the project stage, like the project"
    reasons.append(f"built from the tree {where}: {', '.join(name for name, _ in facts.path_packages)}")
    return () if in_deps else tuple(name for name, _ in facts.path_packages)


def _installs_export(facts: ProjectFacts, traits: InstallTraits, hashed: bool, reasons: list[str]) -> bool:
    """Whether uv installs what the manager exports: several times faster than Poetry's installer,
    and hash-checked. Without a hash for every package it installs (a git or file source; packages
    from a directory of the tree are built in the project stage), or with credentials in a source
    URL (the export leaves them out), the manager installs the lock itself."""
    tool = str(traits.tool).capitalize()
    if not hashed:
        reasons.append(f"{tool} installs the lock: a package it installs has no hashes in it (a git or file source)")
        return False
    if any(index.credentials for index in facts.indexes):
        reasons.append(f"{tool} installs the lock: a source URL carries credentials, which its export leaves out")
        return False
    if facts.export_problem:
        reasons.append(f"{tool} installs the lock: its export fails on it ({facts.export_problem})")
        return False
    reasons.append(f"{tool} exports the lock (refusing a stale one); uv installs it and checks every hash")
    return True


def _drops_project_line(facts: ProjectFacts, traits: InstallTraits, reasons: list[str]) -> bool:
    """Whether the requirements file's line for the project itself ('-e .') is dropped from the
    dependency step, which has only the requirements files: the project stage builds it instead.
    Any other path in the tree cannot install there, which is an error rather than a failed build."""
    if facts.local_paths:
        file, path = facts.local_paths[0]
        raise InspectError(
            file,
            f"installs {path!r} from the project tree, but the dependency step runs before the code is "
            "copied: only the project itself ('-e .' in requirements.txt) can be left to a later stage",
        )
    line, file = facts.project_line, facts.lock_file or "requirements.txt"
    if line is None:
        return False
    if not facts.installable:
        raise InspectError(file, f"installs the project itself ({line!r}), which has no setup.py or build backend")
    if "[" in line and not traits.resolved:
        raise InspectError(file, f"installs the project with extras ({line!r}): pin their packages in {file}")
    reasons.append(f"{file} installs the project itself ({line!r}): the deps step leaves it to the project stage")
    return True


def _frozen(facts: ProjectFacts, traits: InstallTraits, reasons: list[str]) -> bool:
    """Whether the lock installs as it is: the manager would check it again, less well than
    dockergen did (pipenv releases hash the Pipfile differently; uv --locked builds a project
    with dynamic metadata to compare it)."""
    if facts.lock_consistent is False:
        reasons.append(f"WARNING {facts.lock_note}: the locked install step will fail until it is fixed")
    if not traits.frozen or facts.lock_consistent is False:
        return False
    if facts.lock_consistent:
        reasons.append(traits.frozen)
    else:
        reasons.append(f"lock installed as it is: {facts.lock_note}, and checking it would build the project")
    return True


def plan_project(facts: ProjectFacts, traits: InstallTraits, reasons: list[str]) -> ProjectStage | None:
    """The project and the packages built from the tree, as wheels, apart from the dependencies."""
    in_project_stage = () if traits.tree_packages == "deps-step" else tuple(path for _, path in facts.path_packages)
    # A workspace member is built from its directory, with the members it depends on and no others.
    member = (facts.package_dir,) if facts.package_dir and facts.installable else ()
    wheel_dirs = member + facts.workspace_members + in_project_stage
    sources: tuple[str, ...] = ()
    if facts.package_dir:
        needed = ", ".join(facts.workspace_members) or "none"
        reasons.append(
            f"workspace member {facts.package_dir}: built with the members it depends on ({needed}), only their "
            "directories copied, so a change to another member leaves its layers alone"
        )
        sources = wheel_dirs
        for path in sources:
            if not SAFE_PATH.fullmatch(path):
                raise InspectError("pyproject.toml", f"workspace member {path!r} has a name dockergen will not COPY")
    if not (facts.installable or wheel_dirs):
        return None
    if facts.version_variable:
        reasons.append(
            f"version from git, which the context leaves out: {facts.version_variable} from --build-arg PROJECT_VERSION"
        )
    return ProjectStage(
        builds_project=facts.installable and not facts.package_dir,
        wheel_dirs=wheel_dirs,
        sources=sources,
        version_variable=facts.version_variable,
    )


def plan_libraries(
    facts: ProjectFacts, needs: list[NativeNeed], links_own: bool, reasons: list[str]
) -> LibraryScan | None:
    """Build packages are readied only for what compiles or may: those are what the runner links."""
    if not (any(n.build for n in needs) or facts.settings.get("apt", {}).get("build")):
        return None
    reasons.append(
        "runner libraries: what the compiled modules link against, found with ldd and dpkg -S in the builder "
        "(named as the image's Debian release names them)"
    )
    return LibraryScan(project=facts.installable and (facts.compiles_extensions or links_own))


def plan_entrypoint(facts: ProjectFacts, reasons: list[str]) -> Entrypoint:
    entry = facts.entrypoint
    if entry is None:
        entry = Entrypoint(("python",), "none", "no entrypoint found")
        reasons.append("WARNING no entrypoint found: CMD runs python; set [tool.dockergen] entrypoint")
    # A Procfile line run by sh -c is one JSON string in CMD: its words are the shell's to split.
    for word in entry.command[:2] if entry.shell else entry.command:
        if not COMMAND_WORD.fullmatch(word):
            raise InspectError(
                entry.source,
                f"entrypoint word {word!r} ({entry.reason}) needs a shell or has characters dockergen will not "
                "put in CMD; set [tool.dockergen] entrypoint",
            )
    return entry


def plan_runner(
    facts: ProjectFacts,
    entry: Entrypoint,
    needs: list[NativeNeed],
    libraries: LibraryScan | None,
    gpu: GpuNeed | None,
    reasons: list[str],
) -> Runner:
    settings = facts.settings
    port = settings.get("port") or entry.port
    health_path = _health_path(settings.get("healthcheck"), port, reasons)
    healthcheck = health_path is not None or (
        port is not None
        and "healthcheck" not in settings
        and (entry.kind in WEB_KINDS or (entry.kind == "procfile" and entry.port is not None))
    )
    if healthcheck and health_path is None:
        reasons.append(f"HEALTHCHECK: {entry.kind} app listening on port {port} (TCP connect with the image's Python)")
    apt = _apt([p for n in needs for p in n.run] + settings.get("apt", {}).get("run", []), "the runner")
    app_directory = _app_directory(facts, entry, reasons)
    copies = tuple(settings.get("copy", []))
    if copies and app_directory:
        reasons.append(f"copy setting: {', '.join(copies)} already in /app with the tree (kept in the build context)")
    state_dirs = facts.state_dirs if app_directory else ()
    if state_dirs:
        reasons.append(
            f"writable {', '.join('/app/' + d for d in state_dirs)}: .gitignore names them, so the app writes them"
        )
    return Runner(
        apt=apt,
        apt_for=tuple(n.package for n in needs if (n.built if libraries else n.run)),
        user=settings.get("user", DEFAULT_USER),
        uid=settings.get("uid", DEFAULT_UID),
        command=entry.command,
        port=port,
        healthcheck=healthcheck,
        app_directory=app_directory,
        state_dirs=state_dirs,
        pythonpath=f"/app/{entry.import_root}" if entry.import_root and not facts.installable else None,
        gpu_env=gpu is not None and settings.get("variant", "gpu") == "gpu",
        env=tuple(settings.get("env", {}).items()),
        needs_env=tuple(dict.fromkeys(read.name for read in facts.run_env)),
        health_path=health_path,
        health_off=settings.get("healthcheck") is False,
        steps=tuple(tuple(words) for words in settings.get("runner_steps", [])),
        copies=() if app_directory else copies,
        labels=plan_labels(facts, reasons),
    )


def plan_helpers(
    layers: Layers, deps: DepsStep, libraries: LibraryScan | None, app_layers: AppLayers | None
) -> tuple[str, ...]:
    """dockergen's scripts the stages run, all written by one `helpers` stage at the top of the
    file, so that a stage that runs one shows its command line, not the script."""
    used = {
        "split_layers": layers.split,  # the deps stage splits the virtualenv into layers
        "pylock_without": deps.template == "pylock" and bool(deps.left_out),  # a lock less its tree packages
        "runtime_libs": libraries is not None,  # the libraries stage names what the runner installs
        "split_app": app_layers is not None,  # the app-layers stage splits the app directory
    }
    return tuple(name for name, wanted in used.items() if wanted)


def plan_layers(facts: ProjectFacts, traits: InstallTraits, debian: str, reasons: list[str]) -> Layers:
    """How many layers the runner's virtualenv is copied in. A split costs the reader a helper
    stage and a COPY line a layer, and saves a dependency change the re-sending of what did not
    change, so: the layers setting; else one layer when the lock's wheels are small, since sending
    them all again costs little; else DEFAULT_LAYERS, or fewer when the lock has fewer packages
    than that fills (one layer each, one for what no package owns, one shared for the rest).
    Sizes come from the lock (uv.lock records them): a lock without them may hold a large package.
    Only a resolved lock names every package: a plain requirements file's few lines may install
    many more, so it keeps DEFAULT_LAYERS."""
    setting = facts.settings.get("layers")
    if setting is not None:
        return Layers(setting, min(MAX_OWN_LAYERS, (setting - 1) // 2))
    packages = [p for p in facts.runtime_packages if "main" in p.groups and p.source.kind == "registry"]
    sizes = [wheel_bytes(p, facts.python.version, debian) for p in packages]
    if packages and all(sizes) and sum(sizes) < SMALL_VENV_WHEEL_BYTES:
        reasons.append(
            f"virtualenv in one layer: the lock's {len(packages)} packages are {sum(sizes) / 1e6:.1f} MB of wheels "
            f"(under {SMALL_VENV_WHEEL_BYTES / 1e6:g} MB), little to send again after a dependency change; "
            "the layers setting splits it"
        )
        return Layers(1, 0)
    if traits.resolved and packages and len(packages) + 2 < DEFAULT_LAYERS:
        total = len(packages) + 2
        reasons.append(
            f"virtualenv in {total} layers: one for each of the lock's {len(packages)} packages, one for the files no "
            "package owns and one for any other"
        )
        return Layers(total, len(packages))
    return Layers(DEFAULT_LAYERS, min(MAX_OWN_LAYERS, (DEFAULT_LAYERS - 1) // 2))


def _health_path(setting: str | bool | None, port: int | None, reasons: list[str]) -> str | None:
    """The healthcheck setting: an HTTP path probed on the app's port, or (false) no probe."""
    if setting is False:
        reasons.append("healthcheck setting: no HEALTHCHECK")
        return None
    if not isinstance(setting, str):
        return None
    if port is None:
        raise InspectError(
            "pyproject.toml",
            f"[tool.dockergen] healthcheck = {setting!r} probes the app's port, and none is known: set port",
        )
    reasons.append(f"HEALTHCHECK: GET {setting} on port {port} must answer 2xx or 3xx (urllib, the image's Python)")
    return setting


def plan_labels(facts: ProjectFacts, reasons: list[str]) -> ImageLabels | None:
    """OCI labels: the setting's, the source repository from [project.urls] unless the setting
    gives one, and the version and revision from build arguments (known only when CI builds)."""
    if "labels" not in facts.settings:
        return None
    fixed = dict(facts.settings["labels"])
    source, url = "org.opencontainers.image.source", facts.source_url
    if source not in fixed and url is not None:
        if LABEL_URL.fullmatch(url) and ENV_VALUE.fullmatch(url):
            fixed = {source: url, **fixed}
            reasons.append(f"label {source} from [project.urls]: {url}")
        else:
            reasons.append(
                f"WARNING label {source} not set: [project.urls] names {url!r}, which is not an https URL "
                "dockergen writes; give it in labels"
            )
    return ImageLabels(fixed=tuple(fixed.items()), from_args=tuple(ARG_LABELS.items()))


def plan_context(facts: ProjectFacts, deps: DepsStep, runner: Runner, reasons: list[str]) -> BuildContext:
    """Test and docs directories leave the build context unless the dependency step reads a file
    in them or the command names one: no stage builds from them, and the image does not carry them."""
    named = (*deps.inputs, *runner.command, *facts.scripts.values())
    copies = facts.settings.get("copy", [])
    excluded = tuple(
        d
        for d in facts.unneeded_dirs
        if not any(word.startswith(f"{d}/") for word in (*named, *copies)) and d not in copies
    )
    if excluded:
        reasons.append(f"left out of the build context and the image: {', '.join(d + '/' for d in excluded)}")
    return BuildContext(excluded=excluded)


def _app_directory(facts: ProjectFacts, entry: Entrypoint, reasons: list[str]) -> bool:
    """A package's console script or module runs from its wheel alone; any other command (a
    manage.py, an app module, a Procfile line, a script file) reads the project's tree. The
    app_directory setting decides instead, where the command reads files this cannot see."""
    setting = facts.settings.get("app_directory")
    if setting is False and not facts.installable:
        raise InspectError(
            "pyproject.toml", "[tool.dockergen] app_directory = false, but the project is not built as a package"
        )
    if setting is not None:
        reasons.append(f"app_directory setting: the tree is {'' if setting else 'not '}copied to /app")
        return setting
    if not facts.installable:
        return True
    if entry.kind in ("script", "module", "none", "setting"):
        return False
    target = next((word for word in entry.command if ":" in word and not word.startswith(("0.0.0.0", "-"))), "")
    if entry.kind in ("asgi", "wsgi") and "." in target.split(":")[0]:
        return False  # an app object in a module of the package (pkg.main:app): the wheel has it
    reasons.append(f"package and app directory: {entry.reason} reads the project's files, so /app has them too")
    return True


PLACEHOLDER = "dockergen-build-placeholder"
PLACEHOLDERS = {  # by what the settings parse the value as: each parses, and none reaches a server
    "int": "0", "float": "0", "bool": "false", "json": "{}", "path": "/tmp", "url": "http://localhost/",
    "db": "sqlite://:memory:", "cache": "locmemcache://", "email": "consolemail://", "search": "simple://",
}  # fmt: skip


def placeholder(read: EnvRead) -> str:
    """A dummy value for a required variable, for the build steps only: it must parse as what the
    settings read it as (a database URL, a number), and never be a usable secret."""
    if read.kind in PLACEHOLDERS:
        return PLACEHOLDERS[read.kind]
    name = read.name
    if "DATABASE" in name:
        return PLACEHOLDERS["db"]
    if "REDIS" in name:
        return "redis://localhost:6379/0"
    if name.endswith(("_URL", "_URI")):
        return PLACEHOLDERS["url"]
    if name == "PORT" or name.endswith("_PORT"):
        return "0"
    return PLACEHOLDER


def _django_steps(facts: ProjectFacts, reasons: list[str]) -> list[BuildStep]:
    """collectstatic when the settings install staticfiles and set STATIC_ROOT, as Heroku's Python
    buildpack runs it; compilemessages when the tree has Django catalogs and no compiled ones."""
    django, steps = facts.django, []
    deps = {r.name for r in facts.requirements} | {p.name for p in facts.runtime_packages}
    if django is None or "django" not in deps:
        return []
    settings = django.settings_files[-1] if django.settings_files else ""
    if django.settings_module is None:
        reasons.append(
            "collectstatic not run: manage.py names no DJANGO_SETTINGS_MODULE; set it with [tool.dockergen] env"
        )
    elif django.dev_modules:
        module, file = django.dev_modules[0]
        reasons.append(
            f"WARNING collectstatic and compilemessages not run: the settings {django.settings_module} "
            f"({django.settings_source}) use {module} ({file}), a package installed for development only; "
            'set the production settings with [tool.dockergen] env = {DJANGO_SETTINGS_MODULE = "..."}'
        )
        return []
    elif django.staticfiles and django.static_root and django.static_root_env:
        reasons.append(
            f"collectstatic not run: STATIC_ROOT comes from {django.static_root_env}, known only at run time"
        )
    elif django.staticfiles and django.static_root:
        where = f" ({django.static_root_path}, copied to the runner too)" if django.static_root_path else ""
        reasons.append(
            f"collectstatic at build time: {django.static_root_file} installs django.contrib.staticfiles and sets "
            f"STATIC_ROOT = {django.static_root}{where}; no database"
        )
        steps.append(
            BuildStep(
                ("python", "manage.py", "collectstatic", "--noinput"),
                f"Django's static files into STATIC_ROOT ({settings} installs staticfiles), as Heroku's buildpack does",
                "collectstatic",
            )
        )
    elif django.settings_files:
        missing = "django.contrib.staticfiles" if not django.staticfiles else "STATIC_ROOT"
        reasons.append(f"collectstatic not run: the settings ({settings}) have no {missing}")
    catalogs = facts.translations
    if catalogs is not None and catalogs.tool == "django" and not catalogs.compiled:
        reasons.append(
            f"compilemessages at build time: {catalogs.po_files} .po catalog(s) ({catalogs.file}); "
            "gettext in the app stage"
        )
        steps.append(
            BuildStep(
                ("python", "manage.py", "compilemessages"), "Django's .po catalogs into .mo files", "compilemessages"
            )
        )
    return steps


def _babel_steps(facts: ProjectFacts, reasons: list[str]) -> list[BuildStep]:
    catalogs = facts.translations
    if catalogs is None or catalogs.tool != "babel" or catalogs.compiled:
        return []
    steps = []
    for directory, domain in catalogs.catalogs:
        command = ("pybabel", "compile", "-d", directory, "-D", domain)
        if all(COMMAND_WORD.fullmatch(word) for word in command):
            steps.append(BuildStep(command, "Babel's .po catalogs into .mo files", "babel"))
        else:
            reasons.append(
                f"WARNING catalogs in {directory!r} not compiled: a name dockergen will not put in a Dockerfile"
            )
    if steps:
        reasons.append(f"pybabel compile at build time: {catalogs.po_files} .po catalog(s) ({catalogs.file})")
    return steps


def plan_app(facts: ProjectFacts, runner: Runner, has_project: bool, reasons: list[str]) -> AppStage | None:
    """The build steps: detected (collectstatic, compiled catalogs) and the build setting's, which run
    where the app directory is made, so the runner copies their output with it."""
    steps = _django_steps(facts, reasons) + _babel_steps(facts, reasons)
    steps += [BuildStep(tuple(words), "[tool.dockergen] build", "setting") for words in facts.settings.get("build", [])]
    if not steps:
        return None
    if not runner.app_directory:
        if any(step.source == "setting" for step in steps):
            raise InspectError(
                "pyproject.toml",
                "[tool.dockergen] build: the image runs the package's wheel, with no app directory for build steps "
                "to write to; have the package's build backend make what the steps would",
            )
        reasons.append(
            f"WARNING not run: {', '.join(s.source for s in steps)}: the image runs the package's wheel, not the tree"
        )
        return None
    django = facts.django
    copies = (
        (django.static_root_path,) if django and django.static_root_path and steps[0].source == "collectstatic" else ()
    )
    placeholders = tuple(
        (read.name, placeholder(read)) for read in facts.run_env if read.name != "DJANGO_SETTINGS_MODULE"
    )
    if placeholders:
        names = ", ".join(name for name, _ in placeholders)
        reasons.append(f"build steps see placeholder values for {names} in their own environment only (never ENV)")
    uses_gettext = any("compilemessages" in step.command for step in steps)
    return AppStage(
        steps=tuple(steps),
        placeholders=tuple(dict(placeholders).items()),
        env=runner.env,
        apt=("gettext",) if uses_gettext else (),
        project=has_project,
        copies=copies,
        pythonpath=runner.pythonpath,
        # Settings may open a database in them at import (huey's SqliteStorage in data/): they exist
        # for the steps, and go after, so the runner's own (the user's, empty) are not replaced.
        state_dirs=tuple(d for d in runner.state_dirs if not (Path(facts.root) / d).exists()),
    )


def plan_app_layers(facts: ProjectFacts, runner: Runner, app: AppStage | None, reasons: list[str]) -> AppLayers | None:
    """The app directory's layers: see AppLayers for what goes apart from the code, and why."""
    if not runner.app_directory:
        return None
    limit = facts.settings.get("app_layers", DEFAULT_APP_LAYERS)
    if limit == 1:
        reasons.append("app_layers setting: the app directory is one layer")
        return None
    previous = facts.previous_app_parts
    alone = {part[0] for part in previous if len(part) == 1 and "*" not in part[0]}
    had_shared = any(len(part) > 1 or "*" in part[0] for part in previous)

    def large(path: str, size: int) -> bool:
        return size >= APP_LAYER_BYTES or (path in alone and size >= APP_LAYER_KEEP)

    parts: list[AppPart] = []
    collected = _collected(facts, app, reasons)
    if collected:
        parts.append(AppPart((collected,), "collectstatic"))
    units = _asset_units(facts.asset_dirs, collected, large)
    own = [(path, size) for path, size in units if large(path, size)]
    small = [(path, size) for path, size in units if not large(path, size)]
    small_bytes = sum(size for _, size in small)
    together = small_bytes >= APP_LAYER_BYTES or (had_shared and small_bytes >= APP_LAYER_KEEP)
    slots = limit - 1 - len(parts)  # the code has the last layer
    if len(own) + together > slots:  # the first in path order keep layers of their own; the rest share one
        keep = max(slots - 1, 0)
        small, own, together = small + own[keep:], own[:keep], slots > 0
    parts += [AppPart((path,), "large") for path, _ in own]
    if together:
        others = [path for path, _ in units if path not in dict(small)] + ([collected] if collected else [])
        parts.append(AppPart(_collapse(sorted(path for path, _ in small), others), "together"))
    if not parts:
        return None

    def sized(part: AppPart) -> str:
        if part.kind == "collectstatic":  # made at build time: no size yet
            return part.paths[0]
        return f"{' '.join(part.paths)} ({sum(s for p, s in units if _matches(part.paths, p)) / 1e6:.1f} MB)"

    shown = [sized(part) for part in parts]
    reasons.append(
        f"app directory in {len(parts) + 1} layers, what changes least first: {'; '.join(shown)}; then the code "
        f"(asset directories of {APP_LAYER_BYTES / 1e6:g} MB or more get a layer of their own)"
    )
    return AppLayers(
        parts=tuple(parts),
        source="app" if app is not None else "context",
        mounts=tuple(p for part in parts for p in part.paths if not p.startswith("/app/")),
        owner=runner.uid,
    )


def _collected(facts: ProjectFacts, app: AppStage | None, reasons: list[str]) -> str | None:
    """Where collectstatic writes, as the runner has it, when it runs at build time."""
    django = facts.django
    if app is None or django is None or not any(step.source == "collectstatic" for step in app.steps):
        return None
    if django.static_root_path:
        return django.static_root_path
    if django.static_root_dir and SAFE_PATH.fullmatch(django.static_root_dir):
        return f"/app/{django.static_root_dir}"
    reasons.append(
        f"what collectstatic collects stays in the code's layer: STATIC_ROOT = {django.static_root} "
        f"({django.static_root_file}) is not a path dockergen can follow"
    )
    return None


def _matches(patterns: tuple[str, ...], path: str) -> bool:
    """Whether path is one of patterns, a * segment matching any one segment."""
    return any(fnmatch.fnmatchcase(path, pattern) and path.count("/") == pattern.count("/") for pattern in patterns)


def _collapse(paths: list[str], others: list[str]) -> tuple[str, ...]:
    """The shared layer's directories, those that differ in one segment only written once with a *
    there, when there are three or more and they are named for what they hold (the pattern then
    matches asset directories only, as the split expands it at build time) and the pattern matches
    no directory of another part: a Django project's sixty `hc/integrations/*/static` and
    `*/templates` read as two paths, not sixty."""
    remaining, out = list(paths), []
    while remaining:
        path = remaining[0]
        segments = path.split("/")
        best: list[str] = [path]
        pattern = path
        if segments[-1] in ASSET_NAMES:
            for at in range(2, len(segments) - 1):  # /app/<...>/<name>: never app itself, never the name
                candidate = "/".join([*segments[:at], "*", *segments[at + 1 :]])
                group = [p for p in remaining if _matches((candidate,), p)]
                if len(group) > len(best) and not any(_matches((candidate,), o) for o in others):
                    best, pattern = group, candidate
        if len(best) < 3:
            best, pattern = [path], path
        out.append(pattern)
        remaining = [p for p in remaining if p not in best]
    return tuple(out)


def _asset_units(
    dirs: tuple[AssetDir, ...], collected: str | None, large: Callable[[str, int], bool]
) -> list[tuple[str, int]]:
    """(runner path, bytes) of each directory that could have a layer: every named asset directory,
    with the bytes its split-out subdirectories leave it, and each of its subdirectories that is
    large and whose parent is such a directory too (static/img, then static/img/icons). Paths the
    Dockerfile cannot name, and directories inside STATIC_ROOT (collectstatic rewrites them), are
    left with the code."""
    units: dict[str, int] = {}
    for found in sorted(dirs, key=lambda d: d.path):
        path = f"/app/{found.path}"
        if not SAFE_PATH.fullmatch(found.path) or (collected and (path + "/").startswith(collected + "/")):
            continue
        if found.named:
            units[path] = found.size
            continue
        parent = posixpath.dirname(path)
        if parent in units and large(path, found.size):
            units[path] = found.size
            units[parent] -= found.size
    return list(units.items())
