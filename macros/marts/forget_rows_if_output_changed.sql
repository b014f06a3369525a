{#- Pre-hook of a mart kept whole while its rows do not change (totango_users): it empties the stored table when
    today's rows (output: the view that makes them) are not exactly the stored ones, so that the model, which adds
    its rows only to an empty table, stores them all again, in order. The rows are compared as a whole, in one
    pass over each side: their count, and the sum of a hash of each row (every column; a sum, so that the stored
    order does not matter and a repeated row still counts). DuckDB's hash of a row is not mixed after its last
    column (the row's hash XOR that column's hash): two rows swapping their last values (Last Login) kept the sum
    about once in 2^32 swaps, and could be made to on purpose. So each row's hash is hashed again, which mixes
    every bit, before the sum; other rows then give the same sum about once in 2^64. Their columns, names and types
    in order, are compared first: other columns (var user_attributes changed) empty the table too, and the
    strategy replace_if_columns_changed then recreates it. Nothing to do when the model is not built on (the first
    build, --full-refresh, Spark). -#}
{% macro forget_rows_if_output_changed(relation, output) -%}
    {%- if not is_incremental() -%}{{- return('select 1') -}}{%- endif -%}
    {%- if stored_columns_signature(relation) != stored_columns_signature(output) -%}
        {{- return('delete from ' ~ relation) -}}
    {%- endif -%}
    delete from {{ relation }}
    where (
        select struct_pack(row_count := count(*), row_hashes := sum(hash(hash(today))::hugeint)) from {{ output }} as today
    ) is distinct from (
        select struct_pack(row_count := count(*), row_hashes := sum(hash(hash(stored))::hugeint)) from {{ relation }} as stored
    )
{%- endmacro %}
