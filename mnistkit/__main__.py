"""Allow ``python -m mnistkit``."""

import sys

from .cli import main

sys.exit(main())
