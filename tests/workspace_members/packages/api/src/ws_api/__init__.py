from importlib.metadata import distributions

from ws_core import greeting


def main() -> None:
    print("api:", greeting(), sorted(d.metadata["Name"] for d in distributions()))
