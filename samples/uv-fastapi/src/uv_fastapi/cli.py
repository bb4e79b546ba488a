"""Command-line entry point: serve the app with uvicorn."""

import argparse


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="uv-fastapi", description="Run the uv-fastapi web service.")
    parser.add_argument("--host", default="0.0.0.0", help="bind address (default: 0.0.0.0)")
    parser.add_argument("--port", type=int, default=8000, help="bind port (default: 8000)")
    args = parser.parse_args(argv)

    import uvicorn

    uvicorn.run("uv_fastapi.main:app", host=args.host, port=args.port)


if __name__ == "__main__":
    main()
