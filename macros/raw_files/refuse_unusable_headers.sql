{#- DuckDB's column names ignore case: of two headers of one file that differ only in case (Account_Name and
    account_name), DuckDB cannot tell them apart, and staging's account_name could read the user's extra column.
    And a column named like the build's own (raw_file_column: names starting with __totango_feed_) cannot be told
    from it. Such a file stops the build here, naming the file and the headers (check_exports.py says the same
    before a build). names: the file's headers (CSV or Parquet). -#}
{% macro refuse_unusable_headers(file, names) -%}
    {%- set seen = {} -%}
    {%- for name in names if name -%}
        {%- set key = name | trim | lower -%}
        {%- if key.startswith('__totango_feed_') -%}
            {%- do exceptions.raise_compiler_error(file ~ ': the column ' ~ name ~ ' is named like the build\'s own '
                ~ 'columns (' ~ raw_file_column('file') ~ ', ' ~ raw_file_column('position') ~ ': names starting with '
                ~ '__totango_feed_); rename or remove it. Run check_exports.py for details.') -%}
        {%- endif -%}
        {%- if key in seen -%}
            {%- do exceptions.raise_compiler_error(file ~ ': the headers ' ~ seen[key] ~ ' and ' ~ name
                ~ (' are the same' if seen[key] == name else ' differ only in case') ~ ', and the build cannot '
                ~ 'tell them apart: rename or remove one of them, so that the build does not read the '
                ~ 'wrong column. Run check_exports.py for details.') -%}
        {%- endif -%}
        {%- do seen.update({key: name}) -%}
    {%- endfor -%}
{%- endmacro %}
