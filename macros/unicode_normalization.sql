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

{#- A list of text values of a var (statuses) as a SQL list, each in NFC as the values it is compared with:
    a status typed in dbt_project.yml and the same status in a macOS export are one status. -#}
{% macro nfc_sql_list(values) -%}
    ({% for value in values %}{{ nfc(sql_literal(value)) }}{{ ", " if not loop.last }}{% endfor %})
{%- endmacro %}

{#- The raw id columns (names) whose value reading in NFC changed, joined with ", "; null for the rows (nearly
    all) where none did. Recorded as a kept data issue (unicode_normalized): two ids written in the two forms
    are now one id. -#}
{% macro normalized_columns(columns, plain_flag='is_plain_row') -%}
    nullif(concat_ws(
        ', '
        {%- for column in columns %},
        case
            when {{ clean_text(column, plain_flag, normalize=false) }} != {{ clean_text(column, plain_flag) }}
                then {{ sql_literal(column) }}
        end
        {%- endfor %}
    ), '')
{%- endmacro %}

{#- One kept data issue per raw row whose ids were read in NFC (staging's normalized_columns). -#}
{% macro normalization_issues(source_name, rows, key_column) -%}
    select
        {% call data_issue_row(source_name, key_column, issue='unicode_normalized') -%}
        'The value of ' || normalized_columns || ' was not in Unicode''s composed form (NFC: an accent written as '
        || 'a separate mark, as macOS writes it, or the like); it was read in that form, so that it is the same '
        || 'id however it was written.'
        {%- endcall %}
    from {{ rows }}
    where normalized_columns is not null
{%- endmacro %}
