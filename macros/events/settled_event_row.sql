{#- Whether a stored row of an event not sent would come out of today's check exactly as it is stored, whatever
    happens but a change of the files (a new or gone file opens its event id anyway) or of the rules (a build on
    other rules checks everything): such a row does not open its event id. Without this, every event that can
    never be sent (an unreadable timestamp, a user never exported) was found and checked again every day, forever:
    a cost that grew with the history (docs/benchmark.md, sixth session). A row is settled when:
    - it repeats its id ('duplicate'): the row its id counts as is another one, which opens the id if it has to;
      a row of a copy of a file depends only on the files;
    - its own values make it unsendable ('invalid_timestamp', 'missing_value') and its user still stands for a
      Totango user today: a user gone would make it 'unknown_user', which int_events_checked's own_reasons test
      first;
    - its user stood for no Totango user ('unknown_user') and still does not, for the same reason (the detail it
      stored is today's: macro unknown_user_detail).
    stored: the stored row's alias; user_now: today's event_users row of its user id (left joined, so null when
    there is none); rejected_now: today's reason the user id made no Totango user (left joined). -#}
{% macro settled_event_row(stored, user_now, rejected_now) -%}
    coalesce(
        {{ stored }}.rejection_code = 'duplicate'
        or (
            {{ stored }}.rejection_code in ('invalid_timestamp', 'missing_value')
            and {{ user_now }}.product_account_id is not null
        )
        or (
            {{ stored }}.rejection_code = 'unknown_user'
            and {{ user_now }}.product_account_id is null
            and {{ stored }}.rejection_detail = {{ unknown_user_detail(stored ~ '.user_id', rejected_now ~ '.rejection_code') }}
        ),
        false
    )
{%- endmacro %}
