{#- The names under which the raw views (macro register_raw_exports) carry what the build adds to a raw export's
    own columns: 'file', the file a row came from (staging's source_file), and on Spark 'position', the row's
    place in the files (macro row_number_in_file_order); for the events export, read per file content (macro
    register_event_files), 'hash', the SHA-256 of the file's bytes, 'copy', which file of those bytes it is (1 for
    the first), and 'row', the row's number in its file. Names no export holds: a user's own filename,
    source_file or file_position column is then an extra column like any other, ignored, and neither clashes
    with DuckDB's filename option nor takes the place of the build's column. -#}
{% macro raw_file_column(what) -%}
    {{- return({
        'file': '__totango_feed_source_file',
        'position': '__totango_feed_file_position',
        'hash': '__totango_feed_file_hash',
        'row': '__totango_feed_file_row',
        'copy': '__totango_feed_file_copy',
    }[what]) -}}
{%- endmacro %}
