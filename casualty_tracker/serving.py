"""What `make serve` (gunicorn.conf.py) prepares for its workers before they start.

The API's throttles count every request, in a cache that all the workers of a server share
(settings.CACHES["throttle"]). Without Redis that cache is a folder, and each count rewrites a
file in it (a new file renamed over the old one). On a disk the rename is journalled: a count cost
about 210 µs a request on this project's VM, against about 90 µs in a folder of the machine's
memory (a tmpfs, /dev/shm on Linux). Counters need no disk: a restart may forget them, as Redis's
are forgotten.

So the server's master process makes a private folder in memory (`tempfile.mkdtemp`: a new name,
mode 0700, so no other account can plant or read a file in it), points THROTTLE_CACHE_DIR at it
for the workers it forks, and removes it when it stops. Nothing happens where the environment
already chose (REDIS_URL, THROTTLE_CACHE_DIR) or the machine has no memory file system; and the
rest of the cache (the data version, which the background worker and commands also write) stays
where every process finds it, CACHE_DIR.
"""

import os
import shutil
import tempfile
from collections.abc import MutableMapping
from pathlib import Path

MEMORY = Path("/dev/shm")
VARIABLE = "THROTTLE_CACHE_DIR"
_made: list[Path] = []  # by this process, for `forget_throttle`


def throttle_in_memory(
    environ: MutableMapping[str, str] = os.environ, memory: Path = MEMORY
) -> Path | None:
    """Point THROTTLE_CACHE_DIR at a new private folder in `memory` and return it, unless the
    environment already chose where the counters go or there is no such file system (None)."""
    if environ.get("REDIS_URL") or environ.get(VARIABLE) or not memory.is_dir():
        return None
    folder = Path(tempfile.mkdtemp(prefix="casualty-tracker-throttle-", dir=memory))
    environ[VARIABLE] = str(folder)
    _made.append(folder)
    return folder


def forget_throttle(environ: MutableMapping[str, str] = os.environ) -> None:
    """Remove the folders `throttle_in_memory` made in this process (one the environment chose,
    or that a parent process made, is left)."""
    while _made:
        folder = _made.pop()
        shutil.rmtree(folder, ignore_errors=True)
        if environ.get(VARIABLE) == str(folder):
            del environ[VARIABLE]
