"""The repository keeps its promises: README commands, CI, public API, metadata."""

import ast
import re
from pathlib import Path

import mnistkit

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```bash\n(.*?)```", readme, re.DOTALL).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_readme_starts_with_two_setup_commands_and_ci_runs_the_test_one():
    commands = _readme_commands()
    assert len(commands) == 2
    assert commands[0].endswith("mnistkit compare")
    assert commands[1].endswith("pytest")
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert commands[1] in ci_lines


def test_every_public_name_is_importable_and_documented():
    api = (ROOT / "docs" / "api" / "index.rst").read_text()
    for name in mnistkit.__all__:
        assert hasattr(mnistkit, name)
        if name != "__version__":
            assert re.search(rf"^\s+{re.escape(name)}\s*$", api, re.MULTILINE), name


def test_version_is_in_the_changelog_form():
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert changelog.startswith("# Changelog")
    assert "## [Unreleased]" in changelog
    assert re.fullmatch(r"\d+\.\d+\.\d+", mnistkit.__version__)


def test_changelog_code_spans_do_not_cross_lines():
    # docs/conf.py turns the changelog into reStructuredText line by line.
    for number, line in enumerate((ROOT / "CHANGELOG.md").read_text().splitlines(), 1):
        assert line.count("`") % 2 == 0, f"CHANGELOG.md:{number}: {line}"


# Each part may import only the parts below it, and only through their public names.
_LAYERS = ["datasets", "imaging", "classifier", "evaluation", "plotting", "cli"]
_BELOW = {
    "datasets": set(), "imaging": set(),
    "classifier": {"datasets", "imaging"},
    "evaluation": {"datasets", "imaging", "classifier"},
    "plotting": {"datasets", "imaging", "classifier", "evaluation"},
    "cli": set(_LAYERS) - {"cli"},
}


def _imported_parts(path):
    """(part, private module or None) for each ``mnistkit.<part>`` a module imports."""
    package = path.relative_to(ROOT).parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                target = base + (node.module.split(".") if node.module else [])
            else:
                target = (node.module or "").split(".")
            names = [alias.name for alias in node.names]
            if target[:1] == ["mnistkit"] and len(target) == 1:
                target = [*target, names[0]]
            if target[:1] == ["mnistkit"] and len(target) > 1:
                private = next((part for part in target[2:] if part.startswith("_")), None)
                found.append((target[1], private))
    return found


def test_parts_import_one_way_and_only_public_names():
    for part in _LAYERS:
        for path in sorted((ROOT / "mnistkit" / part).rglob("*.py")):
            for imported, private in _imported_parts(path):
                if imported == part or imported.startswith("_"):
                    continue  # the part itself, or shared leaf modules such as _geometry
                assert imported in _BELOW[part], f"{path.name}: {part} imports {imported}"
                assert private is None, f"{path.name}: {part} reaches into {imported}.{private}"


def test_maintainer_scripts_are_not_in_the_package():
    assert not list((ROOT / "mnistkit").rglob("*make_sample*"))
    assert (ROOT / "tools" / "make_sample.py").is_file()


def test_the_image_shape_is_defined_once():
    for path in (ROOT / "mnistkit").rglob("*.py"):
        if path.name == "_geometry.py":
            continue
        numbers = [
            node.value for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Constant) and type(node.value) is int
        ]
        assert 28 not in numbers, path
        assert 784 not in numbers, path


def _module_imports():
    """Each module of the package, and the package modules it imports (anywhere in it)."""
    paths = {}
    for path in sorted((ROOT / "mnistkit").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        paths[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    names = set(paths)
    graph = {}
    for name, path in paths.items():
        package = list(path.relative_to(ROOT).parts[:-1])
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - node.level + 1]
                    module = [*base, *(node.module.split(".") if node.module else [])]
                else:
                    module = (node.module or "").split(".")
                if module[:1] != ["mnistkit"]:
                    continue
                for alias in node.names:
                    submodule = ".".join([*module, alias.name])
                    # "from . import _commands" names a module and needs nothing from the
                    # package's __init__; "from . import load_model" runs that __init__.
                    targets.add(submodule if submodule in names else ".".join(module))
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.startswith("mnistkit"))
        graph[name] = targets
    # Keep only real modules; a package stands for its __init__.
    return {name: {t for t in targets if t in graph and t != name}
            for name, targets in graph.items()}


def test_no_module_imports_itself_round_a_circle():
    # Imports inside functions count, and so do imports of a package's __init__: a module
    # that takes a name from its own package's __init__, which imports the module back,
    # is a circle even though no module names the other.
    graph = _module_imports()
    state, circles = {}, []

    def visit(name, trail):
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                circles.append([*trail[trail.index(target):], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []


def test_every_module_is_reached_from_the_package_or_the_command_line():
    # Code that only tests or benchmarks reach belongs in benchmarks/, not in the package.
    graph = _module_imports()
    scripts = re.search(r"^\[project\.scripts\]\n(.*?)^\[", (ROOT / "pyproject.toml").read_text(),
                        re.DOTALL | re.MULTILINE).group(1)
    roots = {"mnistkit", "mnistkit.__main__", *re.findall(r'"([\w.]+):\w+"', scripts)}
    reached, todo = set(), sorted(roots)
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            parents = [name.rsplit(".", n)[0] for n in range(1, name.count(".") + 1)]
            todo += [*graph[name], *parents]
    assert sorted(set(graph) - reached) == []
