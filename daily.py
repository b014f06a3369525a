"""One day of the feed for a scheduler: check, build, export into output/daily/<time>, deliver, trigger, under one
lock, with exit codes a scheduler can act on: see totango_feed/delivery/daily.py (and `make daily`).

python daily.py --raw-dir /data/exports --drop sftp://user@host/~/totango   (or $TOTANGO_RAW_DIR, $TOTANGO_DROP)
"""

import sys

from totango_feed.delivery.daily import main

if __name__ == "__main__":
    sys.exit(main())
