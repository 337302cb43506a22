# Sähköpostit suomeksi.

## Every e-mail

mail-hello = Hei { $name },
mail-open-link = Avaa tämä linkki:

## Confirm your address

mail-confirm-subject = Vahvista sähköpostiosoitteesi palvelussa { $instance }
mail-confirm-title = Vahvista sähköpostiosoitteesi
mail-confirm-signed-up = Rekisteröidyit palveluun { $instance }. Vahvista, että tämä on sinun sähköpostiosoitteesi.
mail-confirm-button = Vahvista sähköpostiosoitteeni
mail-confirm-expiry = Linkki toimii 7 päivää. Jos et rekisteröitynyt, voit jättää tämän viestin huomiotta.

## Reset your password

mail-reset-subject = Vaihda salasanasi palvelussa { $instance }
mail-reset-title = Vaihda salasanasi
mail-reset-asked = Joku pyysi vaihtamaan tilisi { $username } salasanan palvelussa { $instance }.
mail-reset-open-link = Avaa tämä linkki ja valitse uusi salasana:
mail-reset-expiry = Linkki toimii kerran, tunnin ajan. Jos et pyytänyt tätä, jätä viesti huomiotta. Salasanasi pysyy samana.

## Account approved

mail-approved-subject = Tilisi palvelussa { $instance } on valmis
mail-approved-title = Tilisi on valmis
mail-approved-text = Ylläpitäjä hyväksyi tilisi { $username } palvelussa { $instance }.
mail-approved-log-in = Voit nyt kirjautua sisään:

## Digest

mail-digest-subject =
    { $count ->
        [one] 1 uusi julkaisu palvelussa { $instance }
       *[other] { $count } uutta julkaisua palvelussa { $instance }
    }
mail-digest-title = Uutta palvelussa { $instance }
mail-digest-intro =
    { $count ->
        [one] Tässä on 1 uusi julkaisu palvelusta { $instance } asioista, joita seuraat.
       *[other] Tässä on { $count } uutta julkaisua palvelusta { $instance } asioista, joita seuraat.
    }
mail-digest-why = Saat tämän viestin, koska seuraat organisaatioita, aiheita tai hakuja palvelussa { $instance }.
mail-digest-change = Muuta, kuinka usein saat tämän
mail-digest-unsubscribe = Peru tilaus
mail-digest-from = Organisaatiolta { $organisation }
mail-digest-about = Aiheesta { $topic }
mail-digest-matching = Hakuusi { $search } sopivat
