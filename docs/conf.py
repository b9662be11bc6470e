"""Sphinx configuration of the mnistkit documentation.

Build it with warnings as errors, offline::

    sphinx-build -W --keep-going -b html docs docs/_build/html

Besides the usual settings, this file writes three small generated pages into
``docs/_generated/`` at the start of each build, so that they can never drift
from the code: the ``--help`` of every ``mnistkit`` command, the changelog
(converted from ``CHANGELOG.md``) and the table of MNIST's checksums.
"""

import argparse
import os
import re
import textwrap
from pathlib import Path

from sphinx.util import logging

import mnistkit

logger = logging.getLogger("mnistkit-docs")

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
GENERATED = DOCS / "_generated"

# -- Project ----------------------------------------------------------------------------

project = "mnistkit"
author = "The mnistkit developers"
copyright = "The mnistkit developers"
release = mnistkit.__version__
version = ".".join(release.split(".")[:2])

# -- General ----------------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "_generated", "Thumbs.db", ".DS_Store", "**/README.rst"]
root_doc = "index"
default_role = "literal"
pygments_style = "sphinx"
# Warnings are errors (-W); nothing here may need the network (no intersphinx).

# -- API reference: autodoc, autosummary, numpydoc --------------------------------------

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"
autoclass_content = "class"
add_module_names = False
toc_object_entries_show_parents = "hide"

numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_show_inherited_class_members = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False
# numpydoc validates every documented docstring; a failed check is a warning, and
# warnings are errors. Every check is on except four matters of style that mnistkit
# decides otherwise: no See Also (SA01), extended summary (ES01) or Examples (EX01)
# demanded of every method (the classes and functions have them), and a Returns
# entry may name its value ("self : ConfusionMatrixDisplay", RT02).
numpydoc_validation_checks = {"all", "SA01", "ES01", "EX01", "RT02"}
numpydoc_validation_exclude = {
    # scikit-learn's metadata-routing setters, generated on every estimator: not
    # mnistkit's API, and left out of the pages (see _skip_member below).
    r"\.set_\w+_request$",
}

# -- HTML -------------------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"mnistkit {release}"
html_static_path = ["_static"]
html_css_files = ["mnistkit.css"]
html_show_sourcelink = False
html_theme_options = {
    "logo": {"text": "mnistkit"},
    "github_url": "https://github.com/mnistkit/mnistkit",
    "navbar_align": "left",
    "header_links_before_dropdown": 6,
    "show_prev_next": True,
    "secondary_sidebar_items": ["page-toc", "sg_download_links", "sg_launcher_links"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
    # No icons or version switcher fetched from elsewhere: the docs build offline.
    "navigation_with_keys": False,
}
# Pages without the left navigation: short top-level pages, and the examples,
# whose code and printed tables need the width (the gallery index keeps it).
html_sidebars = {
    "index": [],
    "install": [],
    "quickstart": [],
    "changelog": [],
    "data_licence": [],
    "auto_examples/*/plot_*": [],
}
html_context = {"default_mode": "light"}

# -- Example gallery --------------------------------------------------------------------

# Each example reads MNISTKIT_EXAMPLES_FULL at its top: unset, it runs on the
# sample shipped with mnistkit (the docs build offline in minutes); "1", on the
# full MNIST from fetch_mnist (download or cache needed, and much more time).

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "subsection_order": [
        f"../examples/{name}" for name in ("getting_started", "models", "evaluation", "own_images")
    ],
    "within_subsection_order": "FileNameSortKey",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    # Link names used in the examples to their API pages, and list, on each API
    # page, the examples that use it.
    "doc_module": ("mnistkit",),
    "backreferences_dir": "api/generated/backreferences",
    "remove_config_comments": True,
    "min_reported_time": 0,
    "show_memory": False,
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    # Only what an example prints is shown, not the repr of its last expression.
    "capture_repr": (),
    "first_notebook_cell": (
        "# Run on the full MNIST instead of the shipped sample:\n"
        "# import os; os.environ['MNISTKIT_EXAMPLES_FULL'] = '1'"
    ),
    "default_thumb_file": None,
    "thumbnail_size": (400, 280),
    "plot_gallery": "True",
    # A failing example fails the build.
    "only_warn_on_example_error": False,
    "abort_on_example_error": False,
}

# -- Generated pages --------------------------------------------------------------------


def _write(path, text):
    """Write ``text`` to ``path`` only if it changed, so Sphinx rebuilds only what changed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _cli_help():
    """``mnistkit --help`` and ``mnistkit COMMAND --help``, as the command prints them."""
    from mnistkit.cli._main import build_parser

    # argparse wraps help to the terminal width: narrow enough for the page.
    columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "72"
    try:
        parser = build_parser()
        pages = {"mnistkit": parser.format_help()}
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    pages[f"mnistkit {name}"] = sub.format_help()
    finally:
        if columns is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = columns
    out = [
        ".. This file is generated by docs/conf.py from the command's own parser.",
        "",
    ]
    for title, text in pages.items():
        anchor = title.replace(" ", "-")
        out += [f".. _cli-{anchor}:", "", f"``{title}``", "~" * (len(title) + 4), ""]
        out += [".. code-block:: text", ""]
        for line in text.rstrip().splitlines():
            # Descriptions are printed as written (RawDescriptionHelpFormatter): wrap
            # the long lines of prose. Indented lines (examples) are left as they are.
            if len(line) > 72 and not line.startswith(" "):
                out += [f"   {part}" for part in textwrap.wrap(line, 72)]
            else:
                out.append(f"   {line}".rstrip())
        out.append("")
    _write(GENERATED / "cli_help.rst", "\n".join(out) + "\n")


def _inline_markdown(text):
    """The few inline Markdown forms the changelog uses, as reStructuredText."""
    text = re.sub(r"`([^`]+)`", r"``\1``", text)
    text = re.sub(r"\[([^\]]+)\]\((https?://[^)]+)\)", r"`\1 <\2>`__", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"**\1**", text)
    text = re.sub(r"(?<![*\w])\*([^*\s][^*]*)\*(?![*\w])", r"*\1*", text)
    return text


def _changelog():
    """CHANGELOG.md (Keep a Changelog) as reStructuredText: headings, bullets, links."""
    source = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
    marks = {2: "-", 3: "~", 4: "^"}
    out = [".. This file is generated by docs/conf.py from CHANGELOG.md.", ""]
    for line in source:
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        if heading:
            level, title = len(heading.group(1)), heading.group(2).strip()
            if level == 1:
                continue  # the page has its own title
            title = re.sub(r"^\[([^\]]+)\]", r"\1", title)  # "[1.0.0] - date"
            title = _inline_markdown(title)
            out += ["", title, marks[min(level, 4)] * max(len(title), 3), ""]
            continue
        bullet = re.match(r"^(\s*)[-*]\s+(.*)$", line)
        if bullet:
            indent = " " * len(bullet.group(1))
            out += ["", f"{indent}- {_inline_markdown(bullet.group(2))}"]
            continue
        if re.match(r"^\[[^\]]+\]:\s*\S+", line):
            continue  # link reference definitions at the bottom
        if not line.strip():
            out.append("")
            continue
        # A line that continues a bullet item is indented to the item's text.
        previous = out[-1] if out else ""
        depth = len(previous) - len(previous.lstrip()) if previous.strip() else 0
        if previous.lstrip().startswith("- "):
            depth += 2
        out.append(" " * depth + _inline_markdown(line.strip()))
    _write(GENERATED / "changelog.rst", "\n".join(out).strip() + "\n")


def _checksums():
    """The four official files with their size and SHA-256, from the registry."""
    from mnistkit.datasets._registry import FILES, MIRRORS

    rows = [
        ".. This file is generated by docs/conf.py from mnistkit/datasets/_registry.py.",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 28 14 58",
        "",
        "   * - File",
        "     - Bytes",
        "     - SHA-256 of the decompressed file",
    ]
    for entry in FILES.values():
        rows += [f"   * - ``{entry.name}``", f"     - {entry.size:,}", f"     - ``{entry.sha256}``"]
    rows += ["", "The default mirrors, tried in this order:", ""]
    rows += [f"#. ``{url}``" for url in MIRRORS]
    _write(GENERATED / "checksums.rst", "\n".join(rows) + "\n")


def _check_api_coverage(app):
    """Warn (an error under -W) about any public name missing from the API reference."""
    text = (DOCS / "api" / "index.rst").read_text(encoding="utf-8")
    import mnistkit.plotting

    listed = set(re.findall(r"^\s{3}(\w+)\s*$", text, flags=re.MULTILINE))
    for module in (mnistkit, mnistkit.plotting):
        for name in module.__all__:
            if name.startswith("__"):
                continue
            if name not in listed:
                logger.warning(
                    "%s.%s is public (in __all__) but not listed in docs/api/index.rst",
                    module.__name__, name,
                )


def _redirect_subpackage_refs(app, env, node, contnode):
    """Resolve ``mnistkit.evaluation.evaluate`` to its documented page ``mnistkit.evaluate``.

    Docstrings name some objects by their subpackage; the reference documents
    them once, at the top-level import path.
    """
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or not target.startswith("mnistkit."):
        return None
    name = target.rsplit(".", 1)[-1]
    candidates = []
    if name in getattr(mnistkit, "__all__", ()):
        candidates.append(f"mnistkit.{name}")
    # A method or attribute: mnistkit.evaluation.EvaluationResult.save
    parts = target.split(".")
    if len(parts) >= 3 and parts[-2] in getattr(mnistkit, "__all__", ()):
        candidates.append(f"mnistkit.{parts[-2]}.{name}")
    domain = env.get_domain("py")
    for candidate in candidates:
        if candidate == target:
            continue
        node["reftarget"] = candidate
        resolved = domain.resolve_xref(
            env, node["refdoc"], app.builder, node["reftype"], candidate, node, contnode
        )
        if resolved is not None:
            return resolved
    node["reftarget"] = target
    return None


def _skip_member(app, what, name, obj, skip, options):
    """Leave out scikit-learn's generated metadata-routing setters (``set_fit_request``...).

    scikit-learn adds them to every estimator class; their docstrings refer to
    scikit-learn's own documentation, and they are not part of mnistkit's API.
    """
    if re.fullmatch(r"set_\w+_request", name):
        return True
    return None


def _generate(app):
    _cli_help()
    _changelog()
    _checksums()
    _check_api_coverage(app)


def setup(app):
    app.connect("builder-inited", _generate)
    app.connect("missing-reference", _redirect_subpackage_refs)
    app.connect("autodoc-skip-member", _skip_member)
