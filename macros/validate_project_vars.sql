{#- Stops dbt before anything is built (a compilation error when the project is parsed) when the configuration
    cannot give valid files: a custom attribute whose name clashes with a fixed column of its file or with
    another attribute, is blank, too long (Totango: 100 characters), starts like a spreadsheet formula, or has an
    unknown type; or Account Type names that repeat or take the name Product, which product accounts carry.
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
                {%- if item is not mapping or not item.get('column') or not name or name is not string -%}
                    {%- do errors.append(where ~ ': needs a column (the raw header) and a name (the Totango attribute)') -%}
                {%- elif item.get('type', 'text') not in types -%}
                    {%- do errors.append(where ~ ' (' ~ name ~ '): type ' ~ item.get('type') ~ ' is not one of ' ~ types | join(', ')) -%}
                {%- elif name != name.strip() or name | length > 100 or name[0] in '=+-@' -%}
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
    {%- if type_names is string or not type_names or (type_names | map('lower') | unique | list | length) != (type_names | length)
        or 'product' in (type_names | map('lower') | list) -%}
        {%- do errors.append('var account_type_names must list distinct names, none of them Product (the type of '
            ~ 'product accounts): ' ~ type_names) -%}
    {%- endif -%}
    {%- if errors -%}
        {%- do exceptions.raise_compiler_error('The configuration cannot give valid files: ' ~ errors | join('; ')) -%}
    {%- endif -%}
{%- endmacro %}

{#- The fixed columns of accounts.csv and users.csv, in order (../shared/output-files.md); custom attributes
    follow them. The marts select exactly these, then the attributes. -#}
{% macro fixed_file_headers(file) -%}
    {{- return({
        'accounts': ['Account ID', 'Account Name', 'Parent ID', 'Account Type', 'Status', 'Product ID', 'Industry',
                     'Region', 'Segment', 'CSM', 'Contract Value', 'Currency', 'Seats', 'Plan',
                     'Contract Start Date', 'Contract Renewal Date', 'Created Date'],
        'users': ['User ID', 'Account ID', 'Email', 'First Name', 'Last Name', 'Role', 'Title', 'Key Contact',
                  'Created Date', 'Last Login'],
    }[file]) -}}
{%- endmacro %}
