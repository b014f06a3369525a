{#- send_all_accounts, the valid date range, Totango's limits and the currency codes, which reach SQL as they are
    given. -#}
{% macro setting_var_errors() -%}
    {%- set errors = [] -%}
    {%- if var('send_all_accounts') not in [true, false] -%}
        {%- do errors.append('var send_all_accounts must be true or false: ' ~ var('send_all_accounts')) -%}
    {%- endif -%}
    {%- for name in ['earliest_valid_date', 'latest_valid_date'] -%}
        {%- set value = var(name) | string -%}
        {%- set parsed = none -%}
        {%- if modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', value) -%}
            {%- set parts = value.split('-') | map('int') | list -%}
            {#- A date that does not exist (2026-02-30) is refused by the date type itself. -#}
            {%- if parts[1] in range(1, 13) and parts[2] in range(1, 32) -%}
                {%- set parsed = value -%}
            {%- endif -%}
        {%- endif -%}
        {%- if parsed is none -%}
            {%- do errors.append('var ' ~ name ~ ' must be a YYYY-MM-DD date: ' ~ value) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not errors and (var('earliest_valid_date') | string) > (var('latest_valid_date') | string) -%}
        {%- do errors.append('var earliest_valid_date ' ~ var('earliest_valid_date') ~ ' is after latest_valid_date '
            ~ var('latest_valid_date')) -%}
    {%- endif -%}
    {%- set limits = var('totango_limits') -%}
    {%- set names = ['account_name', 'account_text', 'user_text', 'user_id', 'action', 'module'] -%}
    {%- if limits is not mapping or (limits.keys() | list | sort) != (names | sort) -%}
        {%- do errors.append('var totango_limits must give all of ' ~ names | join(', ') ~ ' (a --vars value replaces the '
            ~ 'whole setting: repeat the others from dbt_project.yml): ' ~ limits) -%}
    {%- else -%}
        {%- for name in names if limits[name] is not integer or limits[name] is boolean or limits[name] < 2
            or limits[name] > 100000 -%}
            {%- do errors.append('var totango_limits.' ~ name ~ ' must be a whole number of characters from 2 to '
                ~ '100000: ' ~ limits[name]) -%}
        {%- endfor -%}
    {%- endif -%}
    {#- A single text would be read one letter at a time, and a code that is not three letters matches no currency. -#}
    {%- set codes = var('currency_codes') -%}
    {%- set wrong = [] -%}
    {%- if codes is string or codes is mapping or codes is not iterable or not codes -%}
        {%- do wrong.append(codes) -%}
    {%- else -%}
        {%- for code in codes if code is not string or not modules.re.fullmatch('[A-Za-z]{3}', code | trim) -%}
            {%- do wrong.append(code) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if wrong -%}
        {%- do errors.append('var currency_codes must be a list of ISO 4217 codes, three letters each '
            ~ '(e.g. [USD, EUR]): ' ~ wrong | join(', ')) -%}
    {%- endif -%}
    {{- return(errors) -}}
{%- endmacro %}
