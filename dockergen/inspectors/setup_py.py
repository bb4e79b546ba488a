"""The keyword arguments of a setup.py's `setup()` call, read with `ast`: no code of the project
runs. A value that is a literal, or a name bound to one in the script, is read; a value built
from a requirements file the call names (`open("requirements.txt").read().splitlines()`, a
`parse_requirements("requirements.txt")` helper) is read from that file; anything else is listed
in `computed`, so `inspect` can say what it could not read.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from ..facts import InspectError
from ..project import Project

KEYS = ("name", "install_requires", "extras_require", "python_requires", "entry_points", "scripts")


@dataclass
class SetupCall:
    values: dict[str, Any] = field(default_factory=dict)
    requirement_files: dict[str, str] = field(default_factory=dict)  # key -> requirements file it reads
    computed: list[str] = field(default_factory=list)  # keys whose value could not be read statically


def _is_setup(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Name) and func.id == "setup") or (
        isinstance(func, ast.Attribute) and func.attr == "setup"
    )


def _bindings(tree: ast.Module) -> dict[str, ast.AST]:
    """`NAME = <expr>` bindings anywhere in the script (a `with open(...)` block included) and its
    function definitions, by name, the last one winning as the script would leave them."""
    bound: dict[str, ast.AST] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            bound[node.targets[0].id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            bound[node.target.id] = node.value
        elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name):
            bound[node.optional_vars.id] = node.context_expr  # with open("requirements.txt") as f
        elif isinstance(node, ast.FunctionDef):
            bound[node.name] = node
    return bound


def _literal(node: ast.expr, bound: dict[str, ast.AST], depth: int = 0) -> Any:
    """A literal value, following module-level names and list concatenation; ValueError otherwise."""
    if depth > 10:
        raise ValueError("too deep")
    if isinstance(node, ast.Name) and isinstance(value := bound.get(node.id), ast.expr):
        return _literal(value, bound, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal(node.left, bound, depth + 1) + _literal(node.right, bound, depth + 1)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_literal(item, bound, depth + 1) for item in node.elts]
    if isinstance(node, ast.Dict) and None not in node.keys:
        # No key is None (a **spread) here: `if k is not None` only says so to the type checker.
        return {
            _literal(k, bound, depth + 1): _literal(v, bound, depth + 1)
            for k, v in zip(node.keys, node.values)
            if k is not None
        }
    return ast.literal_eval(node)


def _named_file(node: ast.expr, bound: dict[str, ast.AST], project: Project) -> str | None:
    """A requirements file of the project that a computed value names (the first string constant
    ending in .txt or .in that exists), looking into the names and functions it uses."""
    seen: list[ast.AST] = [node]
    for top in seen:  # grows as names lead to the expressions they stand for
        if len(seen) > 50:
            break
        names = {n.id for n in ast.walk(top) if isinstance(n, ast.Name)}
        seen += [bound[name] for name in sorted(names) if name in bound and bound[name] not in seen]
    for top in seen:
        for sub in ast.walk(top):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value.endswith((".txt", ".in")):
                rel = sub.value.removeprefix("./")
                if project.exists(rel):
                    return rel
    return None


def read_setup_py(project: Project) -> SetupCall:
    text = project.text("setup.py")
    try:
        tree = ast.parse(text, "setup.py")
    except SyntaxError as exc:
        raise InspectError("setup.py", f"is not valid Python: {exc.msg} (line {exc.lineno})") from None
    except (RecursionError, MemoryError):  # what CPython's parser raises for an expression nested too deep
        raise InspectError("setup.py", "cannot read: an expression nested too deeply for Python's parser") from None
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _is_setup(n)]
    result = SetupCall()
    if not calls:
        return result
    bound = _bindings(tree)
    call = calls[-1]
    if any(k.arg is None for k in call.keywords):
        result.computed.append("**arguments")
    for keyword in call.keywords:
        if keyword.arg not in KEYS:
            continue
        try:
            result.values[keyword.arg] = _literal(keyword.value, bound)
        except (ValueError, TypeError, SyntaxError, RecursionError):
            named = _named_file(keyword.value, bound, project) if keyword.arg == "install_requires" else None
            if named:
                result.requirement_files[keyword.arg] = named
            else:
                result.computed.append(keyword.arg)
    return result
