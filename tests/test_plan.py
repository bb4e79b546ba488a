"""Decisions asserted on the plan, not on substrings of the Dockerfile it renders.

The golden files show how a plan renders; these tests say what was decided and why, so the
templates can change without touching them. Samples are real projects locked by the real tools.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import dockergen
from dockergen.facts import InspectError
from dockergen.inspectors import MODULES
from dockergen.plan import WITHOUT_PROJECT, BuildPlan, tools
from dockergen.render import _templates_dir

from .conftest import ROOT, SAMPLES


def plan_of(path: Path, **options: object) -> BuildPlan:
    return dockergen.plan(path, **options)[1]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.NAME)
def test_every_inspector_declares_install_traits_that_resolve(module):
    traits = module.INSTALL
    assert (_templates_dir() / "managers" / f"{traits.template}.j2").is_file()
    assert traits.tool is None or "pip" in tools()[traits.tool], "a tool is pip-installed into /opt/<tool>"
    assert (traits.lock is None) is (traits.lock_command is None)
    assert traits.tree_packages in ("project-stage", "deps-step")


@pytest.mark.parametrize(
    ("sample", "template", "tool", "uv"),
    [
        ("uv-fastapi", "uv", None, True),
        ("poetry-legacy", "poetry", "poetry", True),  # exports for uv
        ("pdm-flask", "pdm", "pdm", False),
        ("pipenv-app", "pipenv", "pipenv", False),
        ("pylock-app", "pylock", None, True),
        ("piptools-psycopg", "pip-tools", None, False),
        ("hatch-cli", "declared", None, True),  # the project wheel is built by uv
        ("requirements-plain", "requirements", None, False),
        ("setuppy-pkg", "declared", None, True),
    ],
)
def test_each_manager_installs_with_its_template_tool_and_uv_when_needed(sample, template, tool, uv):
    plan = plan_of(SAMPLES / sample)
    assert plan.deps.template == template
    assert (plan.deps.tool.name if plan.deps.tool else None) == tool
    assert (plan.images.uv is not None) is uv


def test_a_missing_lock_names_the_command_that_writes_it(sample_copy):
    path = sample_copy("pdm-flask")
    (path / "pdm.lock").unlink()
    with pytest.raises(InspectError, match=r"no pdm\.lock beside it: .*run `pdm lock` first"):
        plan_of(path)


def test_uv_path_package_is_left_out_of_the_sync_and_built_in_the_project_stage():
    plan = plan_of(SAMPLES / "uv-path-dep")
    assert plan.deps.tree_packages == ("greeting",) and plan.deps.left_out == ("greeting",)
    assert "libs/greeting/pyproject.toml" in plan.deps.inputs and plan.deps.writable_inputs == ()
    assert plan.project is not None and plan.project.wheel_dirs == ("libs/greeting",)


def test_poetry_path_package_leaves_the_export_and_is_built_in_the_project_stage():
    plan = plan_of(SAMPLES / "poetry-path-dep")
    assert plan.deps.installs_export and plan.deps.require_hashes  # every other package is hashed
    assert plan.deps.tree_packages == ("greeting",)
    assert plan.project is not None and plan.project.wheel_dirs == ("libs/greeting",)


def test_a_uv_path_package_without_pyproject_is_mounted_whole_and_writable(sample_copy):
    path = sample_copy("uv-path-dep")
    (path / "libs/greeting/pyproject.toml").unlink()
    (path / "libs/greeting/setup.py").write_text("from setuptools import setup\nsetup(name='greeting')\n")
    plan = plan_of(path)
    assert plan.deps.writable_inputs == ("libs/greeting",)
    assert plan.deps.left_out == ("greeting",)
    assert plan.project is not None and plan.project.wheel_dirs == ("libs/greeting",)


@pytest.mark.parametrize("sample", ["pdm-path-dep", "pipenv-path-dep"])
def test_pdm_and_pipenv_build_path_packages_in_the_deps_step(sample):
    plan = plan_of(SAMPLES / sample)
    assert plan.deps.writable_inputs == ("libs/greeting",)
    assert plan.deps.tree_packages == () and plan.deps.left_out == ()
    assert plan.project is None  # nothing is left for a project stage


def test_uv_workspace_members_are_left_out_together_and_built_as_wheels():
    plan = plan_of(SAMPLES / "uv-workspace")
    assert plan.deps.leaves_out_workspace
    assert plan.project is not None and plan.project.wheel_dirs == ("packages/ws-lib",)
    assert not plan.project.builds_project  # the workspace root is an app, not a package


def test_a_requirements_file_installing_the_project_is_installed_without_that_line():
    plan = plan_of(SAMPLES / "piptools-editable")
    assert plan.deps.drops_project_line and plan.deps.requirements_files == (WITHOUT_PROJECT,)
    assert plan.project is not None and plan.project.builds_project


def test_a_hashed_compiled_file_is_installed_with_require_hashes_and_libraries_are_scanned():
    plan = plan_of(SAMPLES / "piptools-psycopg")
    assert plan.deps.require_hashes and plan.deps.requirements_files == ("requirements.txt",)
    assert "libpq-dev" in plan.base.apt and plan.base.apt_for == ("psycopg2",)
    assert plan.images.builder == "python:3.11-bookworm"  # compiling needs the full image
    assert plan.libraries is not None and not plan.libraries.project
    assert plan.runner.apt_for == ("psycopg2",)


def test_a_wheel_only_lock_builds_in_the_slim_image_with_no_library_scan():
    plan = plan_of(SAMPLES / "uv-fastapi")
    assert plan.images.builder == plan.images.runner == "python:3.13-slim-trixie"
    assert plan.base.apt == () and plan.libraries is None


def test_a_current_uv_lock_installs_frozen_and_a_stale_one_is_checked(sample_copy):
    assert plan_of(SAMPLES / "uv-fastapi").deps.frozen
    path = sample_copy("uv-fastapi")
    text = (path / "pyproject.toml").read_text()
    (path / "pyproject.toml").write_text(text.replace('"fastapi', '"rich",\n    "fastapi', 1))
    plan = plan_of(path)
    assert not plan.deps.frozen
    assert any(reason.startswith("WARNING uv.lock is stale") for reason in plan.reasons)


def test_pipenv_syncs_without_verify_only_when_dockergen_found_the_lock_current():
    assert plan_of(SAMPLES / "pipenv-app").deps.frozen
    assert not plan_of(SAMPLES / "pdm-flask").deps.frozen  # pdm checks its own lock


def test_the_cpu_variant_swaps_the_gpu_runtime_for_cpu_torch():
    gpu, cpu = plan_of(SAMPLES / "uv-torch"), plan_of(SAMPLES / "uv-torch", variant="cpu")
    assert gpu.runner.gpu_env and gpu.deps.left_out == () and gpu.deps.cpu_torch == ()
    assert not cpu.runner.gpu_env
    assert "torch" in cpu.deps.left_out and any(name.startswith("nvidia-") for name in cpu.deps.left_out)
    assert [spec.split("==")[0] for spec in cpu.deps.cpu_torch] == ["torch"]
    assert cpu.deps.cpu_index.startswith("https://download.pytorch.org/whl/cpu")


def test_the_cpu_variant_is_refused_for_a_manager_that_cannot_swap_packages(make_project):
    lock = "[metadata]\nlock_version = '4.5'\ncontent_hash = 'sha256:0'\n[[package]]\nname = 'torch'\n"
    lock += "version = '2.9.1'\nfiles = [{file = 'torch-2.9.1-cp311-cp311-manylinux_2_28_x86_64.whl', hash = 'x'}]\n"
    path = make_project(
        {
            "pyproject.toml": '[project]\nname = "t"\nversion = "1"\ndependencies = ["torch"]\n',
            "pdm.lock": lock,
            "main.py": "print(1)\n",
        }
    )
    with pytest.raises(InspectError, match="--variant cpu is supported for uv projects only"):
        plan_of(path, variant="cpu", cuda="12.8", python="3.11")


def test_the_toolkit_strategy_uses_cuda_images_with_a_uv_managed_python():
    plan = plan_of(SAMPLES / "uv-torch", cuda="12.8")
    assert plan.images.python_install and plan.images.uv is not None
    assert plan.images.builder.startswith("nvidia/cuda:") and "-devel-" in plan.images.builder
    assert plan.images.runner.startswith("nvidia/cuda:") and "-runtime-" in plan.images.runner


@pytest.mark.parametrize(("layers", "own", "shared"), [(1, 0, 0), (2, 0, 1), (16, 6, 9), (64, 6, 57)])
def test_layers_give_the_largest_packages_their_own_and_the_rest_share(sample_copy, layers, own, shared):
    plan = plan_of(SAMPLES / "uv-fastapi", layers=layers)
    assert (plan.layers.total, plan.layers.own, plan.layers.shared) == (layers, own, shared)
    assert plan.layers.split is (layers > 1)


def test_a_lock_of_small_wheels_keeps_the_virtualenv_in_one_layer():
    """uv-fastapi's 14 packages are 3.6 MB of wheels (uv.lock records the sizes): no split, no helper."""
    plan = plan_of(SAMPLES / "uv-fastapi")
    assert (plan.layers.total, plan.layers.split) == (1, False)
    assert any(
        r.startswith("virtualenv in one layer: the lock's 14 packages are 3.6 MB of wheels") for r in plan.reasons
    )
    dockerfile = dockergen.generate(SAMPLES / "uv-fastapi")["Dockerfile"]
    assert "split_layers" not in dockerfile and "COPY --from=deps /opt/venv /opt/venv\n" in dockerfile


def test_a_lock_of_large_wheels_is_split_in_the_default_layers():
    plan = plan_of(ROOT / "benchmarks" / "bench-app")  # pandas, numpy, SQLAlchemy: 53 MB of wheels
    assert (plan.layers.total, plan.layers.own, plan.layers.shared) == (16, 6, 9)


def test_a_lock_of_few_packages_gets_a_layer_for_each_and_no_empty_ones():
    """Pipfile.lock pins 5 packages, with no sizes: a layer each, one for the files no package
    owns, one for the rest (pip and setuptools, which the venv has too)."""
    plan = plan_of(SAMPLES / "pipenv-app")
    assert (plan.layers.total, plan.layers.own, plan.layers.shared) == (7, 5, 1)
    assert any(r.startswith("virtualenv in 7 layers: one for each of the lock's 5 packages") for r in plan.reasons)


def test_a_plain_requirements_file_keeps_the_default_layers():
    """Its 3 lines install more packages than they name (Flask's own dependencies): a count of them
    says nothing of how many layers the virtualenv fills."""
    plan = plan_of(SAMPLES / "requirements-plain")
    assert (plan.layers.total, plan.layers.own, plan.layers.shared) == (16, 6, 9)


def test_the_layers_setting_overrides_the_size_and_count(sample_copy):
    assert plan_of(SAMPLES / "uv-fastapi", layers=16).layers.total == 16
    assert plan_of(SAMPLES / "requirements-plain", layers=1).layers.total == 1


def test_the_split_helper_is_a_stage_of_its_own_and_the_deps_stage_shows_the_install():
    dockerfile = dockergen.generate(SAMPLES / "requirements-plain")["Dockerfile"]
    helpers = dockerfile[dockerfile.index("FROM base AS helpers") : dockerfile.index("FROM base AS deps")]
    deps = dockerfile[dockerfile.index("FROM base AS deps") : dockerfile.index(" AS runner\n")]
    assert "> /split_layers.py\n" in helpers
    assert "printf" not in deps and "COPY --from=helpers /split_layers.py /tmp/split_layers.py\n" in deps
    assert "import hashlib" in helpers and "import hashlib" not in deps


def test_declared_requirements_install_by_name_without_a_lock():
    plan = plan_of(SAMPLES / "hatch-cli")
    assert plan.deps.declared and plan.deps.lock_file is None and plan.deps.requirements_files == ()
    assert plan.project is not None and plan.project.builds_project


def test_declared_extras_are_installed_with_their_package(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\ndependencies = ["pwdlib[argon2,bcrypt]>=0.3", "gitpython"]\n'
    )
    plan = dockergen.plan(tmp_path)[1]
    assert "pwdlib[argon2,bcrypt]>=0.3" in plan.deps.declared
    assert "git" in plan.runner.apt  # GitPython runs the git command


def test_the_runner_gets_the_settings_user_port_and_apt(sample_copy):
    path = sample_copy("uv-fastapi")
    with (path / "pyproject.toml").open("a") as file:
        file.write('\n[tool.dockergen]\nuser = "svc"\nuid = 20000\nport = 9000\napt = {run = ["curl"]}\n')
    runner = plan_of(path).runner
    assert (runner.user, runner.uid, runner.port, runner.apt) == ("svc", 20000, 9000, ("curl",))
    assert runner.healthcheck and runner.apt_for == ()  # the setting, not a package, wants curl


def test_tests_and_docs_leave_the_context_unless_something_reads_them(make_project):
    files = {
        "requirements.txt": "-r docs/requirements.txt\nclick==8.1.8\n",
        "docs/requirements.txt": "sphinx==8.0.0\n",
        "tests/test_app.py": "def test(): pass\n",
        "doc/index.md": "# docs\n",
        "app.py": "print(1)\n",
    }
    path = make_project(files)
    plan = plan_of(path, python="3.11")
    assert plan.context.excluded == ("tests", "doc")  # docs/ holds a file the deps step reads
    assert "/tests\n/doc\n" in dockergen.generate(path, python="3.11")[".dockerignore"]
    (path / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "1"\nreadme = "doc/index.md"\n')
    assert plan_of(path, python="3.11", entrypoint="python tests/test_app.py").context.excluded == ()


@pytest.mark.parametrize(("setting", "copied"), [(True, True), (False, False), (None, False)])
def test_the_app_directory_setting_overrides_the_choice(sample_copy, setting, copied):
    path = sample_copy("poetry-legacy")  # a package whose console script needs only its wheel
    if setting is not None:
        with (path / "pyproject.toml").open("a") as file:
            file.write(f"\n[tool.dockergen]\napp_directory = {str(setting).lower()}\n")
    assert plan_of(path).runner.app_directory is copied


def test_app_directory_false_is_refused_for_a_project_that_is_not_a_package(sample_copy):
    path = sample_copy("requirements-plain")
    (path / "pyproject.toml").write_text("[tool.dockergen]\napp_directory = false\n")
    with pytest.raises(InspectError, match=r"app_directory = false, but the project is not built as a package"):
        plan_of(path)


# --- the app directory in layers (issue 19) ---------------------------------------------------


def sized(path: Path, files: dict[str, int]) -> Path:
    """A Flask app whose files have the given sizes (sparse: no data written)."""
    (path / "requirements.txt").write_text("flask==3.1.0\ngunicorn==23.0.0\n")
    (path / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n")
    for name, size in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        with open(path / name, "wb") as handle:
            handle.truncate(size)
    return path


def parts(plan: BuildPlan) -> list[tuple[str, ...]]:
    return [part.paths for part in plan.app_layers.parts] if plan.app_layers else []


def test_small_apps_keep_one_app_layer():
    """Every sample but the Django one: nothing large to set apart, so the Dockerfile is as before."""
    for sample in sorted(p.name for p in SAMPLES.iterdir() if p.is_dir()):
        plan = plan_of(SAMPLES / sample)
        if sample == "poetry-django":
            assert parts(plan) == [("/app/staticfiles",)] and plan.app_layers.source == "app"
        else:
            assert plan.app_layers is None, sample


def test_a_large_static_directory_gets_a_layer_and_the_code_the_last(tmp_path):
    path = sized(tmp_path, {"static/app.js": 1_500_000, "templates/index.html": 20_000, "locale/fr.po": 5_000})
    plan = plan_of(path)
    assert plan.app_layers is not None and plan.app_layers.source == "context"
    assert parts(plan) == [("/app/static",)] and plan.app_layers.total == 2
    assert plan.app_layers.parts[0].kind == "large" and plan.app_layers.owner == plan.runner.uid
    assert any(r.startswith("app directory in 2 layers") and "/app/static (1.5 MB)" in r for r in plan.reasons)
    dockerfile = dockergen.generate(path)["Dockerfile"]
    assert "RUN --mount=type=bind,source=.,target=/app \\\n" in dockerfile
    assert "/tmp/split_app.py /app-layers 10001 /app \\\n      /app/static\n" in dockerfile
    runner = dockerfile.split("AS runner")[1]
    assert "COPY --from=app-layers /app-layers/0/ /\n" in runner
    assert "COPY --from=app-layers /app-layers/1/ /\n" in runner
    assert "COPY . /app" not in runner


def test_large_subdirectories_are_split_out_and_small_directories_share_a_layer(tmp_path):
    files = {
        "static/img/photo.jpg": 3_000_000,
        "static/vendor/lib.js": 1_200_000,
        "static/vendor/big/mathjax.js": 1_100_000,  # two levels down
        "static/css/site.css": 40_000,  # small: stays in static's own remainder
        "blog/static/blog/blog.js": 600_000,
        "shop/templates/shop/list.html": 500_000,
    }
    plan = plan_of(sized(tmp_path, files))
    assert parts(plan) == [
        ("/app/static/img",),
        ("/app/static/vendor",),
        ("/app/static/vendor/big",),
        ("/app/blog/static", "/app/shop/templates", "/app/static"),  # 1.1 MB together
    ]
    assert [p.kind for p in plan.app_layers.parts] == ["large", "large", "large", "together"]


def test_small_directories_below_the_threshold_together_stay_with_the_code(tmp_path):
    plan = plan_of(sized(tmp_path, {"blog/static/a.js": 400_000, "shop/static/b.js": 400_000}))
    assert plan.app_layers is None


def test_the_layers_are_bounded_and_the_rest_share_the_last_part(tmp_path):
    files = {f"{name}/static/x.bin": 1_000_000 for name in ("a", "b", "c", "d")}
    plan = plan_of(sized(tmp_path, files), app_layers=3)
    assert parts(plan) == [("/app/a/static",), ("/app/b/static", "/app/c/static", "/app/d/static")]
    assert plan.app_layers.total == 3
    assert plan_of(tmp_path, app_layers=1).app_layers is None


def test_a_directory_near_the_threshold_keeps_the_layer_the_dockerfile_gives_it(tmp_path):
    """Hysteresis: a layer is gained at 1 MB and lost below 0.5 MB, so a directory whose size moves
    around the threshold does not make `check` fail on every other commit."""
    path = sized(tmp_path, {"static/app.js": 1_100_000})
    dockergen.write(path)
    with open(path / "static/app.js", "r+b") as handle:
        handle.truncate(700_000)
    assert parts(plan_of(path)) == [("/app/static",)]  # kept
    assert [s.state for s in dockergen.api.status(path)] == ["current", "current"]
    with open(path / "static/app.js", "r+b") as handle:
        handle.truncate(400_000)
    assert plan_of(path).app_layers is None  # lost
    dockergen.write(path)
    with open(path / "static/app.js", "r+b") as handle:
        handle.truncate(700_000)
    assert plan_of(path).app_layers is None  # not gained until 1 MB


def test_directories_that_do_not_reach_the_image_or_that_no_dockerfile_can_name_stay_out(tmp_path):
    files = {
        "node_modules/x/static/a.js": 2_000_000,
        "tests/static/fixture.bin": 2_000_000,
        "my app/static/a.js": 2_000_000,
        "static/.cache.bin": 10,
        "static/big-link": 0,
    }
    path = sized(tmp_path, files)
    (path / "static/big-link").unlink()
    (path / "static/big-link").symlink_to(path / "tests/static/fixture.bin")  # never followed
    assert dockergen.inspect(path).asset_dirs == (
        dockergen.facts.AssetDir("my app/static", 2_000_000, True),
        dockergen.facts.AssetDir("static", 10, True),
    )
    assert plan_of(path).app_layers is None


def test_a_package_run_from_its_wheel_has_no_app_layers(sample_copy):
    path = sample_copy("poetry-legacy")
    sized(path, {"legacy_cli/static/app.js": 2_000_000})
    (path / "requirements.txt").unlink()
    (path / "app.py").unlink()
    assert plan_of(path).runner.app_directory is False and plan_of(path).app_layers is None


def test_many_small_directories_alike_are_written_as_one_pattern(tmp_path):
    """healthchecks (corpus) has sixty integrations, each with a small static/ and templates/: the
    shared layer names them with a * segment, which the split expands at build time."""
    files = {
        f"hc/integrations/{name}/{kind}/x.bin": 40_000 for name in "abcdefghij" for kind in ("static", "templates")
    }
    files |= {"static/img/big.png": 1_500_000, "hc/front/templates/page.html": 300_000}
    path = sized(tmp_path, files)
    plan = plan_of(path)
    assert parts(plan) == [
        ("/app/static/img",),
        ("/app/hc/front/templates", "/app/hc/integrations/*/static", "/app/hc/integrations/*/templates", "/app/static"),
    ]
    dockerfile = dockergen.generate(path)["Dockerfile"]
    assert (
        "      /app/hc/front/templates:'/app/hc/integrations/*/static':'/app/hc/integrations/*/templates'" in dockerfile
    )
    # the pattern is read back from the Dockerfile for the shared layer's hysteresis
    dockergen.write(path)
    assert dockergen.inspect(path).previous_app_parts[1][1] == "/app/hc/integrations/*/static"
    for name in "abcdefghij":  # the shared layer falls to 0.7 MB: kept, as the Dockerfile has it
        (path / f"hc/integrations/{name}/templates/x.bin").unlink()
    assert [p.kind for p in plan_of(path).app_layers.parts] == ["large", "together"]


def test_a_pattern_never_takes_a_directory_that_has_a_layer_of_its_own(tmp_path):
    files = {f"apps/{name}/static/x.bin": 300_000 for name in "abcd"}
    files["apps/big/static/x.bin"] = 1_200_000
    plan = plan_of(sized(tmp_path, files))
    assert parts(plan) == [
        ("/app/apps/big/static",),
        ("/app/apps/a/static", "/app/apps/b/static", "/app/apps/c/static", "/app/apps/d/static"),
    ]


def test_the_dev_group_asked_for_by_a_uv_project_is_not_also_left_out(sample_copy):
    """uv's --no-dev means --no-group dev, which wins over --group dev."""
    dockerfile = dockergen.generate(sample_copy("uv-fastapi"), groups=["dev"])["Dockerfile"]
    assert "uv sync --frozen --no-editable --no-install-project --group dev" in dockerfile
    assert "--no-dev" not in dockerfile
