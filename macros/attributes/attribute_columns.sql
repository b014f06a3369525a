{#- Select-list pieces that carry the custom attributes of one kind through a model (macro custom_attributes):
    cleaned   in staging, the cleaned text of each (<field>_text) from its raw column (<field>_raw);
    typed     in staging, the typed value of each (<field>), null where the text cannot be read;
    carried   in later models, both columns, so that the data-issues record can quote the text. -#}
{% macro attribute_columns(kind, step, relation='') -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {%- for attribute in custom_attributes(kind) -%},
        {% if step == 'cleaned' -%}
        {{ clean_text(prefix ~ attribute.field ~ '_raw', 'is_plain_row') }} as {{ attribute.field }}_text
        {%- elif step == 'typed' -%}
        {{ typed_attribute(attribute.type, prefix ~ attribute.field ~ '_text') }} as {{ attribute.field }}
        {%- else -%}
        {{ prefix }}{{ attribute.field }}_text,
        {{ prefix }}{{ attribute.field }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
