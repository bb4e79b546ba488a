"""Requirements lines as pip reads them: markers with quotes, bare URLs, options after the requirement
(dockergen/inspectors/reqfile.py, shared by the pip-tools and plain-requirements inspectors)."""

from __future__ import annotations

from dockergen.inspectors import reqfile
from dockergen.project import Project


def parse(tmp_path, text: str):
    (tmp_path / "requirements.txt").write_text(text)
    return reqfile.parse(Project(tmp_path), "requirements.txt")


def test_quoted_markers_as_exporters_write_them(tmp_path):
    # uv export, poetry export, pipenv requirements and pip-compile all quote marker values.
    found = parse(
        tmp_path,
        'flask==3.0.3 ; python_version >= "3.9"\n'
        "colorama==0.4.6 ; sys_platform == 'win32' \\\n"
        "    --hash=sha256:08695f5cb7ed6e0531a20572697297273c47b8cae5a63ffc6d6ed5c201be6e44\n",
    )
    flask, colorama = found.packages
    assert (flask.name, flask.version, flask.marker) == ("flask", "3.0.3", 'python_version >= "3.9"')
    assert (colorama.marker, colorama.hashed) == ('sys_platform == "win32"', True)


def test_bare_url_lines_name_their_package(tmp_path):
    found = parse(
        tmp_path,
        "https://example.org/files/six-1.16.0-py2.py3-none-any.whl\n"
        "git+https://example.org/psf/requests.git#egg=requests\n"
        "https://example.org/archive/pkg_name-2.0.tar.gz ; python_version >= '3.9'\n",
    )
    assert [(p.name, p.source.kind) for p in found.packages] == [
        ("six", "url"),
        ("requests", "git"),
        ("pkg-name", "url"),
    ]
