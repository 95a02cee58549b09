"""``python -m parmath``: the same as the ``parmath`` command."""

import sys

from .cli import main

sys.exit(main())
