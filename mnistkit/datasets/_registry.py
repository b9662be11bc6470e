"""What MNIST is made of and where it lives: data only, no fetch logic.

The SHA-256 of the *decompressed* IDX file is the authority: a mirror that
re-compressed the archives still verifies, a file with the right name and the
wrong content never does. The archive hashes are the official ``.gz`` files',
kept so that a user can check an archive they hold against the original.
"""

from typing import NamedTuple


class IDXFile(NamedTuple):
    """One of the four files MNIST is distributed as."""

    name: str
    sha256: str
    size: int
    gz_sha256: str


FILES = {
    "train-images": IDXFile(
        "train-images-idx3-ubyte",
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        47_040_016,
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    ),
    "train-labels": IDXFile(
        "train-labels-idx1-ubyte",
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        60_008,
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    ),
    "test-images": IDXFile(
        "t10k-images-idx3-ubyte",
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        7_840_016,
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    ),
    "test-labels": IDXFile(
        "t10k-labels-idx1-ubyte",
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        10_008,
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    ),
}

# Tried in this order; each file falls back to the next mirror on failure.
# yann.lecun.com is left out on purpose: it has answered 403 to scripts for years.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

# Which files make up each subset, in the order their rows are stacked.
SUBSETS = {
    "train": (("train-images", "train-labels"),),
    "test": (("test-images", "test-labels"),),
    "all": (("train-images", "train-labels"), ("test-images", "test-labels")),
}

# The sample shipped inside the package (made by ``tools/make_sample.py``).
SAMPLE_FILE = "mnist_sample.npz"
SAMPLE_SHA256 = "01ef50faad32c28c2caf2bf244e5e7f55a226ddfa225bf8480b42cf5ac8d933a"
