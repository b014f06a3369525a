"""The last mile: deliver.py sends each published export to the drop Totango pulls from, exactly once, and can
trigger Totango's import jobs; daily.py runs the whole day (check, build, export, deliver) under one lock.

destination  the drop as a URL (sftp://, s3://, file://) and the folder each export goes into;
stores       one module per kind of drop (file_store, sftp_store, s3_store): a file goes in under a temporary
             name (or, on S3, a write that cannot overwrite), is verified, then is put in place whole;
records      what was delivered where, in the DuckDB file beside the export ledger (schema delivery);
selection    which published exports are still to deliver, and which of their files go to the drop;
engine       the delivery itself, file by file, each step recorded so that a retry finishes a delivery cut
             short and never sends a delivered file again;
trigger      the optional call to each of Totango's import jobs after a delivery.
"""
