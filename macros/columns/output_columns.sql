{#- The one list of the fixed columns of each output file (docs/contract/output-files.md), in file order, and of
    the formula guard's patterns. The YAML between `set output_files` and `endset` is read by dbt (macro
    output_columns: the marts' header test, tests/assert_file_headers.sql; the names custom attributes may not
    take, macro validate_project_vars; the formula guard's width, macro formula_guard_width) and by the Python
    (totango_feed/project.py: export.py's formula guard and which columns it leaves alone, the usage mart of a
    Spark build), so that a column or a pattern is changed here and nowhere else. Custom attributes follow the
    fixed columns of accounts.csv and users.csv.
      guarded   false for ids and emails, which the models only let through when they cannot start like a
                formula: export.py leaves them as they are. Every other text column gets the guard (a ' in
                front of a value a spreadsheet would take for a formula), so that a column added later is
                guarded by default.
      limit     the Totango limit (a key of var totango_limits, which holds the numbers) a text column is cut
                to: the mart or model that writes the column cuts it (macro within_limit) and its issue model
                records each value cut (macro too_long_issues), both naming the limit through output_limit.
    formula_guard: a value matching starts_like_a_formula and not wholly plain_number (-3, -12.5: the number it
    looks like) is a formula to a spreadsheet. Both are regular expressions that DuckDB, Spark and Python read
    alike (\t and \r: a tab, a carriage return). -#}
{% macro output_columns(file_name) -%}
    {{- return(output_files()['files'][file_name]) -}}
{%- endmacro %}

{% macro formula_guard_pattern(name) -%}
    {{- return(output_files()['formula_guard'][name]) -}}
{%- endmacro %}

{#- The Totango limit a fixed column of an output file is cut to (a key of var totango_limits). -#}
{% macro output_limit(file_name, header) -%}
    {%- set found = output_columns(file_name) | selectattr('name', 'equalto', header) | list -%}
    {%- if not found or not found[0].get('limit') -%}
        {%- do exceptions.raise_compiler_error(file_name ~ ' has no column ' ~ header
            ~ ' cut to a limit (macro output_columns)') -%}
    {%- endif -%}
    {{- return(found[0].limit) -}}
{%- endmacro %}

{#- Whether a text starts like a spreadsheet formula: a header or an Account Type name must not, as no ' can
    guard it (macro validate_project_vars). -#}
{% macro starts_like_a_formula(text) -%}
    {{- return(modules.re.search(formula_guard_pattern('starts_like_a_formula'), text) is not none) -}}
{%- endmacro %}

{% macro output_files() -%}
    {%- set output_files -%}
files:
  accounts.csv:
    - {name: Account ID, guarded: false}
    - {name: Account Name, limit: account_name}
    - {name: Parent ID, guarded: false}
    - {name: Account Type}
    - {name: Status}
    - {name: Product ID, guarded: false}
    - {name: Industry, limit: account_text}
    - {name: Region, limit: account_text}
    - {name: Segment, limit: account_text}
    - {name: CSM, guarded: false}
    - {name: Contract Value}
    - {name: Currency, guarded: false}
    - {name: Seats}
    - {name: Plan, limit: account_text}
    - {name: Contract Start Date}
    - {name: Contract Renewal Date}
    - {name: Created Date}
  users.csv:
    - {name: User ID, guarded: false}
    - {name: Account ID, guarded: false}
    - {name: Email, guarded: false}
    - {name: First Name, limit: user_text}
    - {name: Last Name, limit: user_text}
    - {name: Role, limit: user_text}
    - {name: Title, limit: user_text}
    - {name: Key Contact}
    - {name: Created Date}
    - {name: Last Login}
  usage.csv:
    - {name: User ID, guarded: false}
    - {name: Account ID, guarded: false}
    - {name: Action, limit: action}
    - {name: Module, limit: module}
    - {name: Timestamp}
  data_issues.csv:
    - {name: source}
    - {name: source_key}
    - {name: issue}
    - {name: detail}
    - {name: outcome}
formula_guard:
  starts_like_a_formula: '^[=+@\t\r-]'
  plain_number: '-?[0-9]+([.][0-9]+)?'
    {%- endset -%}
    {{- return(fromyaml(output_files)) -}}
{%- endmacro %}
