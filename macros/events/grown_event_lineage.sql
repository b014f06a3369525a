{#- The files of this build that grew from content stg_app__events holds (under any rules), for the lineage:
    [{file_hash, grown_from, old_rows}]. More than grown_event_files: also where stg_app__events parses the file
    whole (--full-refresh, other rules), so that the ledger's rows recorded under the old hash are followed to the
    grown file whichever way the day's build went (a --full-refresh must give what the daily build gives). The old
    content's rows are counted before the build replaces them (a pre-hook). Where none are stored (parsed whole
    since, under other rules, into a content that ended in the middle of a row, now gone: parsed_whole_rows), the
    count the lineage recorded for it then stands: a content's rows are the same whatever the rules. One grown file
    per old content. -#}
{% macro grown_event_lineage(relation) -%}
    {%- if not execute or target.type == 'spark' or not raw_dir() or model.resource_type == 'unit_test'
        or not table_exists(relation) -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- set listed = run_query('select file_hash, grown_from_hash from ' ~ ref('stg_app__event_files')
        ~ ' where file_copy = 1 order by file_order') -%}
    {%- set current = listed.columns[0].values() | list -%}
    {%- set parts = event_file_parts() -%}
    {%- set recorded = event_file_lineage() -%}
    {%- set lineage = [] -%}
    {%- set taken = [] -%}
    {%- for row in listed if row[1] and row[1] not in current and row[1] not in taken -%}
        {%- do taken.append(row[1]) -%}
        {%- set stored = stored_file_rows(relation, row[1], parts) -%}
        {%- set known = recorded.get(row[1]) -%}
        {%- set old_rows = known.old_row_count if stored == 0 and known and known.new_hash not in current
            else stored -%}
        {%- if old_rows > 0 -%}
            {%- do lineage.append({'file_hash': row[0], 'grown_from': row[1], 'old_rows': old_rows}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(lineage) -}}
{%- endmacro %}
