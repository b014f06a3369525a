"""Send the published exports not yet delivered to the drop Totango pulls from, exactly once, oldest first, then
trigger Totango's import jobs if configured: see totango_feed/delivery/.

python deliver.py sftp://user@host[:port]/path | s3://bucket/prefix | file:///path  [--db totango.duckdb]
                  [--known-hosts FILE] [--key-file FILE] [--endpoint-url URL] [--allow-sample]
                  [--skip RUN_ID] [--from RUN_ID] [--trigger-accounts URL] [--trigger-users URL] [--trigger-usage URL]
"""

import sys

from totango_feed.delivery.cli import main

if __name__ == "__main__":
    sys.exit(main())
