# Split the app directory into layer directories (written into the Dockerfile by dockergen).
# usage: python split_app.py OUT OWNER ROOT PART...
# Each PART is one layer's directories, joined by ":" (absolute paths, under ROOT or outside it:
# a STATIC_ROOT such as /srv/static; a * segment stands for any one, /app/apps/*/static, and a
# path named on its own wins over a pattern's). OUT/N mirrors the root: OUT/N holds the Nth
# PART, and OUT/<number of PARTs> the rest of ROOT, the code. A file belongs to the deepest PART
# directory above it. ROOT and the PARTs outside it are read-only mounts, so files are copied. Every entry
# gets metadata that depends on its bytes only, never on the checkout or the build: directories
# and links the SOURCE_DATE_EPOCH time; files a time made from a hash of their bytes (the same
# file, the same time; a changed one, a new time, so the time-and-size validators servers make
# for static files change with it); ROOT itself the runner's user as owner and mode 755, as the
# runner made /app. So an unchanged part's layer is byte-identical whichever build copied it.
import glob
import hashlib
import os
import stat
import sys

out, owner, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
parts = [part.split(":") for part in sys.argv[4:]]
epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
tops = {path: n for n, paths in enumerate(parts) for path in paths if "*" not in path}
for n, paths in enumerate(parts):
    for pattern in paths:
        for path in sorted(glob.glob(pattern)) if "*" in pattern else ():
            tops.setdefault(path, n)
times = {}


def target(n, path):
    return os.path.join(out, str(n)) + path


def parents(n, path):
    parent = os.path.dirname(path)
    if parent != path and not os.path.isdir(target(n, parent)):
        parents(n, parent)
        os.mkdir(target(n, parent))
        os.chmod(target(n, parent), stat.S_IMODE(os.lstat(parent).st_mode))


def copy(n, path):
    info = os.lstat(path)
    parents(n, path)
    if stat.S_ISLNK(info.st_mode):
        os.symlink(os.readlink(path), target(n, path))
    elif stat.S_ISDIR(info.st_mode):
        if not os.path.isdir(target(n, path)):
            os.mkdir(target(n, path))
        os.chmod(target(n, path), stat.S_IMODE(info.st_mode))
        for name in sorted(os.listdir(path)):
            child = os.path.join(path, name)
            copy(tops.get(child, n), child)
    elif stat.S_ISREG(info.st_mode):
        digest = hashlib.sha256()
        with open(path, "rb") as source, open(target(n, path), "wb") as copied:
            for block in iter(lambda: source.read(1 << 20), b""):
                digest.update(block)
                copied.write(block)
        os.chmod(target(n, path), stat.S_IMODE(info.st_mode))
        times[target(n, path)] = epoch + int(digest.hexdigest()[:7], 16)


for n in range(len(parts) + 1):
    os.makedirs(os.path.join(out, str(n)))
copy(len(parts), root)
for path, n in sorted(tops.items()):
    if not (path + "/").startswith(root + "/") and os.path.lexists(path):
        copy(n, path)
for n in range(len(parts) + 1):
    for place, dirs, files in os.walk(os.path.join(out, str(n)), topdown=False):
        for name in files + dirs:
            when = times.get(os.path.join(place, name), epoch)
            os.utime(os.path.join(place, name), (when, when), follow_symlinks=False)
    if os.path.isdir(target(n, root)):
        os.chown(target(n, root), owner, owner)
        os.chmod(target(n, root), 0o755)
