{#- The row used for each id: the first row that can be used, in the export's own order (order_by: "first in
    the file", "latest login, then first in the file"...). A row that cannot be used (row_issue_column not null:
    an unknown account, an invalid email...) never shadows one that can: it keeps its own issue, and the id is
    used as its first usable row. The source_row_number of that row; where no row of the id can be used, that of
    a row that cannot, which first_usable_code never compares, since each such row keeps its own issue. -#}
{% macro first_usable_row(id_column, row_issue_column, order_by) -%}
    first_value(source_row_number) over (
        partition by {{ id_column }}
        order by case when {{ row_issue_column }} is null then 0 else 1 end, {{ order_by }}
    )
{%- endmacro %}
