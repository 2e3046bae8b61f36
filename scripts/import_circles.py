"""The import graph of the package ``brink`` drawn from its source with ``ast``, and its circles.

Every ``import`` and ``from … import`` of a ``brink`` module counts, at the top of a module or
inside a function, except those under ``if TYPE_CHECKING:`` (annotations only, never run).
``from brink.x import y`` is an edge to ``brink.x.y`` when that is a module, else to ``brink.x``.
Prints each circle (strongly connected component of more than one module, or a module that
imports itself) and exits 1 if there is one; ``--under viz`` limits the graph to one folder.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".venv", "tests", "build", "site", "node_modules", ".git"}


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if SKIP & set(parts) or any(p.startswith(".") for p in parts):
            continue
        names = ["brink", *parts[:-1]]
        if parts[-1] != "__init__.py":
            names.append(parts[-1][:-3])
        found[".".join(names)] = path
    return found


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                targets.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                full = f"{module}.{alias.name}"
                targets.add(full if full in known else module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    edges = set()
    for target in targets:
        while target and target not in known:  # import brink.a.b.Name → brink.a.b
            target = target.rpartition(".")[0]
        if target and target != name:
            edges.add(target)
    return edges


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    sys.setrecursionlimit(10_000)

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--under", help="only modules under this folder (e.g. viz)")
    args = parser.parse_args(argv)
    found = modules(ROOT)
    known = set(found)
    graph = {name: imports(name, path, known) for name, path in found.items()}
    if args.under:
        prefix = "brink." + args.under.strip("/").replace("/", ".")
        graph = {
            k: {t for t in v if t.startswith(prefix)}
            for k, v in graph.items()
            if k.startswith(prefix)
        }
    edges = sum(len(v) for v in graph.values())
    loops = circles(graph)
    where = args.under or "the package"
    print(f"{len(graph)} modules, {edges} imports in {where}: {len(loops)} circle(s)")
    for loop in loops:
        print("  circle: " + " ↔ ".join(loop))
    return 1 if loops else 0


if __name__ == "__main__":
    sys.exit(main())
