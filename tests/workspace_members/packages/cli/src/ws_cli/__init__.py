from importlib.metadata import distributions


def main() -> None:
    print("cli:", sorted(d.metadata["Name"] for d in distributions()))
