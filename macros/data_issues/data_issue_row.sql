{#- The select list of one data-issue row, the shape every issue model and macro gives and int_data_issues unions:
    source (the raw export, source_name), source_row_number (from the rows selected), source_key (key_column: the
    row's key as written), issue (a code of seed issue_codes, or issue_column: a column holding such codes),
    detail (the sentence, given as the body of a call block: {% call data_issue_row(...) %} <expression>
    {% endcall %}) and outcome (kept or dropped). Written once, so that a column added to the record or a change
    of its order is made here. carry: columns of the rows selected to follow the record's, as they are (an issue
    model that keeps its rows from build to build carries the keys it replaces them by). -#}
{% macro data_issue_row(source_name, key_column, issue=none, issue_column=none, outcome='kept', carry=[]) -%}
    {%- if (issue is none) == (issue_column is none) -%}
        {{ exceptions.raise_compiler_error('data_issue_row: give either issue (a code) or issue_column') }}
    {%- endif -%}
    {#- Its lines are indented as a select list is in the models (8 spaces), which sqlfluff checks there. -#}
    {{ sql_literal(source_name) }} as source,
        source_row_number,
        {{ key_column }} as source_key,
        {{ issue_column if issue_column else sql_literal(issue) }} as issue,
        {{ caller() | trim }} as detail,
        {{ sql_literal(outcome) }} as outcome
        {%- for column in carry %},
        {{ column }}
        {%- endfor %}
{%- endmacro %}
