"""What the frozen executable runs: the same ``main`` as the ``mentor-desk`` console script."""

import sys

from mentor_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
