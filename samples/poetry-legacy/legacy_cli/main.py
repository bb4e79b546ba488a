"""The legacy-cli command."""

import click


@click.command()
@click.option("--name", default="world", show_default=True, help="Who to greet.")
@click.option("--count", default=1, show_default=True, help="How many times to greet.")
def cli(name: str, count: int) -> None:
    """Greet NAME, COUNT times."""
    for _ in range(count):
        click.echo(f"Hello, {name}!")


if __name__ == "__main__":
    cli()
