{#- The fixed columns of accounts.csv and users.csv, in order (docs/contract/output-files.md); custom attributes
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
