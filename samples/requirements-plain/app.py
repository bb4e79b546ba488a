"""requirements-plain sample: a tiny click command (no network access)."""

from importlib.metadata import version

import click
import requests


@click.command()
@click.option("--name", default="world", help="Who to greet.")
def main(name: str) -> None:
    click.echo(f"Hello, {name}! (requests {requests.__version__}, click {version('click')})")


if __name__ == "__main__":
    main()
