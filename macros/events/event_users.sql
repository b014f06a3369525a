{#- The user ids whose events are sent, each with the Totango user it stands for (email, product account), from
    `users`, a relation of int_users_checked's rows (which decides: is_event_user). In one place for both event
    models: int_events_checked keeps an event to send when its user is here, and int_events_resolved then finds
    the user here; were the two to differ, an event checked as one to send could be left out of the feed with no
    data issue. -#}
{% macro event_users(users) -%}
    select
        user_id,
        email,
        product_account_id
    from {{ users }}
    where is_event_user
{%- endmacro %}
