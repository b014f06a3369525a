"""Write the Totango CSV files from the marts that `dbt build` left in the database: see totango_feed/export.py.

python export.py [--db totango.duckdb] [--out output] [--full] [--dry-run] [--counted] [--max-file-mb 95]
                 [--no-formula-guard]
"""

import sys

from totango_feed.export import main

if __name__ == "__main__":
    sys.exit(main())
