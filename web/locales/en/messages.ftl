# Messages the code writes in English: validation errors and error pages. Each id is made
# from the English text (i18n::english_message_id), gettext-style, so the text stays beside
# the code that decides it. A test finds every such text in the code and checks it is here,
# word for word; the completeness test then holds the other languages to the same ids.

## accounts/mod.rs
msg-an-account-with-that-email-address-already-exists = An account with that email address already exists.
msg-enter-an-email-address-like-name-example-org = Enter an email address like name@example.org.
msg-remove-special-control-characters = Remove special control characters.
msg-start-with-a-letter-use-only-letters-a-to-z-numbers-and = Start with a letter. Use only letters a to z, numbers and _.
msg-that-username-is-already-taken-choose-another = That username is already taken. Choose another.
msg-the-invitation-code-is-not-valid-or-has-expired = The invitation code is not valid or has expired.
msg-the-username-or-password-is-wrong = The username or password is wrong.
msg-this-account-is-suspended = This account is suspended.
msg-this-account-is-waiting-for-an-administrator-to-approve-it = This account is waiting for an administrator to approve it.
msg-this-link-is-not-valid-it-may-have-been-used-already-or-be-too-old = This link is not valid: it may have been used already or be too old. Ask for a new one.
msg-this-site-does-not-accept-new-accounts = This site does not accept new accounts.
msg-use-3-to-30-characters = Use 3 to 30 characters.
msg-use-at-least-min-characters-a-few-words-together-work-well = Use at least { $min } characters. A few words together work well.
msg-use-at-most-100-characters = Use at most 100 characters.
msg-use-at-most-2000-characters = Use at most 2000 characters.
msg-use-at-most-256-characters = Use at most 256 characters.
msg-use-at-most-max-characters = Use at most { $max } characters.

## api/content.rs
msg-choose-one-of-your-organisations = Choose one of your organisations.
msg-unknown-status = Unknown status.
msg-unpublished-items-can-only-be-listed-per-organisation = Unpublished items can only be listed per organisation.

## api/digests.rs
msg-use-organisation-topic-or-search = Use organisation, topic or search.

## content/isf.rs
msg-a-fixed-line-has-an-amount-not-a-field-remove-the-field-or-choose-a = A fixed line has an amount, not a { $field }: remove the { $field }, or choose a unit such as hour.
msg-a-fixed-line-needs-an-amount = A fixed line needs an amount.
msg-a-line-priced-per-unit-has-a-rate-and-a-quantity-not-an-amount = A line priced per { $unit } has a rate and a quantity, not an amount: remove the amount, or choose the unit "fixed".
msg-a-line-priced-per-unit-needs-a-quantity = A line priced per { $unit } needs a quantity.
msg-a-line-priced-per-unit-needs-a-rate = A line priced per { $unit } needs a rate.
msg-a-quantity-cannot-be-negative = A quantity cannot be negative.
msg-add-at-least-one-budget-line = Add at least one budget line.
msg-code-has-been-replaced-by-newer-use-that-instead = { $code } has been replaced by { $newer }; use that instead.
msg-code-is-not-an-iso-4217-currency-code-use-a-three-letter-code-such = "{ $code }" is not an ISO 4217 currency code. Use a three-letter code such as GBP, EUR or JPY.
msg-code-name-is-not-a-currency-a-budget-can-be-paid-in-use-a-currency = { $code } ({ $name }) is not a currency a budget can be paid in. Use a currency such as GBP, EUR or JPY.
msg-give-a-percentage-between-0-and-100 = Give a percentage between 0 and 100.
msg-give-a-period-as-an-iso-8601-duration-such-as-p1m-for-every-month-or = Give a period as an ISO 8601 duration, such as P1M for every month or P2W for every two weeks.
msg-give-an-exchange-rate-greater-than-0 = Give an exchange rate greater than 0.
msg-give-the-country-as-a-two-letter-iso-3166-code-in-capitals-such-as = Give the country as a two-letter ISO 3166 code in capitals, such as GB or FI.
msg-give-the-currency-as-a-three-letter-iso-4217-code-such-as-gbp-eur-or = Give the currency as a three-letter ISO 4217 code such as GBP, EUR or JPY.
msg-give-the-region-as-an-iso-3166-2-code-within-the-country-such-as-gb = Give the region as an ISO 3166-2 code within the country, such as GB-SCT.
msg-list-at-most-max-items = List at most { $max } items.
msg-money-cannot-be-negative = Money cannot be negative.
msg-that-is-not-an-iso-4217-currency-code-use-a-three-letter-code-such = That is not an ISO 4217 currency code. Use a three-letter code such as GBP, EUR or JPY.
msg-the-figures-are-too-large-to-work-out-check-the-rates-quantities-and = The figures are too large to work out; check the rates, quantities and amounts.
msg-the-management-fee-fee-currency-is-more-than-the-whole-budget-total = The management fee ({ $fee } { $currency }) is more than the whole budget ({ $total } { $currency }); nothing would be left for support.
msg-the-person-s-contributions-are-more-than-the-costs-the-lines-come-to = The person's contributions are more than the costs: the lines come to { $total } { $currency } per { $period }.
msg-this-cannot-be-empty = This cannot be empty.
msg-this-exchange-rate-is-too-large = This exchange rate is too large.
msg-this-is-too-large-give-at-most-1-000-000-000-000 = This is too large: give at most 1,000,000,000,000.
msg-this-is-too-large-to-convert = This is too large to convert.
msg-this-quantity-is-too-large-give-at-most-1-000-000-per-budget-period = This quantity is too large: give at most 1,000,000 per budget period.
msg-use-at-most-max-budget-lines-this-template-has-count = Use at most { $max } budget lines; this template has { $count }.
msg-use-at-most-places-decimal-places = Use at most { $places } decimal places.
msg-write-the-currency-code-in-capitals-code = Write the currency code in capitals: { $code }.

## content/mod.rs
msg-choose-a-licence-from-the-list = Choose a licence from the list.
msg-choose-a-stage-from-the-list = Choose a stage from the list.
msg-choose-an-age-band-from-the-list = Choose an age band from the list.
msg-choose-who-tells-the-story = Choose who tells the story.
msg-give-a-web-address-starting-with-https = Give a web address starting with https://
msg-give-a-year-between-1950-and-year = Give a year between 1950 and { $year }.
msg-give-the-language-as-a-code-such-as-en-fi-or-fr-ca = Give the language as a code such as en, fi or fr-CA.
msg-list-at-most-100-references = List at most 100 references.
msg-the-last-year-must-not-be-before-the-first = The last year must not be before the first.
msg-unknown-choice-values-pick-from-the-list = Unknown choice: { $values }. Pick from the list.
msg-use-at-most-300-characters = Use at most 300 characters.

## content/workflow.rs
msg-a-translation-is-in-another-language-than-the-original = A translation is in another language than the original.
msg-an-item-cannot-change-its-type = An item cannot change its type.
msg-choose-how-consent-was-given = Choose how consent was given.
msg-choose-what-the-consent-covers-from-the-list = Choose what the consent covers from the list.
msg-give-the-date-as-yyyy-mm-dd-for-example-2027-12-31 = Give the date as YYYY-MM-DD, for example 2027-12-31.
msg-give-the-exchange-rate-as-a-positive-number-like-1-17 = Give the exchange rate as a positive number, like 1.17.
msg-say-which-language-the-translation-is-in = Say which language the translation is in.
msg-say-why-this-is-not-identifying = Say why this is not identifying.
msg-there-is-no-organisation-with-that-handle = There is no organisation with that handle.

## digests/settings.rs
msg-choose-a-day-of-the-week = Choose a day of the week.
msg-choose-a-time-zone-from-the-list-such-as-europe-london = Choose a time zone from the list, such as Europe/London.
msg-choose-an-hour-from-0-to-23 = Choose an hour from 0 to 23.
msg-choose-daily-weekly-or-never = Choose daily, weekly or never.

## organisations/mod.rs
msg-another-organisation-already-uses-this-handle-choose-another = Another organisation already uses this handle. Choose another.
msg-choose-a-country-use-a-code-such-as-fi-or-gb-sct-for-scotland = Choose a country. Use a code such as FI, or GB-SCT for Scotland.
msg-choose-at-least-one-language = Choose at least one language.
msg-choose-what-kind-of-organisation-this-is = Choose what kind of organisation this is.
msg-enter-a-web-address-starting-with-https = Enter a web address starting with https://
msg-enter-the-organisation-s-name = Enter the organisation's name.
msg-list-at-most-20-regions-of-up-to-100-characters-each = List at most 20 regions of up to 100 characters each.
msg-only-editors-of-this-organisation-can-do-this = Only editors of this organisation can do this.
msg-some-fields-need-changing = Some fields need changing.
msg-there-is-no-such-account = There is no such account.
msg-there-is-no-such-organisation = There is no such organisation.
msg-this-name-is-reserved-choose-another = This name is reserved. Choose another.
msg-use-2-to-40-characters = Use 2 to 40 characters.
msg-use-only-letters-a-to-z-numbers-and-single-hyphens-like-open-doors = Use only letters a to z, numbers and single hyphens, like open-doors.
msg-value-is-not-a-language-code-use-codes-such-as-en-fi-or-fr-ca = '{ $value }' is not a language code. Use codes such as en, fi or fr-CA.

## search/mod.rs
msg-only-the-first-max-results-can-be-paged-through-add-words-or-filters = Only the first { $max } results can be paged through: add words or filters.
msg-results-per-page-a-whole-number-from-1-to-max = Results per page: a whole number from 1 to { $max }.
msg-sort-by-relevance-or-date = Sort by relevance or date.
msg-that-value-is-too-long = That value is too long.
msg-the-page-is-a-whole-number-from-1 = The page is a whole number from 1.
msg-unknown-type-value-use-case-story-isf-template-practice-guide-or = Unknown type "{ $value }": use case_story, isf_template, practice_guide or organisation.
msg-use-at-most-500-characters-in-a-search = Use at most 500 characters in a search.

## web/auth.rs
msg-only-administrators-can-do-this = Only administrators can do this.

## web/csrf.rs
msg-send-the-form-as-application-x-www-form-urlencoded = Send the form as application/x-www-form-urlencoded.
msg-the-form-contained-text-that-is-not-valid-utf-8 = The form contained text that is not valid UTF-8.

## web/error.rs
msg-something-went-wrong-on-our-side-it-has-been-logged = Something went wrong on our side. It has been logged.
msg-the-form-has-expired-or-did-not-come-from-this-site-go-back-reload = The form has expired or did not come from this site. Go back, reload the page and try again.
msg-the-request-is-too-large-the-limit-is-limit-bytes = The request is too large. The limit is { $limit } bytes.
msg-we-could-not-find-that-page = We could not find that page.
msg-you-need-to-log-in-first = You need to log in first.

## web/pages/account.rs
msg-that-language-is-not-available = That language is not available.

## web/pages/admin.rs
msg-choose-active-or-suspended = Choose active or suspended.
msg-choose-admin-moderator-or-member = Choose admin, moderator or member.
msg-choose-allow-block-or-remove = Choose allow, block or remove.
msg-choose-open-or-allowlist = Choose open or allowlist.
msg-give-a-domain-such-as-mutual-example-org-with-a-port-if-it-has-one = Give a domain such as mutual.example.org, with a port if it has one.
msg-only-moderators-and-administrators-can-do-this = Only moderators and administrators can do this.
msg-only-moderators-and-administrators-can-see-reports = Only moderators and administrators can see reports.
msg-you-cannot-remove-your-own-administrator-role-ask-another = You cannot remove your own administrator role. Ask another administrator.
msg-you-cannot-suspend-yourself = You cannot suspend yourself.

## web/pages/content.rs
msg-choose-an-easy-read-version-or-a-translation = Choose an easy-read version or a translation.
msg-choose-fixed-or-dismissed = Choose fixed or dismissed.
msg-give-a-year-as-four-digits-like-2019 = Give a year as four digits, like 2019.
msg-only-editors-of-this-organisation-can-edit-this = Only editors of this organisation can edit this.

## web/pages/digests.rs
msg-unknown-kind-of-follow = Unknown kind of follow.

## web/pages/email_links.rs
msg-the-two-passwords-are-not-the-same-type-the-same-password-twice = The two passwords are not the same. Type the same password twice.

## web/pages/isf_form.rs
msg-choose-a-unit = Choose a unit.
msg-choose-how-the-management-fee-is-set = Choose how the management fee is set.
msg-choose-the-budget-period = Choose the budget period.
msg-choose-what-the-line-pays-for = Choose what the line pays for.
msg-choose-whether-the-fee-is-inside-the-budget-or-on-top = Choose whether the fee is inside the budget or on top.
msg-give-a-whole-number = Give a whole number.
msg-value-is-not-a-number-write-it-like-21-50 = '{ $value }' is not a number. Write it like 21.50.
