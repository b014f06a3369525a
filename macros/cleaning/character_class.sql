{#- Regular-expression character classes (RE2 and Java syntax alike) for the characters a raw value must not
    keep: control characters (C0 and C1, but tab, line feed and carriage return, which free text may hold) and
    white space in every Unicode form (spaces, tabs, line breaks, no-break and zero-width spaces, the
    byte-order mark), which ids and values are trimmed of (docs/contract/raw-exports.md: "compared after trimming white
    space"). One place, so that cleaning and recording never disagree. -#}
{% macro character_class(name) -%}
    {%- set classes = {
        'control': '[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]',
        'white_space': '[\\s\\x0B\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200B}\\x{2028}\\x{2029}\\x{202F}\\x{205F}'
            ~ '\\x{3000}\\x{FEFF}]',
        'unusual': '[\\x00-\\x1F\\x7F-\\x{A0}\\x{1680}\\x{2000}-\\x{200B}\\x{2028}\\x{2029}\\x{202F}\\x{205F}'
            ~ '\\x{3000}\\x{FEFF}]',
    } -%}
    {{- return(classes[name]) -}}
{%- endmacro %}
