"""The adapters import only downward: no import circle, and no rendering or port module imports a
listener (listeners -> render/platform -> core)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _module_name(path: Path, root: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def import_graph(root: Path, package: str = "adapters") -> dict[str, set[str]]:
    """Return, for every module under ``package``, the modules of ``package`` it imports.

    Imports under ``if TYPE_CHECKING:`` count too: a circle there is still a circle to a reader.
    """
    modules = dict(_module_name(p, root) for p in (root / package).rglob("*.py"))
    graph: dict[str, set[str]] = {}
    for name, is_package in modules.items():
        path = root.joinpath(*name.split("."), "__init__.py" if is_package else "")
        path = path if is_package else path.with_suffix(".py")
        here = name if is_package else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join([*up, *([node.module] if node.module else [])])
                # ``from pkg import module`` imports the module; ``from module import name`` the module
                found.update(f"{base}.{alias.name}" for alias in node.names)
                found.add(base)
        graph[name] = {m for m in found if m in modules and m != name and not _is_parent(m, name)}
    return graph


def _is_parent(candidate: str, name: str) -> bool:
    # importing a.b.c runs a/__init__ and a/b/__init__ first: not an edge a reader follows
    return name.startswith(candidate + ".") and candidate.count(".") < name.count(".")


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return one path per import circle found (empty when the graph is acyclic)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 while on the current path, 2 when done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def _layer_of(module: str) -> str:
    parts = module.split(".")
    if "listeners" in parts:
        return "listeners"
    return parts[-1]


class TestAdapterImports:
    def test_no_adapter_module_imports_itself_through_a_circle(self) -> None:
        assert circles(import_graph(ROOT)) == []

    def test_no_render_or_platform_module_imports_a_listener(self) -> None:
        graph = import_graph(ROOT)
        upward = sorted(
            f"{module} -> {target}"
            for module, targets in graph.items()
            if _layer_of(module) in {"render", "platform"}
            for target in targets
            if _layer_of(target) == "listeners"
        )
        assert upward == []

    @pytest.mark.parametrize("adapter", ["slack", "discord", "console", "persistence"])
    def test_each_adapter_is_walked(self, adapter: str) -> None:
        assert any(m.startswith(f"adapters.{adapter}.") for m in import_graph(ROOT))

    def test_a_circle_through_a_relative_import_is_found(self, tmp_path: Path) -> None:
        pkg = tmp_path / "adapters" / "chat"
        pkg.mkdir(parents=True)
        (tmp_path / "adapters" / "__init__.py").write_text("")
        (pkg / "__init__.py").write_text("")
        (pkg / "platform.py").write_text("from .listeners import on_press\n")
        (pkg / "listeners.py").write_text("from adapters.chat import platform\n")
        graph = import_graph(tmp_path)
        assert circles(graph) == [
            ["adapters.chat.listeners", "adapters.chat.platform", "adapters.chat.listeners"]
        ]
