"""Greets from the path-installed greeting library."""

import click
from greeting import hello


@click.command()
@click.option("--name", default="path")
def main(name: str) -> None:
    click.echo(hello(name))


if __name__ == "__main__":
    main()
