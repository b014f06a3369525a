-- The record of data issues: one row per problem found in a raw row, whether the row was left out (dropped)
-- or went on repaired (kept), from the four raw exports. Each raw row is dropped for one reason at most, so for
-- each raw export: rows in = rows used + rows recorded here as dropped.
with

accounts as (
    select * from {{ ref('int_issues__crm_accounts') }}
),

subscriptions as (
    select * from {{ ref('int_issues__crm_subscriptions') }}
),

users as (
    select * from {{ ref('int_issues__app_users') }}
),

events as (
    select * from {{ ref('int_issues__app_events') }}
),

all_issues as (
    select * from accounts
    union all
    select * from subscriptions
    union all
    select * from users
    union all
    select * from events
)

select * from all_issues
