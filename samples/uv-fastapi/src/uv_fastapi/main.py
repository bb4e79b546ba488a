"""FastAPI application object for the uv-fastapi sample."""

from fastapi import FastAPI

from uv_fastapi import __version__

app = FastAPI(title="uv-fastapi", version=__version__)


@app.get("/")
def root() -> dict[str, str]:
    return {"message": "hello from uv-fastapi", "version": __version__}


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
