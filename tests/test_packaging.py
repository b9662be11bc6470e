"""The repository keeps its promises: README commands, CI, public API, metadata."""

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
