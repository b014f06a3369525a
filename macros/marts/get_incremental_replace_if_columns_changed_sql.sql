{#- The incremental strategy of a mart kept whole while its rows do not change (totango_users, with the pre-hook
    forget_rows_if_output_changed): today's rows (the temporary table: all of them, in order, or none when the stored
    ones are kept) are added to the stored table; when the columns changed (names or types, in order: var
    user_attributes), the table is made again from today's rows, so that its columns are the model's, in the
    model's order. The pre-hook has emptied it then; if it holds rows, the two disagree about the columns and the
    build stops rather than lose them. -#}
{% macro get_incremental_replace_if_columns_changed_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set today = arg_dict['temp_relation'] -%}
    {%- if stored_columns_signature(target) == stored_columns_signature(today) -%}
        insert into {{ target }} select * from {{ today }}
    {%- else -%}
        {%- set stored_rows = run_query('select count(*) from ' ~ target).columns[0].values()[0] -%}
        {%- if stored_rows > 0 -%}
            {%- do exceptions.raise_compiler_error(target ~ ': its columns changed but its stored rows were not '
                ~ 'forgotten. Run `dbt build --full-refresh -s ' ~ target.identifier ~ '`.') -%}
        {%- endif -%}
        drop table {{ target }};
        create table {{ target }} as select * from {{ today }}
    {%- endif -%}
{%- endmacro %}
