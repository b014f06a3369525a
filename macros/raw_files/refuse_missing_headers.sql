{#- A raw file whose header lacks a contract column (macro raw_export_contract_headers; DuckDB's names ignore case)
    stops the build, naming the file and the columns, in check_exports.py's words. Without it a single file stopped
    on DuckDB's binder error, naming no file, and a day file of a folder, put beside the others by column name, had
    its missing columns read as blanks: its rows became rows without an event id, with the wrong cure. A custom
    attribute's column may be missing from an older day file (one added to the export since), so only the
    contract's are asked for. names: the file's headers (CSV or Parquet). -#}
{% macro refuse_missing_headers(file, export_name, names, is_csv) -%}
    {%- set present = names | reject('none') | map('lower') | list -%}
    {%- set missing = [] -%}
    {%- for header in raw_export_contract_headers(export_name) if header | lower not in present -%}
        {%- do missing.append(header) -%}
    {%- endfor -%}
    {%- if missing -%}
        {%- do exceptions.raise_compiler_error(file ~ (': line 1: ' if is_csv else ': ') ~ 'column(s) '
            ~ missing | join(', ') ~ ' missing from the ' ~ ('header' if is_csv else 'file\'s columns')
            ~ '; add them (they may be empty). Run check_exports.py for details.') -%}
    {%- endif -%}
{%- endmacro %}
