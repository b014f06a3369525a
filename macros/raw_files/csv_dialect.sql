{#- The options of DuckDB's CSV reader that fix the dialect of a raw export (totango_feed/sql.py CSV_DIALECT says
    the same to the check), so that DuckDB guesses nothing that could drop, add, move or alter a row: comma,
    double quotes doubled inside, no comment character (a guessing reader took # for one and skipped every line
    starting with it), no line skipped, no short row padded, no bad row ignored, RFC 4180 quoting, a row at most
    2,000,000 bytes, only an empty field is no value ("NULL", "None" are text), UTF-8, and no column taken from a
    folder named key=value (hive partitioning would put that value in place of the file's own column). The line
    ending is left to DuckDB, which takes it from the first line and stops at a line ending otherwise: stated,
    one the file does not use makes DuckDB read no row at all, without an error. -#}
{% macro csv_dialect() -%}
    delim = ',', quote = '"', escape = '"', comment = '', skip = 0, null_padding = false, ignore_errors = false,
    strict_mode = true, max_line_size = 2000000, nullstr = '', encoding = 'utf-8', hive_partitioning = false
{%- endmacro %}
