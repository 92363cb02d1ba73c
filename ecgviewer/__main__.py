"""``python -m ecgviewer``: the same as the ``ecgviewer`` command."""

import sys

from ecgviewer.cli import main

if __name__ == "__main__":  # the analysis process (spawn) must not start another app
    sys.exit(main())
