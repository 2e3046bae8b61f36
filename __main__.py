import sys

from brink.cli import main

sys.exit(main())
