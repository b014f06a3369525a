{#- The select list of an output file's fixed columns, in the order of their one list (macro output_columns):
    `expression as "Header"` for each, the expression cut to the column's Totango limit (macro within_limit) where
    the list gives one. A mart names what fills each header and nothing else: the order, the quoting and the cuts
    come from the list, so a column added to the list stops the build until its mart says what fills it.
      expressions   {header: SQL expression}, every fixed column of the file and no other;
      cut_before    headers whose expression is already cut to its limit where its issue is recorded (Account
                    Name: the product account's name is cut where it is made), so that it is not cut twice. -#}
{% macro output_select(file_name, expressions, cut_before=[]) -%}
    {%- set columns = output_columns(file_name) -%}
    {%- set headers = columns | map(attribute='name') | list -%}
    {%- set unknown = expressions.keys() | reject('in', headers) | list -%}
    {%- set missing = headers | reject('in', expressions.keys() | list) | list -%}
    {%- if unknown or missing -%}
        {%- do exceptions.raise_compiler_error(file_name ~ ': the mart must fill each column of macro output_columns'
            ~ ' and no other; missing: ' ~ missing | join(', ') ~ '; not in the list: ' ~ unknown | join(', ')) -%}
    {%- endif -%}
    {%- for column in columns %}
        {%- set expression = expressions[column.name] %}
        {%- if column.get('limit') and column.name not in cut_before %}
            {%- set expression = within_limit(expression, column.limit) %}
        {%- endif %}
    {{ expression }} as {{ quote_identifier(column.name) }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
