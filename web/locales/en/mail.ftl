# E-mails in English.

## Every e-mail

mail-hello = Hello { $name },
mail-open-link = Open this link:

## Confirm your address

mail-confirm-subject = Confirm your email address for { $instance }
mail-confirm-title = Confirm your email address
mail-confirm-signed-up = You signed up to { $instance }. Please confirm that this is your email address.
mail-confirm-button = Confirm my email address
mail-confirm-expiry = The link works for 7 days. If you did not sign up, you can ignore this email.

## Reset your password

mail-reset-subject = Reset your password for { $instance }
mail-reset-title = Reset your password
mail-reset-asked = Someone asked to reset the password of your account { $username } on { $instance }.
mail-reset-open-link = Open this link to choose a new password:
mail-reset-expiry = The link works once, for 1 hour. If you did not ask for this, ignore this email: your password stays the same.

## Account approved

mail-approved-subject = Your account on { $instance } is ready
mail-approved-title = Your account is ready
mail-approved-text = An administrator approved your account { $username } on { $instance }.
mail-approved-log-in = You can log in now:

## Digest

mail-digest-subject =
    { $count ->
        [one] 1 new item on { $instance }
       *[other] { $count } new items on { $instance }
    }
mail-digest-title = New on { $instance }
mail-digest-intro =
    { $count ->
        [one] Here is 1 new item on { $instance } from what you follow.
       *[other] Here are { $count } new items on { $instance } from what you follow.
    }
mail-digest-why = You get this email because you follow organisations, topics or searches on { $instance }.
mail-digest-change = Change how often you get it
mail-digest-unsubscribe = Unsubscribe
mail-digest-from = From { $organisation }
mail-digest-about = About { $topic }
mail-digest-matching = Matching your search { $search }
