{#- The selected nodes (models, tests) that read unique_id, directly or through other models: the graph walked from
    it one level at a time, until a level adds nothing. -#}
{% macro selected_readers_of(unique_id) -%}
    {%- set reached = [unique_id] -%}
    {%- set walk = namespace(grew=true) -%}
    {%- for level in range(graph.nodes | length) if walk.grew -%}
        {%- set walk.grew = false -%}
        {%- for node in graph.nodes.values() if node.unique_id not in reached
            and node.depends_on.nodes | select('in', reached) | list | length > 0 -%}
            {%- do reached.append(node.unique_id) -%}
            {%- set walk.grew = true -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(reached[1:] | select('in', selected_resources) | list) -}}
{%- endmacro %}
