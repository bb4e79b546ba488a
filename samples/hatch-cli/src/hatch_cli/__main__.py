"""hatch-cli entry point: print a small rich table."""

import argparse
import platform

from rich.console import Console
from rich.table import Table

from hatch_cli import __version__


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="hatch-cli", description="Print a table about this runtime.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.parse_args(argv)

    table = Table(title="hatch-cli")
    table.add_column("key")
    table.add_column("value")
    table.add_row("hatch-cli", __version__)
    table.add_row("python", platform.python_version())
    Console().print(table)


if __name__ == "__main__":
    main()
