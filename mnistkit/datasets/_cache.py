"""The cache folder, shared by processes: its lock, staging folders, and clean-up.

Several processes may fill or repair one cache at once. Each moment that must
not interleave with another process (moving a file in, moving a damaged one
aside, making or sweeping a staging folder) holds an exclusive lock on the cache
folder itself, for a few system calls; downloads and checks run outside it.

Every download is staged in a private ``.partial-*`` folder, locked by its
process for as long as it lives. A process that is killed leaves its folder
behind, but not its lock (the system releases it), so the next fetch can tell a
stale folder from one another process is still filling, and remove only the
stale one.
"""

import contextlib
import errno
import os
import shutil
import tempfile
import time

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; staging folders are swept by age
    fcntl = None

STAGING_PREFIX = ".partial-"
# Without locks, a staging folder this old (seconds) is taken for a stale one.
STALE_AGE = 24 * 3600

# The errors that mean the disk (or the user's quota on it) is full.
DISK_FULL = frozenset(
    code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if code is not None
)


def is_disk_full(error):
    return isinstance(error, OSError) and error.errno in DISK_FULL


def _open_folder(path):
    """A file descriptor on the folder ``path``, to lock it; None where impossible."""
    if fcntl is None:
        return None
    try:
        return os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None


def _lock(fd, flags):
    """Lock the open folder ``fd``, unless its file system has no locks (some network
    shares): the lock is then skipped, as on Windows."""
    with contextlib.suppress(OSError):
        fcntl.flock(fd, flags)


@contextlib.contextmanager
def folder_lock(folder):
    """Hold an exclusive lock on ``folder`` (the folder itself: no lock file is left)."""
    fd = _open_folder(folder)
    try:
        if fd is not None:
            _lock(fd, fcntl.LOCK_EX)
        yield
    finally:
        if fd is not None:
            os.close(fd)  # releases the lock


def identity(stat):
    """What tells one file from another that replaced it under the same name."""
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def in_the_way(folder):
    """The file that stops ``folder`` from being a folder (itself or a parent), or None."""
    path = folder
    while path:
        if os.path.exists(path):
            return None if os.path.isdir(path) else path
        parent = os.path.dirname(path)
        if parent == path:
            return None
        path = parent
    return None


def check_folder(folder, name="data_home"):
    """Raise ``NotADirectoryError`` if a file stands where ``folder`` is or would be made.

    ``name`` says where the folder came from, as the user set it.
    """
    blocker = in_the_way(folder)
    if blocker is None:
        return
    if blocker == folder:
        msg = f"{name} {folder} is a file, not a folder."
    else:
        msg = f"{name} {folder} cannot be made: {blocker} is a file, not a folder."
    msg += " Pass data_home= a folder (it is made if missing), or move the file away."
    raise NotADirectoryError(msg)


def _missing_ancestors(folder):
    """The folders that ``os.makedirs(folder)`` would create, deepest first."""
    missing = []
    while folder and not os.path.isdir(folder):
        missing.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return missing


@contextlib.contextmanager
def staging(folder):
    """A private staging folder inside ``folder``, locked while in use.

    ``folder`` is made if missing; folders this call made are removed again if
    they are still empty at the end (a failed or interrupted download): the cache
    is only created when something is written to it.
    """
    created = _missing_ancestors(folder)
    os.makedirs(folder, exist_ok=True)
    fd = None
    try:
        # Under the folder's lock, so that a sweep never sees it made and not yet locked.
        with folder_lock(folder):
            path = tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder)
            fd = _open_folder(path)
            if fd is not None:
                _lock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody else knows it yet
    except BaseException:
        if fd is not None:
            os.close(fd)
        _remove_made(created)
        raise
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        if fd is not None:
            os.close(fd)
        _remove_made(created)


def _remove_made(created):
    for made in created:
        try:
            os.rmdir(made)  # only if empty; another process may be filling it
        except OSError:
            break


def _is_stale(path):
    """Whether no living process holds the staging folder ``path``.

    Its lock says so; where locks are missing, its age.
    """
    fd = _open_folder(path)
    if fd is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # locked: its process is alive and still using it
        except OSError:
            pass  # no locks on this file system: judge by age
        else:
            return True
        finally:
            os.close(fd)
    try:
        return time.time() - os.stat(path).st_mtime > STALE_AGE
    except OSError:
        return False


def remove_stale_staging(folder):
    """Remove the staging folders in ``folder`` that no living process holds.

    Returns their paths. Never fails: a cache that cannot be swept (read-only,
    missing) is simply left as it is.
    """
    try:
        names = [name for name in os.listdir(folder) if name.startswith(STAGING_PREFIX)]
    except OSError:
        return []
    removed = []
    if not names:
        return removed
    with folder_lock(folder):
        for name in names:
            path = os.path.join(folder, name)
            if os.path.isdir(path) and not os.path.islink(path) and _is_stale(path):
                shutil.rmtree(path, ignore_errors=True)
                if not os.path.exists(path):
                    removed.append(path)
    return removed
