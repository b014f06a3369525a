{#- The rows a *_checked model left out, one dropped data issue each, worded by the model (rejection_detail). -#}
{% macro rejection_issues(source_name, rows, key_column, carry=[]) -%}
    select
        {% call data_issue_row(
            source_name, key_column, issue_column='rejection_code', outcome='dropped', carry=carry
        ) -%}
        rejection_detail
        {%- endcall %}
    from {{ rows }}
    where rejection_code is not null
{%- endmacro %}
