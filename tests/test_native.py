"""Native dependencies: the data files, wheel coverage decisions on real lock entries, PEP 725."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import dockergen
from dockergen.api import generate, inspect
from dockergen.cli import main
from dockergen.facts import LockedPackage
from dockergen.native import (
    covered_platforms,
    external_needs,
    external_table,
    installed_on,
    must_build,
    native_needs,
    table,
)
from dockergen.options import APT_NAME
from dockergen.project import normalize
from dockergen.pypi import INDEX, INDEX_VARIABLES, cache_dir, cache_file

from .conftest import SAMPLES

LIST_KEYS = ("build", "run", "run-always")
BOTH = ("linux/amd64", "linux/arm64")


@pytest.mark.parametrize("data", [table, external_table], ids=["native_deps", "external_deps"])
def test_data_file_schema(data):
    entries = data()
    assert len(entries) >= (40 if data is table else 20)
    for key, entry in entries.items():
        if data is table:
            assert key == normalize(key), f"{key} is not a normalised project name"
            assert entry.get("source", "").startswith(("https://", "http://")), f"{key} has no source"
        assert set(entry) <= {*LIST_KEYS, "source", "note", "sdist-only", "bookworm", "trixie"}, key
        for release in ("bookworm", "trixie"):
            assert set(entry.get(release, {})) <= set(LIST_KEYS), f"{key}.{release}"
        lists = [entry.get(k, []) for k in LIST_KEYS] + [
            entry.get(r, {}).get(k, []) for r in ("trixie",) for k in LIST_KEYS
        ]
        for names in lists:
            assert len(names) == len(set(names)), f"{key}: duplicate names"
            assert all(APT_NAME.fullmatch(n) for n in names), f"{key}: invalid Debian name in {names}"


def test_native_table_is_sorted():
    keys = list(table())
    assert keys == sorted(keys)


def test_native_table_covers_the_common_cases():
    for name in (
        "psycopg2",
        "mysqlclient",
        "python-ldap",
        "pyodbc",
        "gdal",
        "pycairo",
        "pygobject",
        "lxml",
        "xmlsec",
        "pillow",
        "cryptography",
        "uwsgi",
        "numpy",
        "scipy",
        "h5py",
        "pyaudio",
        "python-magic",
        "opencv-python",
        "weasyprint",
        "pdf2image",
        "pytesseract",
        "pydub",
        "playwright",
    ):
        assert name in table(), name


def locked(sample: str, name: str) -> LockedPackage:
    return next(p for p in inspect(SAMPLES / sample).packages if p.name == name)


def test_a_package_with_manylinux_wheels_for_both_arches_is_not_built():
    core = locked("uv-fastapi", "pydantic-core")
    assert must_build(core, "3.13", "trixie", BOTH) == (False, "a wheel fits every target platform")


def test_a_pure_python_wheel_is_enough():
    assert must_build(locked("poetry-legacy", "click"), "3.11", "bookworm", BOTH)[0] is False


def test_no_wheel_for_a_newer_cpython_means_a_build():
    core = locked("uv-fastapi", "pydantic-core")
    only_old = LockedPackage(core.name, core.version, files=tuple(f for f in core.files if "cp311" in f))
    built, reason = must_build(only_old, "3.13", "trixie", BOTH)
    assert built and reason == "no wheel for cp313 x86_64 aarch64"


def test_musllinux_only_is_not_a_glibc_wheel():
    package = LockedPackage("x", "1", files=("x-1-cp313-cp313-musllinux_1_2_x86_64.whl", "x-1.tar.gz"))
    assert must_build(package, "3.13", "trixie", ("linux/amd64",))[0] is True


def test_abi3_wheels_from_older_pythons_fit():
    package = LockedPackage("x", "1", files=("x-1-cp38-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",))
    assert must_build(package, "3.13", "bookworm", ("linux/amd64",))[0] is False


def test_manylinux_newer_than_the_debian_glibc_does_not_fit():
    package = LockedPackage("x", "1", files=("x-1-cp311-cp311-manylinux_2_39_x86_64.whl", "x-1.tar.gz"))
    assert must_build(package, "3.11", "bookworm", ("linux/amd64",))[0] is True  # bookworm: glibc 2.36
    assert must_build(package, "3.11", "trixie", ("linux/amd64",))[0] is False  # trixie: glibc 2.41


def test_psycopg2_from_the_hashed_requirements_needs_libpq():
    facts = inspect(SAMPLES / "piptools-psycopg")
    needs = {n.package: n for n in native_needs(facts.runtime_packages, "3.11", "bookworm")}
    assert set(needs) == {"psycopg2"}
    assert needs["psycopg2"].built
    assert needs["psycopg2"].build == ("gcc", "libpq-dev")
    assert needs["psycopg2"].run == ()  # what it links against is found at build time
    assert needs["psycopg2"].linked == ("libpq5",)
    assert "PyPI publishes no Linux wheels" in needs["psycopg2"].reason


def test_run_always_applies_with_a_wheel():
    magic = LockedPackage("python-magic", "0.4.27", files=("python_magic-0.4.27-py2.py3-none-any.whl",))
    (need,) = native_needs((magic,), "3.13", "trixie")
    assert not need.built and need.build == () and need.run == ("libmagic1t64",)
    (need,) = native_needs((magic,), "3.11", "bookworm")
    assert need.run == ("libmagic1",)


def test_markers_exclude_platforms():
    nvidia = locked("uv-torch", "nvidia-cublas-cu12")
    assert installed_on(nvidia, "3.13", "linux/amd64")
    assert not installed_on(nvidia, "3.13", "linux/arm64")
    assert must_build(nvidia, "3.13", "trixie", BOTH)[0] is False


def test_single_platform_locks_are_judged_for_their_platform_only():
    packages = inspect(SAMPLES / "pylock-app").runtime_packages
    assert covered_platforms(packages, BOTH) == ("linux/amd64",)
    assert all(p.files for p in packages)


def test_generated_dockerfile_installs_exactly_the_native_packages():
    dockerfile = generate(SAMPLES / "piptools-psycopg")["Dockerfile"]
    assert "FROM python:3.11-bookworm AS base" in dockerfile
    assert "apt-get install -y --no-install-recommends gcc libpq-dev" in dockerfile
    # The runner installs what the compiled modules link against, listed in the builder (e2e: libpq5).
    assert "FROM base AS libraries\n" in dockerfile
    assert "python3.11 /tmp/runtime_libs.py /opt/venv > /runtime-packages" in dockerfile
    assert "xargs -a /tmp/runtime-packages apt-get install -y --no-install-recommends" in dockerfile
    slim = generate(SAMPLES / "uv-fastapi")["Dockerfile"]
    assert "apt-get" not in slim
    assert "FROM python:3.13-slim-trixie AS base" in slim


def test_pep725_external_maps_known_depurls():
    needs, unknown = external_needs(
        {
            "build-requires": ("dep:virtual/compiler/c",),
            "host-requires": ("dep:generic/openssl@>=3",),
            "dependencies": ("pkg:generic/ffmpeg", "dep:generic/unheard-of"),
        },
        "trixie",
    )
    assert [(n.package, n.build, n.run) for n in needs] == [
        ("dep:virtual/compiler/c", ("gcc",), ()),
        ("dep:generic/openssl@>=3", ("libssl-dev",), ("libssl3t64",)),
        ("pkg:generic/ffmpeg", (), ("ffmpeg",)),
    ]
    assert unknown == ["dep:generic/unheard-of"]


def test_pep725_in_a_project_reaches_the_dockerfile(sample_copy):
    path = sample_copy("hatch-cli")
    with open(path / "pyproject.toml", "a") as handle:
        handle.write('\n[external]\nhost-requires = ["dep:generic/libpq"]\n')
    dockerfile = generate(path)["Dockerfile"]
    assert "apt-get install -y --no-install-recommends libpq-dev" in dockerfile
    assert "/tmp/runtime_libs.py /opt/venv /opt/project -- libpq5 > /runtime-packages" in dockerfile


@pytest.fixture(autouse=True)
def no_index_variables(monkeypatch):
    """--online looks up the index these name: the tests' own environment must not pick it."""
    for variable in INDEX_VARIABLES:
        monkeypatch.delenv(variable, raising=False)


def seed_pypi_cache(cache, name: str, files: list[str]) -> None:
    assert cache_dir() == cache / "dockergen" / "pypi"  # XDG_CACHE_HOME set first
    target = cache_file(name, INDEX)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(files))


def test_online_lookup_fills_files_the_lock_does_not_record(make_project, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    seed_pypi_cache(cache, "psycopg2", ["psycopg2-2.9.13.tar.gz", "psycopg2-2.9.13-cp311-cp311-win_amd64.whl"])
    seed_pypi_cache(
        cache,
        "lxml",
        [
            "lxml-5.3.0.tar.gz",
            "lxml-5.3.0-cp311-cp311-manylinux_2_28_x86_64.whl",
            "lxml-5.3.0-cp311-cp311-manylinux_2_28_aarch64.whl",
        ],
    )
    path = make_project(
        {"requirements.txt": "psycopg2==2.9.13\nlxml==5.3.0\n", "main.py": "", ".python-version": "3.11"}
    )
    offline = inspect(path)
    assert all(not p.files for p in offline.packages)
    online = inspect(path, online=True)
    files = {p.name: p.files for p in online.packages}
    assert files["psycopg2"] == ("psycopg2-2.9.13.tar.gz", "psycopg2-2.9.13-cp311-cp311-win_amd64.whl")
    needs = {n.package: n for n in native_needs(online.runtime_packages, "3.11", "bookworm")}
    assert needs["psycopg2"].reason == "no wheel for cp311 x86_64 aarch64"
    assert "lxml" not in needs  # the lock says nothing, PyPI has wheels for both arches


def test_online_lookup_failure_is_a_note_not_an_error(make_project, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def refuse(*args, **kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr("dockergen.pypi.urllib.request.urlopen", refuse)
    path = make_project({"requirements.txt": "psycopg2==2.9.13\n", "main.py": "", ".python-version": "3.11"})
    facts = inspect(path, online=True)
    assert any("index look-up for psycopg2 failed" in n for n in facts.notes)
    assert native_needs(facts.runtime_packages, "3.11", "bookworm")[0].built  # the table's sdist-only flag


def test_online_lookups_report_progress_on_stderr(make_project, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    for name in ("psycopg2", "lxml"):
        seed_pypi_cache(cache, name, [f"{name}-1.0.tar.gz"])
    path = make_project({"requirements.txt": "psycopg2==1.0\nlxml==1.0\n", "main.py": "", ".python-version": "3.11"})
    result = CliRunner().invoke(main, ["inspect", "--online", str(path)])
    assert result.exit_code == 0, result.output
    assert "dockergen: looking up 2 packages on https://pypi.org/simple (--online)\n" in result.stderr
    assert "dockergen: looked them up in " in result.stderr
    assert "looking up" not in CliRunner().invoke(main, ["inspect", str(path)]).stderr


def test_a_build_hook_that_runs_npm_puts_node_in_the_builder(make_project):
    import dockergen

    path = make_project(
        {
            "pyproject.toml": '[project]\nname = "ext"\nversion = "1"\n'
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
            '[tool.hatch.build.hooks.jupyter-builder]\ndependencies = ["hatch-jupyter-builder>=0.8.1"]\n'
        }
    )
    plan = dockergen.plan(path)[1]
    assert {"nodejs", "npm"} <= set(plan.base.apt) and "npm" not in plan.runner.apt


def test_a_native_package_with_no_recorded_files_may_compile_so_its_build_packages_are_ready():
    pinned = LockedPackage("psycopg2-binary", "2.9.9")  # requirements.txt, Pipfile.lock: no file names
    (need,) = native_needs((pinned,), "3.14", "trixie")
    assert need.maybe and not need.built and need.build == ("gcc", "libpq-dev") and need.linked == ("libpq5",)
    wheel = "psycopg2_binary-2.9.9-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    known = LockedPackage("psycopg2-binary", "2.9.9", files=(wheel,))
    (compiled,) = native_needs((known,), "3.14", "trixie", ("linux/amd64",))
    assert compiled.built and compiled.build == ("gcc", "libpq-dev") and not compiled.maybe


def test_online_files_choose_the_python_too(make_project, tmp_path, monkeypatch):
    """An old pin has wheels only for the Pythons out when it was published: PyPI's file list says
    which, so --online builds for one of them instead of compiling on the newest (for a project
    data/wheel_minors.toml does not know)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    seed_pypi_cache(
        cache,
        "oldnative",
        ["oldnative-3.0.1.tar.gz"]
        + [f"oldnative-3.0.1-cp3{m}-cp3{m}-manylinux_2_17_x86_64.manylinux2014_x86_64.whl" for m in (10, 11, 12)],
    )
    path = make_project({"requirements.txt": "oldnative==3.0.1\n", "main.py": ""})
    assert inspect(path).python.version != "3.12"
    assert inspect(path, online=True).python.version == "3.12"


def test_a_percent_encoded_wheel_name_from_an_index_url_is_a_wheel():
    """uv.lock records PyTorch's wheels by URL, with the + of the local version encoded."""
    from dockergen.native import wheel_tags

    tags = wheel_tags("torchaudio-2.8.0%2Bcu128-cp311-cp311-manylinux_2_28_x86_64.whl")
    assert [str(t) for t in tags] == ["cp311-cp311-manylinux_2_28_x86_64"]


@pytest.mark.parametrize(
    ("files", "compiler"),
    [
        (("docopt-0.6.2.tar.gz",), False),  # sdist only: pure Python
        (("langdetect-1.0.9-py2-none-any.whl", "langdetect-1.0.9.tar.gz"), False),  # a wheel for any platform
        (("reflink-0.2.2-cp36-cp36m-win_amd64.whl", "reflink-0.2.2.tar.gz"), True),  # compiled modules, elsewhere
    ],
    ids=["sdist-only", "py2-wheel-only", "windows-wheels"],
)
def test_a_package_the_table_does_not_know_needs_a_compiler_only_if_it_has_compiled_modules(files, compiler):
    package = LockedPackage(files[-1].split("-")[0], "1", files=files)
    (need,) = native_needs((package,), "3.13", "trixie")
    assert need.built and need.build == (("gcc",) if compiler else ())
    assert ("a compiler only" in need.reason) is compiler


def test_a_pure_python_sdist_keeps_the_slim_builder(make_project):
    """What `uv lock` records for docopt 0.6.2, which PyPI has as an sdist only."""
    lock = (
        'version = 1\nrevision = 3\nrequires-python = ">=3.13"\n\n'
        '[[package]]\nname = "docopt"\nversion = "0.6.2"\nsource = { registry = "https://pypi.org/simple" }\n'
        'sdist = { url = "https://files.pythonhosted.org/packages/a2/55/'
        '8f8cab2afd404cf578136ef2cc5dfb50baa1761b68c9da1fb1e4eed343c9/docopt-0.6.2.tar.gz", '
        'hash = "sha256:49b3a825280bd66b3aa83585ef59c4a8c82f2c8a522dbe754a8bc8d08c85c491", size = 25901 }\n\n'
        '[[package]]\nname = "tool"\nversion = "1"\nsource = { virtual = "." }\n'
        'dependencies = [{ name = "docopt" }]\n\n[package.metadata]\n'
        'requires-dist = [{ name = "docopt", specifier = "==0.6.2" }]\n'
    )
    project = make_project(
        {
            "pyproject.toml": '[project]\nname = "tool"\nversion = "1"\nrequires-python = ">=3.13"\n'
            'dependencies = ["docopt==0.6.2"]\n',
            "uv.lock": lock,
            "main.py": "import docopt\n",
        }
    )
    _, plan = dockergen.plan(project, entrypoint="python")
    assert plan.images.builder == plan.images.runner and plan.base.apt == ()
    assert any("pure-Python sdist that builds with Python alone (docopt)" in r for r in plan.reasons)
