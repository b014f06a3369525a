{#- The stamp (device, inode, size, modification and change times) kept with each file's hash in audit.file_hashes
    (totango_feed/hash_cache.py), as one text per file in the order given, none where no hash is kept. The same
    stamp before and after a read of the file says no one wrote it in between; the same hash does not (a copy that
    truncates the file and writes the same bytes back). -#}
{% macro kept_file_stamps(files) -%}
    {%- if not files -%}{{- return([]) -}}{%- endif -%}
    {%- set found = run_query('select concat_ws(\'/\', kept.device, kept.inode, kept.size, kept.mtime_ns, '
        ~ 'kept.ctime_ns) from (' ~ file_places_sql(files) ~ ') as given left join audit.file_hashes as kept '
        ~ 'on kept.path = given.place order by given.position') -%}
    {{- return(found.columns[0].values() | list) -}}
{%- endmacro %}
