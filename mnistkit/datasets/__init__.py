"""MNIST: a cached, verified downloader, the IDX reader, and a shipped sample."""

from ._download import DownloadError
from ._fetchers import fetch_mnist, get_data_home, load_sample
from ._idx import read_idx

__all__ = ["DownloadError", "fetch_mnist", "get_data_home", "load_sample", "read_idx"]
