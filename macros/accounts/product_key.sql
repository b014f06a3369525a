{#- The product's key, Totango's Product ID, from a cleaned product name. Names are one product when they are
    equal once lower-cased with runs of white space made one space ("Data Hub", " data  hub"); any other
    difference (C++ and C#, Data-Hub and Data Hub) makes another product. The key keeps to Totango's id
    characters (letters, digits, -, _):
    - a name of lower-case letters, digits and single spaces gives itself with dashes: "Data Hub" -> data-hub;
    - any other name gives a readable part (accents dropped, other characters made dashes, at most 48
      characters; "product" when nothing is left) and the first 8 hex digits of the MD5 of the compared name,
      so that names a readable part would merge stay apart: C++ -> c-8b3d7e4f, 日本語 -> product-1a2b3c4d.
    translate and md5 behave the same on DuckDB and Spark, so both engines give the same keys. -#}
{% macro product_key(name_expression) -%}
    {%- set compared = "lower(" ~ regex_replace_all(name_expression, character_class('white_space') ~ '+', ' ') ~ ")" -%}
    {#- Latin letters with accents, each with its plain letter (the two strings pair up position by position). -#}
    {%- set accented = 'àáâãäåāăąçćčďèéêëēėęěğìíîïīįıłñńňòóôõöøōőŕřśşšťùúûüūůűųýÿźżž' -%}
    {%- set plain = 'aaaaaaaaacccdeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzz' -%}
    {%- set readable = "trim(both '-' from "
        ~ regex_replace_all("translate(" ~ compared ~ ", '" ~ accented ~ "', '" ~ plain ~ "')", '[^a-z0-9]+', '-')
        ~ ")" -%}
    case
        when {{ name_expression }} is null then null
        when {{ regex_full_match(compared, '[a-z0-9]+( [a-z0-9]+)*') }} and length({{ compared }}) <= 48
            then replace({{ compared }}, ' ', '-')
        else
            coalesce(nullif(trim(both '-' from left({{ readable }}, 48)), ''), 'product')
            || '-' || left(md5({{ compared }}), 8)
    end
{%- endmacro %}
