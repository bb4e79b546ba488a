# Prints the Debian packages a runner needs for the compiled code under the given directories:
# those that own the shared libraries its extension modules link against (ldd, then dpkg -S),
# plus the packages named after --. Only what a module names itself (readelf NEEDED) counts:
# apt brings the rest as dependencies; and what the Python interpreter links against is in the
# runner already.
# Run in the builder, where the -dev packages pulled in the library packages, so the names are
# the names this Debian release gives them, whatever they are.
#     python runtime_libs.py /opt/venv /opt/project -- libmagic1
# The Dockerfile carries this file in printf arguments: no backslashes, no single quotes.

import os
import shutil
import subprocess
import sys

ELF = bytes([127]) + b"ELF"


def shared_objects(roots):
    for root in roots:
        for directory, _, files in os.walk(root):
            for name in files:
                path = os.path.join(directory, name)
                if (name.endswith(".so") or ".so." in name) and not os.path.islink(path):
                    with open(path, "rb") as handle:
                        if handle.read(4) == ELF:
                            yield path


def needed(path):
    """The libraries the file itself names (readelf), not the whole closure ldd prints; None
    without readelf, which then lets every library ldd resolves count."""
    if shutil.which("readelf") is None:
        return None
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True).stdout
    return {line.split("[", 1)[1].split("]", 1)[0] for line in out.splitlines() if "(NEEDED)" in line and "[" in line}


def linked_libraries(paths, roots, closure=False):
    found = set()
    for path in paths:
        direct = None if closure else needed(path)
        out = subprocess.run(["ldd", path], capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[1] == "=>" and parts[2].startswith("/"):
                if direct is not None and parts[0] not in direct:
                    continue
                target = os.path.realpath(parts[2])
                if not any(target.startswith(root.rstrip("/") + "/") for root in roots):
                    found.add(os.path.basename(target))  # a library bundled in a wheel: not from Debian
    return found


def owners(libraries):
    if not libraries:
        return set()
    patterns = ["*/" + name for name in sorted(libraries)]
    out = subprocess.run(["dpkg", "-S", *patterns], capture_output=True, text=True).stdout
    return {line.split(":")[0] for line in out.splitlines() if ": /" in line and not line.startswith("diversion")}


def main(argv):
    split = argv.index("--") if "--" in argv else len(argv)
    roots = [root for root in argv[:split] if os.path.isdir(root)]
    named = argv[split + 1 :]
    packages = owners(linked_libraries(shared_objects(roots), roots))
    interpreter = owners(linked_libraries([os.path.realpath(sys.executable)], [], closure=True))
    for name in sorted((packages - interpreter) | set(named)):
        print(name)


main(sys.argv[1:])
