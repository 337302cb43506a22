# Page text in English.

## Home page

home-title = Learn from each other
home-lead = Organisations that give personalised support share what they learned here. They share stories of what changed in people's lives, Individual Service Fund budgets and practice guides.
home-see-all-organisations =
    { $count -> 
        [one] See the organisation
       *[other] See all { $count } organisations
    }
home-no-organisations = No organisations have joined yet.
home-add-organisation = Add your organisation.

## Log in

title-error-prefix = Error:
error-summary-one = There is a problem
login-name-label = Username or email address
password-label = Password
login-forgot = Forgot your password?
login-no-account = No account yet?

## Forgotten password

forgot-intro = We will send you an email with a link. The link lets you choose a new password.
forgot-send = Send me a link
reset-title = Choose a new password
reset-new-password = New password
password-hint = At least 10 characters. A few words together work well.
reset-password-again = The same password again
reset-save = Save my new password

## After signing up

signup-done-title = Thank you
signup-done-heading = Thank you, { $name }
signup-done-waiting = Your account is waiting for an administrator to approve it.
signup-done-after-approval = You can log in once it is approved.
signup-done-ready = Your account is ready.

## Error page

error-home-link = Go to the home page
# The heading of an error page, by HTTP status.
http-status = { $status ->
        [400] We could not use that request
        [401] Please log in
        [403] You cannot do this
        [404] Page not found
        [409] This already exists
        [413] This is too large
        [422] Some things need changing
        [429] Too many tries
        [500] Something went wrong
       *[other] Error { $status }
    }

## Sign up

signup-closed = This site does not take new sign-ups. Ask its administrator for an account.
signup-approval = An administrator checks each new account. We will let you in when it is approved.
signup-invite = You need an invitation code to sign up.
signup-username = Username
signup-username-hint = 3 to 30 letters, numbers or _. Start with a letter.
signup-email = Email address
signup-display-name = Your name
optional = (optional)
signup-reason = Why do you want to join?
signup-reason-hint = For example, the organisation you work with.
signup-invitation = Invitation code
signup-have-account = Already have an account?

## Form errors

error-summary-count =
    { $count ->
        [one] There is a problem
       *[other] There are { $count } problems
    }

## Digest choices without logging in

email-settings-title = Your digest
email-settings-heading = How often do you want a digest?
saved = Saved.
email-settings-legend = Send me a digest
digest-frequency-daily = Every day
digest-frequency-weekly = Every week
digest-frequency-never = Never
save = Save
email-settings-more = To choose the hour, the day or what you follow, log in to your account page.
email-settings-account-link = Go to your account page

## Search

search-title-for = Search: { $query }
search-heading = Search shared learning
search-words-label = Words to find
search-words-hint = Put words in "quotes" to find them together.
search-problems = We could not use part of your search
search-filters = Filters
search-order = Order
search-order-relevance = Best match first
search-order-date = Newest first
search-clear-filters = Clear filters
search-results = Results
search-save = Save this search for my email digest
search-follow-topic = Follow the topic { $topic } in my email digest
search-count =
    { $count ->
        [one] 1 result.
       *[other] { $count } results.
    }
search-count-for =
    { $count ->
        [one] 1 result for “{ $query }”.
       *[other] { $count } results for “{ $query }”.
    }
search-from-peer = (from a peer)
search-nothing = Nothing matches. Try fewer words, or remove a filter.
search-result-pages = Result pages
pagination-previous = Previous page
pagination-next = Next page
pagination-page-of = Page { $page } of { $pages }

## Organisations

organisations-count =
    { $count ->
        [one] One organisation shares what it learns here.
       *[other] { $count } organisations share what they learn here.
    }
organisations-add = Add an organisation
pagination-label = Pages

## Search filters and kinds of result

facet-type = Type
facet-topic = Topic
facet-country = Country
facet-language = Language
facet-people = People supported
facet-organisation = Organisation
search-language-not-given = Not given
doc-type-case-story = Case story
doc-type-isf-template = ISF template
doc-type-practice-guide = Practice guide
doc-type-organisation = Organisation
doc-type-case-story-plural = Case stories
doc-type-isf-template-plural = ISF templates
doc-type-practice-guide-plural = Practice guides

## Your account

settings-name = Name
settings-role = Role
settings-organisations = Your organisations
settings-no-organisations = You are not part of an organisation yet.
settings-language-label = Show this site in
settings-language-browser = My browser's language
settings-language-save = Save language
settings-digest = Your email digest
settings-digest-saved = Your digest settings are saved.
settings-digest-confirm-first = Confirm your email address first: we send digests only to confirmed addresses. Use the link in the email we sent when you signed up.
settings-digest-paused = Your digests are paused: mail to your address was refused several times. Check your address, then save below to start them again.
settings-digest-how-often = How often
settings-digest-day = Day (for a weekly digest)
settings-digest-time = Time
settings-digest-timezone = Time zone
settings-digest-save = Save digest settings
settings-follows = What you follow
settings-follow-organisation = Organisation:
settings-follow-topic = Topic:
settings-follow-search = Search:
settings-stop-following = Stop following
settings-follows-none = You follow nothing yet. Follow an organisation on its page, or save a search on the search page.
settings-follows-search-link = Go to the search page
settings-tokens = API tokens
settings-tokens-intro = Programs can use a token to act for you through the API. Keep tokens secret.
settings-token-new = Your new token.
settings-token-copy = Copy it now. You will not see it again.
settings-token-name = Name
settings-token-created = Created
settings-token-last-used = Last used
settings-token-action = Action
settings-token-revoke = Revoke
settings-tokens-none = You have no tokens.
settings-token-new-name = Name for a new token
settings-token-create = Create token
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday

## Organisation page

org-remote-handle = An organisation on another instance:
org-handle = Handle:
org-edit-profile = Edit profile
org-follow-digest = Get { $name } in my email digest
org-shares-label = What { $name } shares
org-case-stories = Case stories
org-practice-guides = Practice guides
org-follow-peer = Follow a peer organisation
org-follow-peer-intro = Their stories, ISF budgets and guides will arrive here as they publish them.
org-peer-following = following
org-peer-pending = waiting for them to accept
org-peer-declined = they declined
org-peer-address = Their address
org-peer-address-hint = Like kotipolku@mutual.example.fi
org-peer-follow = Follow
org-write = Write:
org-write-story = a case story
org-write-isf = an ISF budget
org-write-guide = a practice guide
org-languages = Languages
org-hosts-events = Hosts learning events
yes = Yes
no = No
org-not-stated = Not stated.
org-offers = Offers to share
org-wants = Wants to learn
org-accessibility = Accessibility
org-contact = Contact
org-contact-email = Email:
org-contact-website = Website:
org-people = People

## Lists of stories, guides and ISF templates

list-of-organisation = { $what } of { $name }
list-write-new = Write a new { $what }
list-filter-label = Filter
list-all-topics = All topics
list-everyone = Everyone
list-all-countries = All countries
list-language-code = Language code
list-status = Status
list-any-status = Any
list-show = Show
list-found =
    { $count ->
        [one] 1 found.
       *[other] { $count } found.
    }
list-adapted-from = Adapted from
list-nothing = Nothing here yet.

## Organisation form

org-form-edit = Edit { $name }
org-form-handle = Handle
org-form-handle-hint = A short name for web addresses, like open-doors. Letters a to z, numbers and hyphens. You cannot change it later.
org-form-summary = Summary
org-form-summary-hint = What your organisation does, in two or three sentences.
org-form-kind = Kind of organisation
org-form-choose-country = Choose a country
org-form-regions = Regions
org-form-regions-hint = One region on each line, for example South West England.
org-form-languages-hint = Language codes with commas between them, for example en, fi, sv.
org-form-people = People you support
org-form-offers = Topics you offer to share
org-form-wants = Topics you want to learn about
org-form-hosts-events = We can host learning events
org-form-accessibility = Accessibility statement
org-form-accessibility-hint = How people can reach you and take part, for example easy read, sign language, step-free access.
org-form-contact-email = Public contact email
org-form-website = Website
save-changes = Save changes
org-form-add = Add organisation

## Stories, guides and ISF templates: shared parts

status-draft = Draft
status-submitted = Waiting for review
status-approved = Approved, not yet published
status-published = Published
status-withdrawn = Withdrawn
item-where-from = Where this comes from
item-version-number = version { $number }
item-published-on = Published { $date }
item-shared-from-peer = Shared by { $name } from another instance.
item-see-original = See the original
item-topics = Topics
item-easy-read-of = This is the easy-read version of
item-translation-of = This is a translation of
item-easy-read-version = Easy read version
item-translation-into = Translation ({ $lang })
item-other-versions = Other versions
item-other-versions-intro = Write this again for other readers. You start with a draft copy that you can change. When it is published, this page links to it.
item-write-easy-read = Write an easy-read version
item-translation-language = Language of the translation
item-language-code-hint = A language code, such as fi, fr or cs.
item-start-translation = Start a translation
item-for-your-organisation = For your organisation
item-status = Status:
item-edit = Edit
item-check-details = Check details and consent
item-flags-to-review =
    { $count ->
        [one] (1 to review)
       *[other] ({ $count } to review)
    }
item-revisions = Versions
item-submit = Submit for review
item-approve = Approve
item-publish = Publish
item-back-to-draft = Back to draft
item-withdraw-reason = Reason for withdrawing
item-withdraw = Withdraw
item-share-title = Share with your followers
item-share-intro = Peer organisations that follow yours will receive it, with its author named.
item-share-as = Share as
item-share = Share
item-report = Report a problem
item-report-what = What is wrong?
item-report-hint = For example: it could identify someone, or it is not true. The moderators read this.
item-report-send = Send report
item-adapt-title = Adapt this for your organisation
item-adapt-intro = This makes a draft copy for your organisation. The copy always says where it came from.
item-adapt-organisation = Your organisation
item-adapt-keep = Keep { $value }
item-adapt-currency = Currency
item-adapt-currency-hint = A three-letter code such as EUR. Leave empty to keep { $currency }.
item-adapt-rate = Exchange rate
item-adapt-rate-hint = How much 1 { $currency } is in the new currency, such as 1.17. Leave empty to keep the numbers.
item-adapt = Adapt

## Item pages

story-about = About
story-pseudonym-aged = { $name }, aged { $age }
story-told = Told
story-where = Where
story-when = When
story-years = { $from } to { $to }
item-licence = Licence
story-good-practice = Good practice shown
story-consent = Consent
story-consent-private = (only your organisation sees this)
story-consent-covers = Covers:
story-consent-valid-until = Valid until { $date }.
story-consent-withdrawn = The person has withdrawn consent.
story-consent-none = No consent recorded yet.
story-consent-record = Record consent
story-history = History
isf-notes = Notes
isf-printable = Printable page
isf-download-csv = Download as CSV
isf-download-json = Download as JSON
guide-for = For
guide-stage = Stage
guide-applies-in = Applies in
guide-references = References
guide-all-versions = See all versions and what changed

## Versions and what changed

revisions-title = Versions of “{ $title }”
back-to-item = Back to “{ $title }”
revisions-caption = Choose two versions to see what changed between them.
revisions-version = Version
revisions-date = Date
revisions-what-changed = What changed
revisions-from = From
revisions-to = To
revisions-compare-from = Compare from version { $number }
revisions-compare-to = Compare to version { $number }
revisions-show = Show what changed
reported-title = Thank you for your report
reported-will-look = The moderators of this site will look at “{ $title }”.
reported-told-origin = We also told the moderators of the site it came from. We did not tell them who you are.
diff-title = Changes to { $title }
diff-all-versions = All versions
diff-heading = What changed in “{ $title }”
diff-from-to = From version { $from } to version { $to }.
diff-key = Added words are <ins>underlined</ins>. Removed words are <del>struck through</del>.
diff-part-title = Title
diff-part-text = Text
diff-part-other = Other details

## Writing a story, guide or ISF template

form-new = New { $kind ->
        [case_story] case story
        [isf_template] ISF template
       *[practice_guide] practice guide
    }
form-edit-heading = Edit “{ $title }”
form-new-for = New { $kind ->
        [case_story] case story
        [isf_template] ISF template
       *[practice_guide] practice guide
    } for { $name }
form-story-intro = Tell what changed in one person's life, and how. Use a pseudonym, not the person's name. Do not name places smaller than a region, or exact dates. Mutual checks the text before it can be submitted, and a second person in your organisation approves it.
form-story-back-to-draft = Saving changes takes the story back to draft. It must be checked and approved again.
form-summary-hint = One or two sentences. People see this in lists.
form-about-person = About the person
form-pseudonym = Pseudonym
form-pseudonym-optional = (leave empty if the story is about a group)
form-pseudonym-hint = The name the story uses for the person. Not their real name.
form-age = Age
form-not-said = Not said
form-voice = Who tells the story
form-region = Region
form-region-hint = A large area, such as South West England. Never a town or street.
form-year-from = From year
form-year-to = To year
form-good-practice = Good practice the story shows
form-audience = Who the guide is for
form-stage = Stage of the ISF journey
form-any-stage = Any stage
form-jurisdictions = Countries it applies to
form-jurisdictions-hint = Country codes with commas, such as GB, FI or GB-SCT.
form-body-story = The story
form-body-guide = The guide
form-body-hint = You can use Markdown: ## for a heading, *stars* for emphasis, - for a list.
form-references-hint = One on each line: a title, then | and the web address.
form-lang = Language of the text
form-lang-hint = A language code, such as en, fi, cs or fr-CA.
form-change-note = What did you change?
form-save-draft = Save as draft

## Reports for moderators

moderation-intro = Members here and moderators of other instances report content they think is wrong. Read each one, act on the item if needed, then mark it as dealt with.
report-from-remote = From the moderators of { $instance }
report-from-member = From a member here
report-from-member-forwarded = From a member here, also sent to the item's home instance
report-resolve = Mark as dealt with
report-none = No open reports.

## Checking a story

review-title = Check “{ $title }”
review-back = Back to the story
review-heading = Check “{ $title }” before it is shared
review-private = Only your organisation sees this page.
review-flags = Possible identifying details
review-flags-intro = Mutual looks for names, places, dates, contact details and numbers that could identify the person. It can be wrong. Fix each one in the text, or say why it is safe.
review-check-now = Check the current text (version { $number })
review-characters = (characters { $start } to { $end })
review-open = Not resolved yet
review-why-safe = Why is this safe to keep?
review-keep = Keep it
review-change-text = Or change the text and check again.
review-kept = Kept: { $reason }
review-fixed = Fixed
review-none-found = No possible identifying details found in version { $number }.
review-none-found-or-not-run = No possible identifying details found in version { $number }, or the check has not run yet.
review-recorded = Recorded:
review-not-shown = The story is not shown.
review-method = How the person gave consent
review-choose = Choose
review-scope = The person agreed that the story is
review-expires = Consent ends on
review-expires-optional = (optional, YYYY-MM-DD)
review-save-consent = Save consent
review-withdraw-note = The person withdrew consent. Note
review-withdraw = Withdraw consent and take the story down now
review-earlier = Earlier checks

## Administration

admin-registration = Sign-up on this site: { $mode }.
admin-registration-setting = Change it with the <code>registration</code> setting.
admin-pending = Waiting for approval
admin-asked-on = asked on { $date }
admin-reason = Reason: { $reason }
admin-nobody-waiting = Nobody is waiting.
admin-invitations = Invitations
admin-invitation-new = New invitation code.
admin-invitation-how = Send it to the person you invite. It works once, for 14 days.
admin-invitation-create = Create an invitation code
admin-accounts = Accounts
admin-suspend-or-restore = Suspend or restore
admin-role-of = Role of { $username }
admin-change-role = Change role
admin-restore = Restore
admin-suspend = Suspend
admin-federation = Federation
admin-federation-question = Which instances may this site exchange learning with?
admin-mode-open = Any instance, except blocked ones
admin-mode-allowlist = Only the instances on the allow list (a closed network)
admin-domains-caption = Allowed and blocked instances
admin-instance = Instance
admin-rule = Rule
admin-note = Note
admin-remove = Remove
admin-instance-address = Instance address
admin-instance-hint = Like mutual.example.org
admin-allow = Allow
admin-block = Block
admin-add-rule = Add rule
admin-jobs = Background jobs
admin-no-jobs = No jobs yet.

## ISF budget table

isf-scheme = Scheme
isf-budget-period = Budget period
isf-caption = Budget per { $period } and per year, in { $currency }. Mutual works out every total.
isf-what = What
isf-kind = Kind
isf-rate-quantity = Rate × quantity
isf-per-period = Per { $period }
isf-per-year = Per year
isf-fixed-amount = Fixed amount
isf-lines-total = Budget lines together
isf-fee = Management fee
isf-fee-fixed = fixed
isf-fee-inside = inside the budget
isf-fee-on-top = on top of the budget
isf-direct-support = Money for support after the fee
isf-total = Total
isf-fee-share = The management fee is { $percent }% of the total. That is about { $weekly } { $currency } a week.
isf-fee-covers = It pays for: { $items }.
isf-not-worked-out = The budget cannot be worked out yet: { $problems }
isf-how-used = How the money can be used
isf-banking = Banking unused money
isf-banking-allowed-up-to = Allowed, up to { $periods } periods
isf-allowed = Allowed
isf-not-allowed = Not allowed
isf-decides = Who decides day to day
isf-third-party = Spending with others
isf-at-least-percent = At least { $percent }%
isf-payments = Payments
isf-reports = Reports to the person
isf-review = Review
isf-review-also-when = Also when: { $triggers }
isf-ending = Ending
isf-notice-person = The person gives { $days } days' notice.
isf-notice-provider = The provider gives { $days } days' notice.
isf-unspent = Unspent money: { $what }.
isf-handover = The provider must hand over well.
isf-outcomes = What the person wants

## ISF template form

isff-where-funded = Where and how it is funded
isff-scheme = Funding scheme
isff-currency-hint = A three-letter code, such as GBP, EUR or CAD.
isff-period = The budget is per
isff-lines = Budget lines
isff-lines-hint = One line for each thing the budget pays for. Give a rate and a quantity, or a fixed amount. Mutual works out the totals.
isff-line-number = Line { $number }
isff-line-what = What it pays for
isff-unit = Unit
isff-rate = Rate
isff-quantity = Quantity
isff-or-fixed = Or fixed amount
isff-rate-type = Rate type
isff-rate-type-example = day, night…
isff-more-lines = Add more lines
isff-fee-is = The fee is
isff-fee-percent = A percentage
isff-fee-fixed = A fixed amount each period
isff-fee-value = Percentage or amount
isff-fee-paid = The fee is paid
isff-fee-within = Out of the budget (less money for support)
isff-fee-addition = On top of the budget
isff-fee-covers = What the fee pays for
isff-fee-covers-hint = With commas, such as payroll, training, on-call.
isff-flexibility = Flexibility, reports and review
isff-banking = Unused money or hours can be banked for later
isff-bank-periods = Bank for at most how many periods
isff-third-party = Share that may be spent with others, in %
isff-payment = How the provider is paid
isff-payment-example = Every four weeks in advance
isff-report-every = Report to the person
isff-report-shows = The report shows
isff-review-when = Also review when
isff-optional-one-per-line = (optional, one on each line)
isff-notice-person = Days' notice from the person
isff-notice-provider = Days' notice from the provider
isff-unspent = Unspent money
isff-handover = The provider must help hand over to the next one
isff-outcomes-hint = (one on each line, in their words)
