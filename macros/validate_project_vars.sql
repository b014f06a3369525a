{#- Stops dbt before anything is built (a compilation error when the project is parsed) when the configuration
    cannot give valid files: a custom attribute whose name clashes with a fixed column of its file or with
    another attribute, is blank, too long (Totango: 100 characters), starts like a spreadsheet formula, holds a
    line break or another control character (it is a header of a file: one line of text), or has an unknown type;
    or Account Type names that repeat, take the name Product, which product accounts carry, or hold a control
    character.
    Called from the accounts mart. -#}
{% macro validate_project_vars() -%}
    {%- set errors = [] -%}
    {%- set types = ['text', 'number', 'date', 'currency', 'yes_no'] -%}
    {%- set files = [
        ('accounts.csv', ['account', 'product_account'], fixed_file_headers('accounts')),
        ('users.csv', ['user'], fixed_file_headers('users')),
    ] -%}
    {%- for file_name, kinds, fixed in files -%}
        {%- set taken = {} -%}
        {%- for header in fixed -%}{%- do taken.update({header | lower: ('fixed', none)}) -%}{%- endfor -%}
        {%- for kind in kinds -%}
            {%- set items = var(kind ~ '_attributes', []) or [] -%}
            {%- if items is string or items is mapping -%}
                {%- do errors.append('var ' ~ kind ~ '_attributes must be a list of {column, name, type}') -%}
                {%- set items = [] -%}
            {%- endif -%}
            {%- for item in items -%}
                {%- set where = kind ~ '_attributes item ' ~ loop.index -%}
                {%- set name = item.get('name') if item is mapping else none -%}
                {%- if item is not mapping or not item.get('column') or not name -%}
                    {%- do errors.append(where ~ ': needs a column (the raw header) and a name (the Totango attribute)') -%}
                {%- elif name is not string or item.get('column') is not string -%}
                    {%- do errors.append(where ~ ': its column and name must be text (in quotes, if they look like a '
                        ~ 'number or yes/no): ' ~ item) -%}
                {%- elif item.get('type', 'text') not in types -%}
                    {%- do errors.append(where ~ ' (' ~ name ~ '): type ' ~ item.get('type') ~ ' is not one of ' ~ types | join(', ')) -%}
                {%- elif name_has_control_characters(name) -%}
                    {%- do errors.append(where ~ ' (' ~ name | tojson ~ '): a Totango attribute name is a header of '
                        ~ 'a file, one line of text: it holds a line break or another control character; remove it') -%}
                {%- elif name != name.strip() or name | length > 100 or starts_like_a_formula(name) -%}
                    {%- do errors.append(where ~ ' (' ~ name ~ '): a Totango attribute name has no spaces around it, '
                        ~ 'at most 100 characters, and does not start with = + - @') -%}
                {%- elif (name | lower) in taken -%}
                    {%- set other_kind, other_type = taken[name | lower] -%}
                    {%- if other_kind == 'fixed' -%}
                        {%- do errors.append(where ~ ': the name ' ~ name ~ ' is a fixed column of ' ~ file_name) -%}
                    {%- elif other_kind == kind -%}
                        {%- do errors.append(where ~ ': the name ' ~ name ~ ' is given twice') -%}
                    {%- elif other_type != item.get('type', 'text') -%}
                        {%- do errors.append(where ~ ': the name ' ~ name ~ ' is also an attribute of another kind, '
                            ~ 'with another type') -%}
                    {%- endif -%}
                {%- else -%}
                    {%- do taken.update({name | lower: (kind, item.get('type', 'text'))}) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set type_names = var('account_type_names') -%}
    {%- set formula_names = [] -%}
    {%- for name in (type_names if type_names is iterable and type_names is not string and type_names is not mapping
        else []) if name is string and starts_like_a_formula(name) -%}
        {%- do formula_names.append(name) -%}
    {%- endfor -%}
    {%- if type_names is string or type_names is mapping or type_names is not iterable or not type_names
        or (type_names | reject('string') | list) -%}
        {%- do errors.append('var account_type_names must be a list of texts: ' ~ type_names) -%}
    {%- elif name_has_control_characters(type_names | join('')) -%}
        {%- do errors.append('var account_type_names: a name holds a line break or another control character; '
            ~ 'remove it: ' ~ type_names | tojson) -%}
    {%- elif type_names | reject('ne', '') | list
        or type_names | select('ne', '') | map('trim') | list != type_names
        or formula_names -%}
        {%- do errors.append('var account_type_names: a name is not blank, has no spaces around it and does not start with '
            ~ '= + - @ (a spreadsheet formula): ' ~ type_names) -%}
    {%- elif (type_names | map('lower') | unique | list | length) != (type_names | length)
        or 'product' in (type_names | map('lower') | list) -%}
        {%- do errors.append('var account_type_names must list distinct names, none of them Product (the type of '
            ~ 'product accounts): ' ~ type_names) -%}
    {%- else -%}
        {#- Deeper levels are named after the last name, numbered (macro account_type_for_depth): a listed name of
            that form would name two levels. -#}
        {%- set numbered = '^' ~ modules.re.escape(type_names[-1] | lower) ~ ' [0-9]+$' -%}
        {%- for name in type_names if modules.re.match(numbered, name | lower) -%}
            {%- do errors.append('var account_type_names: ' ~ name ~ ' is also the name of a level deeper than the '
                ~ 'list (' ~ type_names[-1] ~ ' followed by a number); rename it') -%}
        {%- endfor -%}
    {%- endif -%}
    {%- do errors.extend(status_var_errors()) -%}
    {%- do errors.extend(raw_column_names_errors()) -%}
    {%- do errors.extend(setting_var_errors()) -%}
    {%- if errors -%}
        {%- do exceptions.raise_compiler_error('The configuration cannot give valid files: ' ~ errors | join('; ')) -%}
    {%- endif -%}
{%- endmacro %}

{#- Whether a text holds a control character (a line break, a tab, NUL...), or a line or paragraph separator,
    which a name a file carries must not: it would split its header or its row. -#}
{% macro name_has_control_characters(text) -%}
    {{- return(modules.re.search('[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]', text) is not none) -}}
{%- endmacro %}

{#- The fixed columns of accounts.csv and users.csv, in order (macro output_columns, their one list); custom
    attributes follow them. -#}
{% macro fixed_file_headers(file) -%}
    {{- return(output_columns(file ~ '.csv') | map(attribute='name') | list) -}}
{%- endmacro %}

{#- subscription_statuses and live_statuses: lists of texts (a single text would be read one letter at a time),
    compared in lower case as the CRM's statuses are; every live status must be a status. -#}
{% macro status_var_errors() -%}
    {%- set errors = [] -%}
    {%- for name in ['subscription_statuses', 'live_statuses'] -%}
        {%- set value = var(name) -%}
        {%- if value is string or value is mapping or value is not iterable or not value
            or (value | reject('string') | list) -%}
            {%- do errors.append('var ' ~ name ~ ' must be a list of texts, e.g. [active, trial]: ' ~ value) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not errors -%}
        {%- set statuses = var('subscription_statuses') | map('trim') | map('lower') | list -%}
        {%- for status in var('live_statuses') if status | trim | lower not in statuses -%}
            {%- do errors.append('var live_statuses: ' ~ status ~ ' is not one of subscription_statuses ('
                ~ statuses | join(', ') ~ ')') -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(errors) -}}
{%- endmacro %}

{#- raw_column_names: {<raw export>: {<contract column>: <your header>, or null for an optional column your
    export lacks}}. A required column mapped to null would leave every row of the export out. -#}
{% macro raw_column_names_errors() -%}
    {%- set errors = [] -%}
    {#- The contract is read from the sources, which dbt gives once the project is parsed (the on-run-start hook),
        not while it parses. -#}
    {%- if not execute -%}{{- return([]) -}}{%- endif -%}
    {%- set mapping = var('raw_column_names', {}) or {} -%}
    {%- if mapping is not mapping -%}
        {{- return(['var raw_column_names must map each raw export to {contract column: your header}: ' ~ mapping]) -}}
    {%- endif -%}
    {%- set exports = {} -%}
    {%- for source in graph.sources.values() if source.source_name in ['crm', 'app'] -%}
        {%- do exports.update({source.name: source.columns}) -%}
    {%- endfor -%}
    {%- for export_name, columns in mapping.items() -%}
        {%- if export_name not in exports -%}
            {%- do errors.append('var raw_column_names: ' ~ export_name ~ ' is not a raw export (' ~ exports.keys() | join(', ') ~ ')') -%}
        {%- elif columns is not mapping -%}
            {%- do errors.append('var raw_column_names.' ~ export_name ~ ' must map contract columns to your headers: ' ~ columns) -%}
        {%- else -%}
            {%- for column, header in columns.items() -%}
                {%- set contract = exports[export_name].get(column) -%}
                {%- if contract is none -%}
                    {%- do errors.append('var raw_column_names.' ~ export_name ~ ': ' ~ column ~ ' is not one of its '
                        ~ 'contract columns (' ~ exports[export_name].keys() | join(', ') ~ ')') -%}
                {%- elif header is none and (contract.get('config', {}).get('meta', {}).get('required')
                    or contract.get('meta', {}).get('required')) -%}
                    {%- do errors.append('var raw_column_names.' ~ export_name ~ ': ' ~ column ~ ' is required and '
                        ~ 'cannot be mapped to null; name the header of your export that holds it') -%}
                {%- elif header is not none and (header is not string or not header) -%}
                    {%- do errors.append('var raw_column_names.' ~ export_name ~ '.' ~ column ~ ' must be a header '
                        ~ '(text) or null: ' ~ header) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(errors) -}}
{%- endmacro %}

{#- send_all_accounts, the valid date range and Totango's limits, which reach SQL as they are given. -#}
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
    {{- return(errors) -}}
{%- endmacro %}
