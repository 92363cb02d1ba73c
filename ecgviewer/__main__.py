"""``python -m ecgviewer``: the same as the ``ecgviewer`` command."""

import sys

from ecgviewer.cli import main

sys.exit(main())
