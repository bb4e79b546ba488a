"""The app directory's split, as the app-layers stage runs it: every file in exactly one layer, in
the deepest part above it, with metadata that depends on its bytes only, so the same tree gives
the same layers whatever its files' times (a fresh checkout, a touched file)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
from pathlib import Path

from dockergen.render import _templates_dir

EPOCH = 315532800


def make_tree(root: Path) -> None:
    files = {
        "app/main.py": "print('hi')\n",
        "app/static/css/site.css": "body {}\n",
        "app/static/img/logo.png": "png" * 1000,
        "app/static/img/icons/a.svg": "<svg/>",
        "app/templates/index.html": "<p>hi</p>\n",
        "app/blog/static/blog.js": "js\n",
        "app/blog/models.py": "x = 1\n",
        "srv/static/admin.css": "admin\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "app/static/img/same.png").write_text("png" * 1000)  # the same bytes as logo.png
    (root / "app/empty").mkdir()
    (root / "app/link.py").symlink_to("main.py")
    (root / "app/manage.py").write_text("#!/usr/bin/env python\n")
    (root / "app/manage.py").chmod(0o755)


def split(root: Path, out: Path, *parts: str) -> None:
    """Run the script as the stage does; the tree's absolute paths are given under root."""
    script = _templates_dir() / "split_app.py"
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)}
    args = [":".join(f"{root}{path}" for path in part.split(":")) for part in parts]
    owner = str(os.getuid())
    subprocess.run([sys.executable, str(script), str(out), owner, f"{root}/app", *args], check=True, env=env)


def layer_files(out: Path, root: Path) -> dict[str, str]:
    """{path in the runner: layer} for every file and link of every layer."""
    found: dict[str, str] = {}
    for layer in sorted(out.iterdir()):
        for path in layer.rglob("*"):
            if path.is_file() or path.is_symlink():
                rel = "/" + str(path.relative_to(layer / str(root).lstrip("/")))
                assert rel not in found, f"{rel} is in layers {found[rel]} and {layer.name}"
                found[rel] = layer.name
    return found


PARTS = ("/app/static/img", "/app/static:/app/templates", "/srv/static")


def test_every_file_lands_in_the_deepest_part_above_it_and_the_rest_in_the_last(tmp_path):
    root = tmp_path / "tree"
    make_tree(root)
    split(root, tmp_path / "out", *PARTS)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["0", "1", "2", "3"]
    assert layer_files(tmp_path / "out", root) == {
        "/app/static/img/logo.png": "0",
        "/app/static/img/same.png": "0",
        "/app/static/img/icons/a.svg": "0",
        "/app/static/css/site.css": "1",
        "/app/templates/index.html": "1",
        "/srv/static/admin.css": "2",  # outside the app directory: its own tree
        "/app/main.py": "3",
        "/app/link.py": "3",
        "/app/manage.py": "3",
        "/app/blog/models.py": "3",
        "/app/blog/static/blog.js": "3",  # named static, but not a part
    }
    code = tmp_path / "out" / "3" / str(root).lstrip("/") / "app"
    assert (code / "empty").is_dir() and os.readlink(code / "link.py") == "main.py"
    assert os.stat(code / "manage.py").st_mode & 0o777 == 0o755  # modes are the tree's


def test_metadata_depends_on_the_bytes_only(tmp_path):
    root = tmp_path / "tree"
    make_tree(root)
    split(root, tmp_path / "out", *PARTS)
    base = tmp_path / "out"
    tree = str(root).lstrip("/")
    for layer in base.iterdir():
        app = layer / tree / "app"
        if app.exists():  # the app directory as the runner made it: its user's, 755
            assert app.stat().st_uid == os.getuid() and app.stat().st_mode & 0o777 == 0o755
        for path in layer.rglob("*"):
            mtime = path.lstat().st_mtime
            if path.is_file() and not path.is_symlink():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                assert mtime == EPOCH + int(digest[:7], 16), path
            else:
                assert mtime == EPOCH, path
    img = base / "0" / tree / "app/static/img"
    assert (img / "logo.png").stat().st_mtime == (img / "same.png").stat().st_mtime  # same bytes, same time
    assert (img / "logo.png").stat().st_mtime != (base / "3" / tree / "app/main.py").stat().st_mtime


def layer_tar(layer: Path) -> bytes:
    """The layer as a tar of what COPY copies (names, modes, owners, times, bytes), in sorted order."""
    out = layer.parent / f"{layer.name}.tar"
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(layer.rglob("*")):
            tar.add(path, arcname=str(path.relative_to(layer)), recursive=False)
    data = out.read_bytes()
    out.unlink()
    return data


def test_a_touched_or_fresh_tree_gives_the_same_layers_and_a_change_only_its_own(tmp_path):
    root = tmp_path / "tree"
    make_tree(root)
    split(root, tmp_path / "first", *PARTS)
    for path in root.rglob("*"):  # a fresh checkout: every file has a new time
        os.utime(path, (1_800_000_000, 1_800_000_000), follow_symlinks=False)
    split(root, tmp_path / "touched", *PARTS)
    (root / "app/main.py").write_text("print('changed')\n")
    split(root, tmp_path / "code", *PARTS)
    (root / "app/static/css/site.css").write_text("body { color: red }\n")
    split(root, tmp_path / "static", *PARTS)
    layers = {
        run: [layer_tar(tmp_path / run / str(n)) for n in range(4)] for run in ("first", "touched", "code", "static")
    }
    assert layers["touched"] == layers["first"]
    changed = {run: [n for n in range(4) if layers[run][n] != layers["first"][n]] for run in ("code", "static")}
    assert changed == {"code": [3], "static": [1, 3]}  # static also has the code change before it


def test_a_pattern_part_takes_the_directories_it_matches_but_not_one_named_on_its_own(tmp_path):
    root = tmp_path / "tree"
    for name in ("a", "b", "c"):
        (root / f"app/apps/{name}/static").mkdir(parents=True)
        (root / f"app/apps/{name}/static/x.css").write_text(name)
        (root / f"app/apps/{name}/views.py").write_text(name)
    split(root, tmp_path / "out", "/app/apps/c/static", "/app/apps/*/static")
    assert layer_files(tmp_path / "out", root) == {
        "/app/apps/a/static/x.css": "1",
        "/app/apps/b/static/x.css": "1",
        "/app/apps/c/static/x.css": "0",  # named on its own: its own layer
        "/app/apps/a/views.py": "2",
        "/app/apps/b/views.py": "2",
        "/app/apps/c/views.py": "2",
    }
