"""Argument parsing and dispatch for the ``mnistkit`` command."""

import argparse
import sys

from .._version import __version__
from ..datasets import DownloadError, fetch_mnist, get_data_home

_EPILOG = """\
examples:
  mnistkit fetch                      download and verify MNIST, print a summary
  mnistkit fetch --data-home ./data   cache it in ./data instead
"""


def _cmd_fetch(args):
    counts = {}
    for subset in ("train", "test"):
        mnist = fetch_mnist(
            subset=subset, data_home=args.data_home, mirror=args.mirror,
            progress=False if args.quiet else None,
        )
        counts[subset] = mnist
    print(f"MNIST is cached in {get_data_home(args.data_home)}")
    for subset, mnist in counts.items():
        per_digit = " ".join(f"{d}:{n}" for d, n in enumerate(_bincount(mnist.target)))
        print(f"  {subset:<5} {len(mnist.target):>6,} images of 28x28 pixels  ({per_digit})")
    print("All four files match the official SHA-256 checksums.")
    return 0


def _bincount(labels):
    import numpy as np

    return np.bincount(labels, minlength=10)


def build_parser():
    """The argument parser of the ``mnistkit`` command."""
    parser = argparse.ArgumentParser(
        prog="mnistkit",
        description="MNIST with scikit-learn: download, train, evaluate, plot.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mnistkit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    fetch = commands.add_parser(
        "fetch", help="download and verify MNIST, print where it is cached",
        description="Download MNIST (if needed), verify it and print a summary.",
        epilog="example:\n  mnistkit fetch --data-home ./mnist-data",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fetch.add_argument(
        "--data-home", metavar="DIR",
        help="cache folder (default: MNISTKIT_DATA_DIR, else the per-user cache)",
    )
    fetch.add_argument("--mirror", metavar="URL", help="mirror base URL(s), comma-separated")
    fetch.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    fetch.set_defaults(handler=_cmd_fetch)
    return parser


def main(argv=None):
    """Run the ``mnistkit`` command; return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.handler(args)
    except (DownloadError, OSError, ValueError) as error:
        if args.debug:
            raise
        print(f"mnistkit {args.command}: error: {error}", file=sys.stderr)
        return 1
