"""Entry script of the uv-workspace sample: uses the ws-lib workspace member (no network)."""

import httpx

from ws_lib import greet

if __name__ == "__main__":
    print(greet("workspace"))
    print(f"httpx {httpx.__version__}")
