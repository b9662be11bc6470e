"""The ``mnistkit`` command line: a thin layer over the library."""

from ._main import main

__all__ = ["main", "run"]


def run():
    """Console-script entry point: exit with :func:`main`'s status."""
    import sys

    sys.exit(main())
