"""A click command, installed as the `pte` console script."""

from importlib.metadata import version

import click


@click.command()
@click.option("--name", default="world")
def main(name: str) -> None:
    """Greet NAME."""
    click.echo(f"Hello, {name}! (pte, click {version('click')})")
