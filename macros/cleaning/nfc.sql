{#- Unicode gives many characters two spellings: é as one character, or as e followed by a combining accent (as
    macOS writes names), Å as one letter or as the Ångström sign. Compared byte by byte, the two spellings of one
    product name are two products, the two spellings of one id two accounts. So every raw value is read in the
    composed form (NFC), the one most systems write (clean_text): the same text, the same bytes on both engines.
    DuckDB has nfc_normalize. Spark SQL has no normalize function; it ships ICU4J, whose static
    Normalizer.compose(text, false) gives NFC, called through reflect (it fails on a null: none is passed). -#}
{% macro nfc(expression) -%}
    {{- return(adapter.dispatch('nfc', 'totango_feed')(expression)) -}}
{%- endmacro %}

{% macro default__nfc(expression) -%}
    nfc_normalize({{ expression }})
{%- endmacro %}

{% macro spark__nfc(expression) -%}
    case
        when {{ expression }} is not null
            then reflect('com.ibm.icu.text.Normalizer', 'compose', {{ expression }}, false)
    end
{%- endmacro %}
