"""Check the four raw exports in a folder before the build reads them: see totango_feed/raw_checks.py.

python check_exports.py [FOLDER] [--database PATH | --spark-warehouse DIR]        (default: seeds/)
"""

import sys

from totango_feed.raw_checks import main

if __name__ == "__main__":
    sys.exit(main())
