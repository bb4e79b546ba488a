"""pylock-app sample: parse a YAML document into an attrs class (no network access)."""

import attrs
import yaml

CONFIG = """
name: pylock-app
workers: 2
"""


@attrs.frozen
class Config:
    name: str
    workers: int


if __name__ == "__main__":
    config = Config(**yaml.safe_load(CONFIG))
    print(f"{config.name}: {config.workers} workers (PyYAML {yaml.__version__})")
