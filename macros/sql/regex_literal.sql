{#- Regular expressions, each written once for both engines: a pattern is given as it is (RE2, DuckDB's, and Java,
    Spark's, read the same syntax for everything here: classes, \s, \x{A0}, groups) and quoted by regex_literal.
    DuckDB takes it in a plain literal. Spark reads a backslash in a plain literal as an escape ('\s' would be
    's', silently), so it gets a raw literal r'...'; rlike finds a match anywhere, so a whole-value match is
    anchored (\z, not $, which Java also lets match before a final line break); and its regexp_replace replaces
    every match (its fourth argument is a position, not DuckDB's 'g' flag). -#}
{% macro regex_literal(pattern) -%}
    {{- return(adapter.dispatch('regex_literal', 'totango_feed')(pattern)) -}}
{%- endmacro %}

{% macro default__regex_literal(pattern) -%}
    '{{ pattern | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__regex_literal(pattern) -%}
    {%- if "'" in pattern -%}
        {%- do exceptions.raise_compiler_error("a pattern for Spark cannot hold a quote: " ~ pattern) -%}
    {%- endif -%}
    r'{{ pattern }}'
{%- endmacro %}
