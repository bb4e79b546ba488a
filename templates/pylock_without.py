# Copies a pylock.toml without the [[packages]] entries of the names given (PEP 503 normalized).
# The dependency step has only the manifests, so what the lock installs from the project tree
# (the project itself, path packages) is left to the project stage, which builds it as a wheel.
#     python pylock_without.py pylock.toml /tmp/pylock.toml myproject mylib
# The Dockerfile carries this file in printf arguments: no backslashes, no single quotes.

import sys
from pathlib import Path


def name_of(lines):
    for line in lines:
        key, sep, value = line.partition("=")
        if sep and key.strip() == "name":
            found = value.strip().strip(chr(34)).lower().replace("_", "-").replace(".", "-")
            while "--" in found:
                found = found.replace("--", "-")
            return found
    return None


def main(source, target, names):
    blocks, block = [], []
    for line in Path(source).read_text(encoding="utf-8").splitlines(keepends=True):
        if line.strip() == "[[packages]]" and block:
            blocks.append(block)
            block = []
        block.append(line)
    blocks.append(block)
    kept = [b for b in blocks if not (b[0].strip() == "[[packages]]" and name_of(b) in names)]
    Path(target).write_text("".join("".join(b) for b in kept), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], set(sys.argv[3:]))
