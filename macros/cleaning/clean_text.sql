{#- A raw text value cleaned: control characters removed, white space of every kind trimmed from both ends,
    the text read in Unicode's composed form (NFC, macro nfc: é written as e plus an accent is é), and a value
    left empty made null (a blank cell means "no value"). Nearly every row holds nothing unusual: staging tests
    each row once (macro is_plain_row, over all its columns) and passes that flag here, so that a plain row's
    values take the fast path, a plain trim of spaces: regular expressions on every value of ten million rows
    would cost seconds (NFC costs next to nothing on text that is already composed). Without the flag each value
    is tested on its own. normalize=false leaves the form as written (to tell where NFC changed a value). -#}
{% macro clean_text(column_name, plain_flag=none, normalize=true) -%}
    {%- set plain = plain_flag if plain_flag else "not " ~ regex_contains(column_name, character_class("unusual")) -%}
    {%- set cleaned -%}
        case
            when {{ plain }} then trim({{ column_name }})
            else {{ regex_replace_all(
                regex_replace_all(column_name, character_class("control"), ''),
                '^' ~ character_class("white_space") ~ '+|' ~ character_class("white_space") ~ '+$', ''
            ) }}
        end
    {%- endset -%}
    nullif({{ nfc(cleaned) if normalize else cleaned }}, '')
{%- endmacro %}
