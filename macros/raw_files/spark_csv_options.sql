{#- The options of Spark's CSV reader that read a file as DuckDB's read_csv does (macro csv_dialect), every one
    that could drop, add, move or alter a row stated: header, comma, RFC 4180 quoting (a quote doubled inside
    quotes, not \"), values over several lines, UTF-8 with or without a byte-order mark, every column as text (no
    schema inference), no comment character, white space around values kept, only an empty field is no value
    ("NULL" is text), and FAILFAST: a row with more or fewer fields than the header stops the build (Spark's
    default fills a short row with nulls and cuts a long one, in silence). The line separator is the file's own,
    from its first line (first_file: Windows, Unix, or CR alone as old Mac files end lines): given it, Spark keeps
    a line break inside a quoted value as it is written; left to guess, it rewrites \r\n there as \n, which
    DuckDB does not. enforceSchema off: Spark takes the columns of a folder's first file and would otherwise apply
    them by position to every file, reading a file whose columns come in another order into the wrong columns;
    so it checks each file's header, and a file whose columns differ stops the build (DuckDB reads such files by
    name). -#}
{% macro spark_csv_options(path, first_file=none) -%}
    {%- do run_query("create or replace temporary view totango_raw_first_line using text options (path "
        ~ sql_literal(first_file or path) ~ ", lineSep '\\n')") -%}
    {%- set first_line = run_query('select value from totango_raw_first_line limit 1') -%}
    {%- set line = first_line.rows[0][0] if first_line.rows | length > 0 else '' -%}
    {#- A file of CR line ends has no LF: its first "line" is the whole file, with a CR inside, not only at its end. -#}
    {%- set separator = '\\r' if '\r' in line[:-1] else ('\\r\\n' if line.endswith('\r') else '\\n') -%}
    path {{ sql_literal(path) }}, header 'true', sep ',', multiLine 'true', quote '"', escape '"',
    encoding 'UTF-8', enforceSchema 'false', inferSchema 'false', comment '', ignoreLeadingWhiteSpace 'false',
    ignoreTrailingWhiteSpace 'false', nullValue '', mode 'FAILFAST', unescapedQuoteHandling 'STOP_AT_DELIMITER',
    ignoreCorruptFiles 'false', lineSep '{{ separator }}'
{%- endmacro %}
