"""`benchapp`: serve the app with uvicorn."""

from __future__ import annotations

import argparse


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="benchapp", description="Serve benchapp's FastAPI app with uvicorn.")
    parser.add_argument("--host", default="0.0.0.0", help="address to bind (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="port to bind (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default: %(default)s)")
    args = parser.parse_args(argv)

    import uvicorn

    uvicorn.run("benchapp.main:app", host=args.host, port=args.port, workers=args.workers)


if __name__ == "__main__":
    main()
