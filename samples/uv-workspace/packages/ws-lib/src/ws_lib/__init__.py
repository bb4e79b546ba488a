"""Tiny library member of the uv-workspace sample."""

import attrs


@attrs.frozen
class Greeting:
    name: str

    def render(self) -> str:
        return f"Hello, {self.name}! (from ws-lib)"


def greet(name: str) -> str:
    return Greeting(name).render()
