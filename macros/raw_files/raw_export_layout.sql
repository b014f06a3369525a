{#- Which of the layouts of an export (var raw_export_layouts) is present in the folder: exactly one must be.
    Returns {format, pattern, is_folder, files}: files, every file of the layout in name order. Names starting
    with . or _ (at any level below the folder) are hidden, and ignored, as Spark and Hadoop ignore them (a macOS
    ._ copy, an upload's temporary file, Spark's _SUCCESS and .crc files); check_exports.py ignores them too. Any
    other entry of an export's folder that the layout does not read (a day3.CSV, a sub-folder's file) stops the
    build with its name, as it stops the check, instead of being left out. listing: the folder's files, for an
    engine that lists them once (raw_export_entries). -#}
{% macro raw_export_layout(folder, export_name, listing=none) -%}
    {%- if '\\' in folder -%}
        {#- No glob pattern can match a backslash in a path: DuckDB reads it as an escape. -#}
        {%- do exceptions.raise_compiler_error('The raw folder ' ~ folder ~ ' holds a backslash, which the engine '
            ~ 'reads as part of a file pattern: rename or link the folder without it.') -%}
    {%- endif -%}
    {%- set folder = folder.rstrip('/') ~ '/' -%}
    {%- set visible = [] -%}
    {%- for entry in raw_export_entries(folder, export_name, listing)
        if not modules.re.search('(^|/)[._]', entry) -%}
        {%- do visible.append(entry) -%}
    {%- endfor -%}
    {%- set present = [] -%}
    {%- for layout in var('raw_export_layouts') -%}
        {%- set relative = layout.pattern | replace('{name}', export_name) -%}
        {%- set pattern = '^' ~ (modules.re.escape(relative) | replace('\\*', '[^/]*')) ~ '$' -%}
        {%- set matched = [] -%}
        {%- for entry in visible | sort if modules.re.match(pattern, entry) -%}
            {%- do matched.append(entry) -%}
        {%- endfor -%}
        {%- if matched -%}
            {%- set files = [] -%}
            {%- for entry in matched -%}{%- do files.append(folder ~ entry) -%}{%- endfor -%}
            {%- do present.append({'format': layout.format, 'pattern': glob_escape(folder) ~ relative,
                'is_folder': '/' in relative, 'directory': relative.rpartition('/')[0], 'matched': matched,
                'files': files, 'path': folder ~ relative}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if present | length != 1 -%}
        {%- do exceptions.raise_compiler_error(
            export_name ~ ": the folder " ~ folder ~ " must hold exactly one of "
            ~ (var('raw_export_layouts') | map(attribute='pattern') | join(', ') | replace('{name}', export_name))
            ~ "; found " ~ (present | map(attribute='pattern') | join(', ') if present else 'none')
            ~ ". Run check_exports.py for details.") -%}
    {%- endif -%}
    {%- set layout = present[0] -%}
    {%- for entry in visible if layout.is_folder and entry.startswith(layout.directory ~ '/')
        and entry not in layout.matched -%}
        {%- do exceptions.raise_compiler_error(folder ~ entry ~ ': not read: the ' ~ layout.directory ~ '/ folder '
            ~ 'must hold only .csv or only .parquet files (lower-case endings, no sub-folders; names starting with '
            ~ '. or _ are ignored); rename or move it away. Run check_exports.py for details.') -%}
    {%- endfor -%}
    {{ return(layout) }}
{%- endmacro %}
