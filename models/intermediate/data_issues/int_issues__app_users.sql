-- The data issues of raw_app_users: users left out, and users sent with a value that could not be read, cut to
-- Totango's limit, or from which control characters were removed, or whose ids were read in Unicode's composed
-- form.
with

checked as {{ read_where_used() }} (
    select * from {{ ref('int_users_checked') }}
),

kept_users as (
    select * from checked
    where rejection_code is null
),

issues as (
    {{ rejection_issues('raw_app_users', 'checked', 'raw_user_id') }}

    union all

    {{ unreadable_value_issues('raw_app_users', 'kept_users', 'raw_user_id', [
        {'raw': 'is_key_contact_text', 'typed': 'is_key_contact', 'name': 'is_key_contact',
         'expected': 'true/false, yes/no or 1/0', 'consequence': 'Key Contact is sent as no'},
        {'raw': 'created_at_text', 'typed': 'created_at', 'name': 'created_at',
         'expected': 'an ISO 8601 timestamp between ' ~ var('earliest_valid_date') ~ ' and '
            ~ var('latest_valid_date'),
         'consequence': 'Created Date is left blank'},
        {'raw': 'last_login_at_text', 'typed': 'last_login_at', 'name': 'last_login_at',
         'expected': 'an ISO 8601 timestamp between ' ~ var('earliest_valid_date') ~ ' and '
            ~ var('latest_valid_date'),
         'consequence': 'Last Login is left blank'},
    ] + attribute_value_checks('user')) }}

    union all

    {{ too_long_issues('raw_app_users', 'kept_users', 'raw_user_id', [
        {'column': 'first_name', 'limit': output_limit('users.csv', 'First Name'), 'header': 'First Name'},
        {'column': 'last_name', 'limit': output_limit('users.csv', 'Last Name'), 'header': 'Last Name'},
        {'column': 'role', 'limit': output_limit('users.csv', 'Role'), 'header': 'Role'},
        {'column': 'title', 'limit': output_limit('users.csv', 'Title'), 'header': 'Title'},
    ] + attribute_limit_checks('user', 'user_text')) }}

    union all

    {{ control_character_issues('raw_app_users', 'checked', 'raw_user_id') }}

    union all

    {{ normalization_issues('raw_app_users', 'checked', 'raw_user_id') }}
)

select * from issues
