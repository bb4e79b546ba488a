"""setuppy-pkg command: compare two version strings with packaging."""

import argparse

from packaging.version import Version


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="setuppy-pkg", description="Compare two PEP 440 versions.")
    parser.add_argument("left", nargs="?", default="1.0")
    parser.add_argument("right", nargs="?", default="1.0.post1")
    args = parser.parse_args(argv)
    left, right = Version(args.left), Version(args.right)
    sign = "<" if left < right else ">" if left > right else "=="
    print(f"{left} {sign} {right}")


if __name__ == "__main__":
    main()
