"""Facts + options -> BuildPlan: every decision about the Dockerfile is made here, with its reason.

Templates only render a BuildPlan; they decide nothing.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from .cuda import GpuNeed, detect_gpu
from .cuda import data as cuda_data
from .facts import Entrypoint, InspectError, LockedPackage, ProjectFacts
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
from .options import APT_NAME, COMMAND_WORD
from .project import tomllib

VENV = "/opt/venv"
SAFE_PATH = re.compile(r"^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9._/+-]*$")
DEFAULT_USER = "app"
DEFAULT_UID = 10001
WEB_KINDS = ("django", "asgi", "wsgi", "streamlit")
DEFAULT_LAYERS = 16
PYPI = re.compile(r"^https://(pypi\.org|pypi\.python\.org|files\.pythonhosted\.org)(/|$)")
MAX_OWN_LAYERS = 6
PACKAGE_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # PEP 503 normalized
# The managers whose install step reads their lock: its name, and the command that writes it.
LOCKS = {
    "uv": ("uv.lock", "uv lock"),
    "poetry": ("poetry.lock", "poetry lock"),
    "pdm": ("pdm.lock", "pdm lock"),
    "pipenv": ("Pipfile.lock", "pipenv lock"),
}


@lru_cache(maxsize=1)
def tools() -> dict[str, Any]:
    return tomllib.loads(resources.files("dockergen").joinpath("data/tools.toml").read_text())


@dataclass(frozen=True)
class Tool:
    name: str
    version: str
    image: str | None = None  # copied from this image (uv)
    pip: tuple[str, ...] = ()  # or pip-installed into /opt/<name>


@dataclass(frozen=True)
class BuildPlan:
    manager: str
    python: str
    debian: str
    runner_image: str
    builder_image: str
    tool: Tool | None
    inputs: tuple[str, ...]  # files the dependency step bind-mounts
    lock_file: str | None
    installable: bool
    app_directory: bool  # the runner copies the tree to /app: the command needs more than the package
    state_dirs: tuple[str, ...]  # directories of /app made the user's: the app keeps its state there
    members: tuple[str, ...]  # workspace members and path packages, built as wheels in the project stage
    workspace: bool  # uv workspace members among them: the deps step leaves them all out at once
    path_packages: tuple[str, ...]  # locked from a directory of the tree: left out of uv's deps step
    writable_inputs: tuple[str, ...]  # path package directories the deps step mounts read-write
    requirements: tuple[str, ...]  # declared specs: no lock, or a package's own beside its plain requirements file
    hashed: bool  # every package installed has hashes in the lock: pip and uv can --require-hashes
    frozen: bool  # the lock was not found stale here: installed as it is (uv --frozen; pipenv sync, no verify)
    exported: bool  # Poetry exports the lock and uv installs it (rather than Poetry itself)
    without_project: bool  # the requirements file installs the project ('-e .'): the deps step drops that line
    version_variable: str | None  # the project stage sets it from the PROJECT_VERSION build argument
    pythonpath: str | None  # an app directory whose command imports from src/: the runner's PYTHONPATH
    from_git: tuple[str, ...]  # runtime packages installed from git: the builder needs the git command
    groups: tuple[str, ...]
    extras: tuple[str, ...]
    build_apt: tuple[str, ...]
    run_apt: tuple[str, ...]
    scan_libraries: bool  # something is compiled against Debian's libraries: ldd in the builder names the runner's
    scan_project: bool  # the project's own wheel has compiled modules: they are scanned too (after every code change)
    user: str
    uid: int
    command: tuple[str, ...]
    port: int | None
    healthcheck: bool
    syntax: bool
    native: tuple[NativeNeed, ...] = ()
    gpu: GpuNeed | None = None
    variant: str = "gpu"
    uv_image: str | None = None  # the uv binary's image, for uv-based installs and managed Pythons
    python_install: bool = False  # the base images have no Python: put a uv-managed one in /opt/python
    skip_packages: tuple[str, ...] = ()  # locked packages left out (the cpu variant's GPU runtime)
    cpu_torch: tuple[str, ...] = ()  # "torch==2.9.1" specs installed from the PyTorch CPU index
    cpu_index: str = ""
    private_indexes: tuple[str, ...] = ()  # index URLs other than PyPI: a netrc secret is mounted for them
    layers: int = 1  # runner layers the virtualenv is split into (1: one COPY)
    own_layers: int = 0  # of which the largest packages get one each
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def venv(self) -> str:
        return VENV

    @property
    def block(self) -> str:
        """The template block that installs dependencies: managers without a lock share one."""
        return "declared" if self.manager in ("hatch", "setuptools") else self.manager

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> list[str]:
        lines = [f"builder      {self.builder_image}", f"runner       {self.runner_image}"]
        lines += [f"native       {need.describe()}" for need in self.native]
        lines += [f"decision     {reason}" for reason in self.reasons]
        return lines


def debian_release(facts: ProjectFacts) -> tuple[str, str]:
    if "debian" in facts.settings:
        return facts.settings["debian"], "debian setting"
    if default_debian(facts.python.version) == "trixie":
        return "trixie", f"Python {facts.python.version} images default to Debian 13 (trixie)"
    return "bookworm", f"Python {facts.python.version} is Debian 12's own Python: bookworm images"


def make_tool(manager: str, exported: bool) -> Tool | None:
    name = {"pylock": "uv"}.get(manager, manager)
    data = tools().get(name)
    if data is None:
        return None
    if "image" in data:
        return Tool(name, data["version"], image=f"{data['image']}:{data['version']}")
    pins = [f"{data['pip']}=={data['version']}", *data.get("with", [])]
    if exported:
        pins += data.get("export_with", [])
    return Tool(name, data["version"], pip=tuple(pins))


def _requirement_specs(facts: ProjectFacts) -> tuple[str, ...]:
    """Declared requirements, installed by name: a manager without a lock, or, beside a plain
    requirements file, what the package itself declares (its wheel installs without dependencies).
    Not beside a file with hashes: pip then wants a hash for every requirement, and such a file
    was compiled with the package's dependencies in it."""
    if facts.manager == "requirements" and any(p.hashed for p in facts.runtime_packages):
        return ()
    if not (facts.manager == "requirements" or (facts.manager in ("hatch", "setuptools") and not facts.lock_file)):
        return ()
    specs = []
    for req in facts.requirements:
        if req.group == "main":
            extras = f"[{','.join(req.extras)}]" if req.extras else ""
            specs.append(req.name + extras + req.specifier + (f"; {req.marker}" if req.marker else ""))
    return tuple(specs)


def _apt(names: list[str], what: str) -> tuple[str, ...]:
    for name in names:
        if not APT_NAME.fullmatch(name):
            raise InspectError("dockergen/data/native_deps.toml", f"invalid Debian package name {name!r} for {what}")
    return tuple(sorted(set(names)))


def _inputs(facts: ProjectFacts) -> tuple[str, ...]:
    """Files bind-mounted by name into a RUN line: the mount syntax allows no commas or spaces."""
    for name in facts.inputs:
        if not SAFE_PATH.fullmatch(name):
            raise InspectError(name, "file name has characters dockergen will not put in a Dockerfile mount")
    return facts.inputs


def _without_project(facts: ProjectFacts, reasons: list[str]) -> bool:
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
    if "[" in line and facts.manager == "requirements":
        raise InspectError(file, f"installs the project with extras ({line!r}): pin their packages in {file}")
    reasons.append(f"{file} installs the project itself ({line!r}): the deps step leaves it to the project stage")
    return True


def _path_package_dirs(facts: ProjectFacts, reasons: list[str]) -> tuple[str, ...]:
    """Directories of the packages the lock installs from the tree: the deps step has only the
    manifests, so the project stage builds them as wheels, like workspace members."""
    for name, path in facts.path_packages:
        if not PACKAGE_NAME.fullmatch(name):
            raise InspectError(facts.lock_file or "pyproject.toml", f"locked package name {name!r} is not a valid name")
        if not SAFE_PATH.fullmatch(path):
            raise InspectError(
                facts.lock_file or "pyproject.toml",
                f"installs {name} from {path!r}, which the build context cannot hold (outside the project, or a name "
                "dockergen will not put in a Dockerfile)",
            )
    if facts.path_packages:
        names = ", ".join(name for name, _ in facts.path_packages)
        where = "in the deps step" if facts.manager in ("pdm", "pipenv") else "in the project stage, like the project"
        reasons.append(f"built from the tree {where}: {names}")
    return tuple(path for _, path in facts.path_packages)


def _poetry_exports(facts: ProjectFacts, hashed: bool, reasons: list[str]) -> bool:
    """Whether uv installs what Poetry exports: several times faster than Poetry's installer, and
    hash-checked. Without a hash for every package it installs (a git or file source; packages
    from a directory of the tree are built in the project stage), or with credentials in a source
    URL (the export leaves them out), Poetry installs the lock itself."""
    if not hashed:
        reasons.append("Poetry installs the lock: a package it installs has no hashes in it (a git or file source)")
        return False
    if any(index.credentials for index in facts.indexes):
        reasons.append("Poetry installs the lock: a source URL carries credentials, which `poetry export` leaves out")
        return False
    reasons.append("Poetry exports the lock (refusing a stale one); uv installs it and checks every hash")
    return True


def _gpu_plan(
    facts: ProjectFacts, gpu: GpuNeed | None, variant: str, debian: str, reasons: list[str]
) -> dict[str, Any]:
    """The GPU decisions: the cpu variant swaps torch for its CPU build; toolkit needs a Python."""
    plan: dict[str, Any] = {"skip_packages": (), "cpu_torch": (), "cpu_index": "", "python_install": False}
    if gpu is None:
        if variant == "cpu":
            reasons.append("variant cpu: no GPU packages in the lock, nothing to swap")
        return plan
    reasons.extend(gpu.reasons)
    if variant == "gpu":
        plan["python_install"] = gpu.strategy == "toolkit"
        if gpu.gpu_only:
            reasons.append(f"variant gpu: {len(gpu.gpu_only)} GPU runtime packages installed; --variant cpu drops them")
        return plan
    if facts.manager != "uv":
        raise InspectError(facts.lock_file or facts.root, "--variant cpu is supported for uv projects only, so far")
    plan["skip_packages"] = tuple(sorted({*gpu.gpu_only, *(name for name, _ in gpu.torch_family)}))
    plan["cpu_torch"] = tuple(f"{name}=={version.split('+')[0]}" for name, version in gpu.torch_family)
    plan["cpu_index"] = cuda_data()["pytorch-index"]["cpu"]
    reasons.append(
        f"variant cpu: leaves out {len(gpu.gpu_only)} GPU runtime packages and installs "
        f"{', '.join(plan['cpu_torch'])} from the PyTorch CPU index (not hash-checked: not in the lock)"
    )
    dropped = [p for p in facts.runtime_packages if p.name in plan["skip_packages"]]
    saved = sum(wheel_bytes(p, facts.python.version, debian) for p in dropped)
    if saved:
        reasons.append(
            f"variant cpu: about {saved / 1e9:.1f} GB fewer wheel downloads on x86_64 (sizes from the lock), "
            "less the CPU torch wheel (a few hundred MB)"
        )
    return plan


def declared_packages(facts: ProjectFacts, reasons: list[str]) -> tuple[LockedPackage, ...]:
    """With no lock, the declared runtime requirements stand for the packages, by name only: the
    native table's entries still apply, and packages it knows to publish no Linux wheels are
    compiled, but whether the others have a wheel is not known."""
    declared = tuple(LockedPackage(r.name, None, marker=r.marker) for r in facts.requirements if r.group == "main")
    if declared:
        reasons.append("no lock: native needs judged by package name from the native table; wheel coverage not checked")
    return declared


def _app_directory(facts: ProjectFacts, entry: Entrypoint, reasons: list[str]) -> bool:
    """A package's console script or module runs from its wheel alone; any other command (a
    manage.py, an app module, a Procfile line, a script file) reads the project's tree."""
    if not facts.installable:
        return True
    if entry.kind in ("script", "module", "none", "setting"):
        return False
    target = next((word for word in entry.command if ":" in word and not word.startswith(("0.0.0.0", "-"))), "")
    if entry.kind in ("asgi", "wsgi") and "." in target.split(":")[0]:
        return False  # an app object in a module of the package (pkg.main:app): the wheel has it
    reasons.append(f"package and app directory: {entry.reason} reads the project's files, so /app has them too")
    return True


def make_plan(facts: ProjectFacts) -> BuildPlan:
    if facts.manager in LOCKS and not facts.lock_present:
        lock, command = LOCKS[facts.manager]
        raise InspectError(
            facts.inputs[0], f"no {lock} beside it: the Dockerfile installs locked dependencies; run `{command}` first"
        )
    settings = facts.settings
    python = facts.python.version
    debian, debian_reason = debian_release(facts)
    reasons = [f"Python {python}: {facts.python.reasons[0]}", f"Debian {debian}: {debian_reason}"]
    image = settings.get("image", "python")
    runner_image = f"{image}:{python}-slim-{debian}"

    # One pass over the lock decides what must be compiled; the GPU decisions need that (a package
    # compiling CUDA code means the toolkit images), and the cpu variant then drops what it leaves out.
    runtime = facts.runtime_packages or declared_packages(facts, reasons)
    locked_needs = native_needs(runtime, python, debian)
    gpu = detect_gpu(runtime, settings.get("cuda"), {n.package for n in locked_needs if n.built})
    variant = settings.get("variant", "gpu")
    gpu_plan = _gpu_plan(facts, gpu, variant, debian, reasons)
    needs = [n for n in locked_needs if n.package not in gpu_plan["skip_packages"]]
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
    extra = settings.get("apt", {})
    # Every installer clones a git source with the git command, which the slim images lack.
    from_git = sorted(
        {p.name for p in facts.runtime_packages if p.source.kind == "git"} - set(gpu_plan["skip_packages"])
    )
    git = ["git"] if from_git else []
    build_apt = _apt([p for n in needs for p in n.build] + extra.get("build", []) + git, "the builder")
    run_apt = _apt([p for n in needs for p in n.run] + extra.get("run", []), "the runner")
    maybe = [n.package for n in needs if n.maybe]
    if build_apt or maybe:
        builder_image = f"{image}:{python}-{debian}"
        compiled = ", ".join(n.package for n in needs if n.built)
        why = [f"compiling needs {compiled}"] if compiled else []
        why += [f"{', '.join(maybe)} may compile (wheel coverage unknown)"] if maybe else []
        why += [f"git clones {', '.join(from_git)}"] if from_git else []
        reasons.append(f"full {image} image for the builder: {'; '.join(why) or 'extra build packages'}")
    else:
        builder_image = runner_image
        reasons.append("slim builder: every locked package has a wheel for the target")
    # Build packages are readied only for what compiles or may: those are what the runner links.
    scan_libraries = any(n.build for n in needs) or bool(extra.get("build"))
    if scan_libraries:
        reasons.append(
            "runner libraries: what the compiled modules link against, found with ldd and dpkg -S in the builder "
            "(named as the image's Debian release names them)"
        )
    if facts.lock_consistent is False:
        reasons.append(f"WARNING {facts.lock_note}: the locked install step will fail until it is fixed")
    frozen = facts.manager in ("uv", "pipenv") and facts.lock_consistent is not False
    if frozen and facts.manager == "pipenv":
        reasons.append(
            "pipenv sync without pipenv verify: dockergen checked the Pipfile hash here (and `dockergen check` "
            "does), and pipenv releases compute it differently"
        )
    elif frozen:
        reasons.append(
            "uv sync --frozen: the lock was checked against pyproject.toml here (and by `dockergen check`); "
            "a version bump alone does not fail the build"
            if facts.lock_consistent
            else f"uv sync --frozen: {facts.lock_note}, and uv --locked would build the project to compute them"
        )

    entry = facts.entrypoint
    if entry is None:
        entry = Entrypoint(("python",), "none", "no entrypoint found")
        reasons.append("WARNING no entrypoint found: CMD runs python; set [tool.dockergen] entrypoint")
    # A Procfile line run by sh -c is one JSON string in CMD: its words are the shell's to split.
    for word in entry.command[:2] if entry.shell else entry.command:
        if not COMMAND_WORD.fullmatch(word):
            raise InspectError(
                entry.reason.split(" ")[0] if entry.kind == "procfile" else "pyproject.toml",
                f"entrypoint word {word!r} ({entry.reason}) needs a shell or has characters dockergen will not "
                "put in CMD; set [tool.dockergen] entrypoint",
            )
    port = settings.get("port") or entry.port
    healthcheck = port is not None and (
        entry.kind in WEB_KINDS or (entry.kind == "procfile" and entry.port is not None)
    )
    if healthcheck:
        reasons.append(f"HEALTHCHECK: {entry.kind} app listening on port {port} (TCP connect with the image's Python)")
    groups = tuple(settings.get("groups", ()))
    # What the deps step installs from an index: path packages are built from the tree instead.
    skipped = {*gpu_plan["skip_packages"], *(name for name, _ in facts.path_packages)}
    installed = [p for p in facts.packages if {"main", *groups} & set(p.groups) and p.name not in skipped]
    hashed = bool(installed) and all(p.hashed for p in installed)
    exported = facts.manager == "poetry" and _poetry_exports(facts, hashed, reasons)
    without_project = _without_project(facts, reasons)
    layers = settings.get("layers", DEFAULT_LAYERS)
    if gpu and variant == "gpu" and gpu.strategy == "toolkit":
        builder_image, runner_image = gpu.images()
        reasons.append(f"CUDA {gpu.cuda} toolkit images; Python {python} is placed in them by uv (no apt Python)")
    private = tuple(i.url for i in facts.indexes if not PYPI.match(i.url))
    if private:
        reasons.append(f"{len(private)} package index(es) besides PyPI: a netrc secret mounted on the install steps")
    path_dirs = _path_package_dirs(facts, reasons)
    # A path package's whole directory in the deps step (PDM and Pipenv install it there, uv reads a
    # setup.py one's metadata) is mounted read-write: a build writes beside its sources.
    writable_inputs = tuple(path for path in path_dirs if path in facts.inputs)
    # PDM and Pipenv cannot leave a locked package out of their install; the others build it later.
    members = facts.workspace_members + (() if facts.manager in ("pdm", "pipenv") else path_dirs)
    builds_wheel = facts.installable or bool(members)
    version_variable = facts.version_variable if builds_wheel else None
    if version_variable:
        reasons.append(
            f"version from git, which the context leaves out: {version_variable} from --build-arg PROJECT_VERSION"
        )
    if builds_wheel and facts.manager not in ("uv", "pylock"):
        reasons.append("project wheel built by uv in the builder (a second faster than pip); the runner has no uv")
    uses_uv = facts.manager in ("uv", "pylock") or gpu_plan["python_install"] or builds_wheel
    uses_uv = uses_uv or exported
    uv_image = f"{tools()['uv']['image']}:{tools()['uv']['version']}" if uses_uv else None
    app_directory = _app_directory(facts, entry, reasons)
    state_dirs = facts.state_dirs if app_directory else ()
    if state_dirs:
        reasons.append(
            f"writable {', '.join('/app/' + d for d in state_dirs)}: .gitignore names them, so the app writes them"
        )
    return BuildPlan(
        manager=facts.manager,
        python=python,
        debian=debian,
        runner_image=runner_image,
        builder_image=builder_image,
        tool=make_tool(facts.manager, exported),
        inputs=_inputs(facts),
        lock_file=facts.lock_file,
        installable=facts.installable,
        app_directory=app_directory,
        state_dirs=state_dirs,
        members=members,
        workspace=bool(facts.workspace_members),
        path_packages=tuple(name for name, _ in facts.path_packages),
        writable_inputs=writable_inputs,
        requirements=_requirement_specs(facts),
        hashed=hashed,
        frozen=frozen,
        exported=exported,
        without_project=without_project,
        version_variable=version_variable,
        from_git=tuple(from_git),
        pythonpath=f"/app/{entry.import_root}" if entry.import_root and not facts.installable else None,
        groups=groups,
        extras=tuple(settings.get("extras", ())),
        build_apt=build_apt,
        run_apt=run_apt,
        scan_libraries=scan_libraries,
        scan_project=scan_libraries
        and facts.installable
        and (facts.compiles_extensions or bool(project_needs)),  # PEP 725: the project links them itself
        user=settings.get("user", DEFAULT_USER),
        uid=settings.get("uid", DEFAULT_UID),
        command=entry.command,
        port=port,
        healthcheck=healthcheck,
        syntax=bool(settings.get("syntax", False)),
        native=tuple(needs),
        gpu=gpu,
        variant=variant,
        uv_image=uv_image,
        private_indexes=private,
        layers=layers,
        own_layers=min(MAX_OWN_LAYERS, (layers - 1) // 2),
        reasons=tuple(reasons),
        **gpu_plan,
    )
