"""Write the Totango CSV files from the marts that `dbt build` left in the database: see totango_feed/export.py.

python export.py [--db totango.duckdb] [--out output] [--full] [--dry-run] [--counted] [--max-file-mb 95]
                 [--no-formula-guard] [--accept-changes REASON]

Exit codes: 0 published (or a dry run), 1 refused or failed, 2 a usage error, 3 held by the brakes (the review in
the folder says why; nothing published or recorded).
"""

import sys

from totango_feed.export import main

if __name__ == "__main__":
    sys.exit(main())
