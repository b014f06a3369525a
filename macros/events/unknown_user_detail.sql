{#- The detail of an event left out because its user stands for no Totango user (rejection_code unknown_user):
    the user row's own reason where the users export has the user id (user_rejection_code, from
    int_users_checked), else that the export lacks it. In one place for int_events_checked's detail and for
    settled_event_row, which compares a stored row's detail with today's to know whether the reason changed. -#}
{% macro unknown_user_detail(user_id, user_rejection_code) -%}
    case
        when {{ user_rejection_code }} is not null
            then
                'user_id ' || {{ user_id }} || ' was rejected in raw_app_users (' || {{ user_rejection_code }}
                || '); correct that user row.'
        else 'user_id ' || coalesce(left({{ user_id }}, 100), '(blank)') || ' is not in raw_app_users.'
    end
{%- endmacro %}
