"""The repository keeps its promises: README commands, CI, public API, metadata."""

import ast
import importlib
import inspect
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


def test_every_public_class_of_each_part_is_documented():
    # Classes public only in their part (mnistkit.classifier.Deskew) are in the
    # reference too, under their part.
    api = (ROOT / "docs" / "api" / "index.rst").read_text()
    for part in _LAYERS[:-1]:
        module = importlib.import_module(f"mnistkit.{part}")
        for name in module.__all__:
            if inspect.isclass(getattr(module, name)):
                assert re.search(rf"^\s+{name}\s*$", api, re.MULTILINE), f"{part}.{name}"


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


# Scripts beside the package use it as its users do: benchmarks, maintainer tools and
# the gallery's examples import only public names, so the internals stay free to change.
_SCRIPTS = ["benchmarks/*.py", "tools/*.py", "examples/**/*.py", "docs/_static/*.py"]


def _private_part(dotted):
    """The first part of a dotted name that is private (``_x``, not ``__x__``), or None."""
    return next((part for part in dotted.split(".")
                 if part.startswith("_") and not part.endswith("__")), None)


def _dotted(node):
    """``a.b.c`` for an attribute chain on a plain name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else None


def _mnistkit_names(tree):
    """(line, dotted name) of every mnistkit module or name a script reaches, anywhere."""
    attributes = [node for node in ast.walk(tree) if isinstance(node, ast.Attribute)]
    inner = {id(node.value) for node in attributes}  # a.b of a.b.c: its whole chain counts
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Attribute) and id(node) not in inner:
            names = [_dotted(node)]
        else:
            continue
        yield from ((node.lineno, name) for name in names
                    if name and name.split(".")[0] == "mnistkit")


def _doctest_lines(tree):
    """(line, source) of the ``>>>`` lines in a module's docstrings."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            docstring = ast.get_docstring(node, clean=False)
            if docstring:
                start = node.body[0].lineno
                for offset, line in enumerate(docstring.splitlines()):
                    if line.strip().startswith(">>> "):
                        yield start + offset, line.strip()[4:]


def _private_uses(path):
    """(line, name) of each private mnistkit module or name a script reaches."""
    tree = ast.parse(path.read_text())
    found = list(_mnistkit_names(tree))
    for line, source in _doctest_lines(tree):
        try:
            found += [(line, name) for _, name in _mnistkit_names(ast.parse(source))]
        except SyntaxError:
            continue  # a line continued on the next one
    return sorted((line, name) for line, name in found if _private_part(name))


def test_scripts_use_only_public_names():
    paths = sorted({path for pattern in _SCRIPTS for path in ROOT.glob(pattern)})
    assert any(path.parent.name == "benchmarks" for path in paths)
    uses = [f"{path.relative_to(ROOT)}:{line}: {name}"
            for path in paths for line, name in _private_uses(path)]
    assert uses == []


def test_the_private_name_check_sees_every_form(tmp_path):
    script = tmp_path / "bench.py"
    script.write_text(
        '"""A benchmark.\n\n>>> from mnistkit.classifier._features import Deskew\n"""\n'
        "import mnistkit\n"
        "import mnistkit.classifier._parallel as parallel\n"
        "from mnistkit import __version__, fetch_mnist\n"
        "from mnistkit.classifier import Deskew, _accurate\n"
        "\n"
        "def main():\n"
        "    from mnistkit.datasets._registry import FILES\n"
        "    return mnistkit._geometry.IMAGE_SIDE, mnistkit.__version__\n"
        "\n"
        "members = mnistkit.classifier._accurate.ACCURATE_MEMBERS.keys()\n"
    )
    assert _private_uses(script) == [
        (3, "mnistkit.classifier._features.Deskew"),
        (6, "mnistkit.classifier._parallel"),
        (8, "mnistkit.classifier._accurate"),
        (11, "mnistkit.datasets._registry.FILES"),
        (12, "mnistkit._geometry.IMAGE_SIDE"),
        (14, "mnistkit.classifier._accurate.ACCURATE_MEMBERS.keys"),
    ]
