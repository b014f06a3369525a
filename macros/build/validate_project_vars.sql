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
