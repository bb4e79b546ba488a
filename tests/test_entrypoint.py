"""How real projects say how they run: Procfiles with shell syntax, app objects made by factories,
Streamlit scripts, directories of scripts, and what init says when nothing says it."""

from __future__ import annotations

import json

import dockergen


def cmd(dockerfile: str) -> list[str]:
    return json.loads(next(line for line in dockerfile.splitlines() if line.startswith("CMD "))[4:])


def test_a_procfile_with_shell_syntax_runs_under_sh_and_the_image_sets_port(make_project):
    path = make_project(
        {
            "requirements.txt": "flask==3.1.1\ngunicorn==23.0.0\n",
            "Procfile": "web: flask db upgrade; gunicorn --bind 0.0.0.0:$PORT microblog:app\n",
        }
    )
    dockerfile = dockergen.generate(path, port=9000)["Dockerfile"]
    assert cmd(dockerfile) == ["sh", "-c", "flask db upgrade; gunicorn --bind 0.0.0.0:$PORT microblog:app"]
    assert "ENV PORT=9000\nEXPOSE 9000\n" in dockerfile


def test_an_app_made_by_a_factory_in_a_root_module_is_served(make_project):
    path = make_project(
        {
            "requirements.txt": "flask==3.1.1\ngunicorn==23.0.0\n",
            "microblog.py": "from app import create_app\n\napp = create_app()\n",
            "app/__init__.py": "from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n",
        }
    )
    facts = dockergen.inspect(path)
    assert facts.entrypoint.command == ("gunicorn", "--bind", "0.0.0.0:8000", "microblog:app")
    factory = [e.command for e in facts.entrypoint_candidates if "create_app()" in " ".join(e.command)]
    assert factory == [("gunicorn", "--bind", "0.0.0.0:8000", "app:create_app()")]


def test_fastapi_standard_brings_its_server_and_the_port_setting_reaches_the_command(make_project):
    path = make_project(
        {
            "pyproject.toml": '[project]\nname = "svc"\nversion = "1"\ndependencies = ["fastapi[standard]>=0.115"]\n',
            "app/__init__.py": "",
            "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI(\n    title='svc',\n)\n",
        }
    )
    facts, plan = dockergen.plan(path, port=9100)
    assert facts.entrypoint.command == ("uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "9100")
    assert plan.port == 9100 and plan.healthcheck


def test_a_streamlit_script_is_run_on_all_interfaces(make_project):
    path = make_project(
        {"requirements.txt": "streamlit==1.40.0\n", "streamlit_app.py": "import streamlit as st\n\nst.title('x')\n"}
    )
    facts, plan = dockergen.plan(path)
    assert facts.entrypoint.command[:3] == ("streamlit", "run", "streamlit_app.py")
    assert "--server.address" in facts.entrypoint.command and plan.port == 8501


def test_a_directory_of_scripts_runs_its_main(make_project):
    path = make_project({"requirements.txt": "requests\n", "bot/main.py": "print('bot')\n", "bot/util.py": ""})
    assert dockergen.inspect(path).entrypoint.command == ("python", "bot/main.py")


def test_no_entrypoint_still_writes_a_dockerfile_and_names_what_could_run(make_project):
    path = make_project(
        {
            "requirements.txt": "requests\n",
            "tools/sync.py": "def main():\n    pass\n\n\nif __name__ == '__main__':\n    main()\n",
            "lib.py": "X = 1\n",
        }
    )
    facts = dockergen.inspect(path)
    assert facts.entrypoint is None
    assert any('entrypoint = "python tools/sync.py"' in note for note in facts.notes)
    assert cmd(dockergen.generate(path)["Dockerfile"]) == ["python"]
