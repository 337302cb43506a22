# Labels of the fixed choices in forms and on item pages, by group and stored value.
# A test checks these are the labels the code's choice lists hold.

## licence
choice-licence-CC-BY-4-0 = Creative Commons Attribution 4.0
choice-licence-CC-BY-SA-4-0 = Creative Commons Attribution-ShareAlike 4.0
choice-licence-CC-BY-NC-4-0 = Creative Commons Attribution-NonCommercial 4.0
choice-licence-CC-BY-NC-SA-4-0 = Creative Commons Attribution-NonCommercial-ShareAlike 4.0
choice-licence-CC-BY-ND-4-0 = Creative Commons Attribution-NoDerivatives 4.0
choice-licence-CC-BY-NC-ND-4-0 = Creative Commons Attribution-NonCommercial-NoDerivatives 4.0
choice-licence-CC0-1-0 = Public domain (CC0 1.0)

## voice
choice-voice-first-person = Told by the person
choice-voice-told-with = Told with the person
choice-voice-told-about = Told about the person

## consent-method
choice-consent-method-written = Written consent
choice-consent-method-easy-read = Easy read consent form
choice-consent-method-supported-decision = Supported decision
choice-consent-method-recorded-verbal = Recorded spoken consent
choice-consent-method-representative = Given by a legal representative

## consent-scope
choice-consent-scope-web = Shown on this website
choice-consent-scope-federate = Shared with peer organisations' servers
choice-consent-scope-translate = Translated into other languages

## audience
choice-audience-person = People who get support
choice-audience-family = Families
choice-audience-provider = Providers
choice-audience-commissioner = Commissioners
choice-audience-worker = Support workers

## stage
choice-stage-assessment = Assessment
choice-stage-budget = Setting the budget
choice-stage-choosing = Choosing a provider
choice-stage-planning = Planning
choice-stage-delivery = Delivering support
choice-stage-review = Review
choice-stage-ending = Ending or changing

## scheme
choice-scheme-isf = Individual Service Fund
choice-scheme-sds-option2 = Self-directed support, option 2 (Scotland)
choice-scheme-host-agency = Host agency (Canada)
choice-scheme-ndis-plan-mgmt = NDIS plan management (Australia)
choice-scheme-other = Other

## line-kind
choice-line-kind-support-hours = Support hours
choice-line-kind-sessional = Sessional support
choice-line-kind-third-party = Third party
choice-line-kind-equipment-at = Equipment and assistive technology
choice-line-kind-travel = Travel
choice-line-kind-activities = Activities
choice-line-kind-contingency = Contingency
choice-line-kind-contribution = The person's own contribution
choice-line-kind-other = Other

## unit
choice-unit-hour = per hour
choice-unit-session = per session
choice-unit-day = per day
choice-unit-night = per night
choice-unit-week = per week
choice-unit-month = per month
choice-unit-item = per item
choice-unit-km = per km
choice-unit-mile = per mile
choice-unit-fixed = fixed amount

## period
choice-period-week = Week
choice-period-four-weeks = Four weeks
choice-period-month = Month
choice-period-year = Year

## report-shows
choice-report-shows-hours = Hours delivered
choice-report-shows-rate = Rates
choice-report-shows-spend-by-line = Spending on each line
choice-report-shows-balance = Money left
choice-report-shows-banked = Banked hours or money

## every
choice-every-P1W = Every week
choice-every-P4W = Every four weeks
choice-every-P1M = Every month
choice-every-P3M = Every three months
choice-every-P6M = Every six months
choice-every-P1Y = Every year

## unspent
choice-unspent-stay-with-person = Stays with the person
choice-unspent-returned-to-funder = Goes back to the funder
choice-unspent-transferred-to-next-provider = Moves to the next provider

## decider
choice-decider-person = The person
choice-decider-person-with-family = The person with family or circle
choice-decider-person-with-provider = The person with the provider
choice-decider-provider = The provider, as the person directs
