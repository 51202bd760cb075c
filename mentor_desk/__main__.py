"""Allow ``python -m mentor_desk``."""

import sys

from mentor_desk.cli import main

sys.exit(main())
