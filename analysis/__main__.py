"""`python -m analysis` runs the threadlens command line."""

import sys

from analysis.cli import main

sys.exit(main())
