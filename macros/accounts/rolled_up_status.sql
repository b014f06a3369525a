{#- The status of anything that rolls up several statuses (a product account's lines, a CRM account's product
    accounts): active if any is active, else trial if any is in trial, else churned. An aggregate expression. -#}
{% macro rolled_up_status(status_column) -%}
    case
        when bool_or({{ status_column }} = 'active') then 'active'
        when bool_or({{ status_column }} = 'trial') then 'trial'
        else 'churned'
    end
{%- endmacro %}
