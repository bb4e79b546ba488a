# Split a virtualenv into layer directories (written into the Dockerfile by dockergen).
# usage: python split_layers.py VENV OUT OWN BUCKETS
# OUT/N mirrors the root: OUT/N/opt/venv/... OUT/0 holds what no package owns (the interpreter
# links, pyvenv.cfg); OUT/1..OWN hold the OWN largest distributions, one each, in name order; the
# rest share BUCKETS directories by a hash of their name, so a dependency change touches only the
# layers that hold what changed. Files are hard links: run in the step that installed the venv, it
# writes no data. Every entry, parents included, gets the SOURCE_DATE_EPOCH time, so a layer's
# bytes depend on its files only, never on when or on top of which cached layers it was copied.
import hashlib
import os
import sys

venv, out, own, buckets = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
lib = os.path.join(venv, "lib")
site = os.path.join(lib, os.listdir(lib)[0], "site-packages")
owner, size = {}, {}
for info in sorted(os.listdir(site)):
    record = os.path.join(site, info, "RECORD")
    if not (info.endswith(".dist-info") and os.path.isfile(record)):
        continue
    dist = info[: -len(".dist-info")].rsplit("-", 1)[0].lower().replace("_", "-")
    with open(record, encoding="utf-8") as lines:
        for line in lines:
            path = os.path.normpath(os.path.join(site, line.rsplit(",", 2)[0]))
            if os.path.lexists(path):
                owner[path] = dist
                size[dist] = size.get(dist, 0) + os.lstat(path).st_size
tops = {}
for path, dist in owner.items():
    if path.startswith(site + os.sep):
        tops.setdefault(path[len(site) + 1 :].split(os.sep)[0], set()).add(dist)
big = sorted(sorted(size, key=lambda d: (-size[d], d))[:own])


def layer(dist):
    if dist is None:
        return 0
    if dist in big:
        return 1 + big.index(dist)
    return 1 + own + int(hashlib.sha256(dist.encode()).hexdigest(), 16) % buckets


for n in range(1 + own + buckets):
    os.makedirs(os.path.join(out, str(n)) + venv, exist_ok=True)
for root, dirs, files in os.walk(venv):
    for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
        path = os.path.join(root, name)
        dist = owner.get(path)
        if dist is None and path.startswith(site + os.sep):
            found = tops.get(path[len(site) + 1 :].split(os.sep)[0], set())
            dist = next(iter(found)) if len(found) == 1 else None
        target = os.path.join(out, str(layer(dist))) + path
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(path, target, follow_symlinks=False)
for root, dirs, files in os.walk(out, topdown=False):
    for name in files + dirs:
        os.utime(os.path.join(root, name), (epoch, epoch), follow_symlinks=False)
