# Koodin englanniksi kirjoittamat viestit: lomakkeiden virheet ja virhesivut.

## accounts/mod.rs
msg-an-account-with-that-email-address-already-exists = Tällä sähköpostiosoitteella on jo tili.
msg-enter-an-email-address-like-name-example-org = Anna sähköpostiosoite, esimerkiksi nimi@example.org.
msg-remove-special-control-characters = Poista erikoiset ohjausmerkit.
msg-start-with-a-letter-use-only-letters-a-to-z-numbers-and = Aloita kirjaimella. Käytä vain kirjaimia a–z, numeroita ja merkkiä _.
msg-that-username-is-already-taken-choose-another = Käyttäjätunnus on jo käytössä. Valitse toinen.
msg-the-invitation-code-is-not-valid-or-has-expired = Kutsukoodi ei ole voimassa tai se on vanhentunut.
msg-the-username-or-password-is-wrong = Käyttäjätunnus tai salasana on väärin.
msg-this-account-is-suspended = Tämä tili on jäädytetty.
msg-this-account-is-waiting-for-an-administrator-to-approve-it = Tämä tili odottaa ylläpitäjän hyväksyntää.
msg-this-link-is-not-valid-it-may-have-been-used-already-or-be-too-old = Linkki ei ole voimassa: se on ehkä jo käytetty tai liian vanha. Pyydä uusi.
msg-this-site-does-not-accept-new-accounts = Tämä sivusto ei ota vastaan uusia tilejä.
msg-use-3-to-30-characters = Käytä 3–30 merkkiä.
msg-use-at-least-min-characters-a-few-words-together-work-well = Käytä vähintään { $min } merkkiä. Muutama sana peräkkäin toimii hyvin.
msg-use-at-most-100-characters = Käytä enintään 100 merkkiä.
msg-use-at-most-2000-characters = Käytä enintään 2000 merkkiä.
msg-use-at-most-256-characters = Käytä enintään 256 merkkiä.
msg-use-at-most-max-characters = Käytä enintään { $max } merkkiä.

## api/content.rs
msg-choose-one-of-your-organisations = Valitse jokin omista organisaatioistasi.
msg-unknown-status = Tuntematon tila.
msg-unpublished-items-can-only-be-listed-per-organisation = Julkaisemattomat kohteet voi listata vain organisaatioittain.

## api/digests.rs
msg-use-organisation-topic-or-search = Käytä arvoa organisation, topic tai search.

## content/isf.rs
msg-a-fixed-line-has-an-amount-not-a-field-remove-the-field-or-choose-a = Kiinteällä rivillä on summa, ei kenttää { $field }: poista { $field } tai valitse yksikkö, kuten tunti.
msg-a-fixed-line-needs-an-amount = Kiinteä rivi tarvitsee summan.
msg-a-line-priced-per-unit-has-a-rate-and-a-quantity-not-an-amount = Rivillä, jonka hinta on yksikköä { $unit } kohden, on hinta ja määrä, ei summaa: poista summa tai valitse yksiköksi "kiinteä summa".
msg-a-line-priced-per-unit-needs-a-quantity = Rivi, jonka hinta on yksikköä { $unit } kohden, tarvitsee määrän.
msg-a-line-priced-per-unit-needs-a-rate = Rivi, jonka hinta on yksikköä { $unit } kohden, tarvitsee hinnan.
msg-a-quantity-cannot-be-negative = Määrä ei voi olla negatiivinen.
msg-add-at-least-one-budget-line = Lisää vähintään yksi budjettirivi.
msg-code-has-been-replaced-by-newer-use-that-instead = { $code } on korvattu valuutalla { $newer }. Käytä sitä.
msg-code-is-not-an-iso-4217-currency-code-use-a-three-letter-code-such = "{ $code }" ei ole ISO 4217 -valuuttakoodi. Käytä kolmikirjaimista koodia, kuten EUR, GBP tai JPY.
msg-code-name-is-not-a-currency-a-budget-can-be-paid-in-use-a-currency = { $code } ({ $name }) ei ole valuutta, jolla budjetti voidaan maksaa. Käytä valuuttaa, kuten EUR, GBP tai JPY.
msg-give-a-percentage-between-0-and-100 = Anna prosentti väliltä 0–100.
msg-give-a-period-as-an-iso-8601-duration-such-as-p1m-for-every-month-or = Anna jakso ISO 8601 -kestona, kuten P1M joka kuukausi tai P2W joka toinen viikko.
msg-give-an-exchange-rate-greater-than-0 = Anna vaihtokurssi, joka on suurempi kuin 0.
msg-give-the-country-as-a-two-letter-iso-3166-code-in-capitals-such-as = Anna maa kaksikirjaimisena ISO 3166 -koodina isoilla kirjaimilla, kuten FI tai GB.
msg-give-the-currency-as-a-three-letter-iso-4217-code-such-as-gbp-eur-or = Anna valuutta kolmikirjaimisena ISO 4217 -koodina, kuten EUR, GBP tai JPY.
msg-give-the-region-as-an-iso-3166-2-code-within-the-country-such-as-gb = Anna alue ISO 3166-2 -koodina maan sisällä, kuten GB-SCT.
msg-list-at-most-max-items = Luettele enintään { $max } kohtaa.
msg-money-cannot-be-negative = Raha ei voi olla negatiivinen.
msg-that-is-not-an-iso-4217-currency-code-use-a-three-letter-code-such = Tämä ei ole ISO 4217 -valuuttakoodi. Käytä kolmikirjaimista koodia, kuten EUR, GBP tai JPY.
msg-the-figures-are-too-large-to-work-out-check-the-rates-quantities-and = Luvut ovat liian suuria laskettaviksi. Tarkista hinnat, määrät ja summat.
msg-the-management-fee-fee-currency-is-more-than-the-whole-budget-total = Hallinnointimaksu ({ $fee } { $currency }) on suurempi kuin koko budjetti ({ $total } { $currency }). Tukeen ei jäisi mitään.
msg-the-person-s-contributions-are-more-than-the-costs-the-lines-come-to = Henkilön omat osuudet ovat suuremmat kuin kulut: rivit ovat yhteensä { $total } { $currency } jaksoa { $period } kohden.
msg-this-cannot-be-empty = Tämä ei voi olla tyhjä.
msg-this-exchange-rate-is-too-large = Vaihtokurssi on liian suuri.
msg-this-is-too-large-give-at-most-1-000-000-000-000 = Tämä on liian suuri: anna enintään 1 000 000 000 000.
msg-this-is-too-large-to-convert = Tämä on liian suuri muunnettavaksi.
msg-this-quantity-is-too-large-give-at-most-1-000-000-per-budget-period = Määrä on liian suuri: anna enintään 1 000 000 budjettikautta kohden.
msg-use-at-most-max-budget-lines-this-template-has-count = Käytä enintään { $max } budjettiriviä. Tässä budjetissa niitä on { $count }.
msg-use-at-most-places-decimal-places = Käytä enintään { $places } desimaalia.
msg-write-the-currency-code-in-capitals-code = Kirjoita valuuttakoodi isoilla kirjaimilla: { $code }.

## content/mod.rs
msg-choose-a-licence-from-the-list = Valitse lisenssi listasta.
msg-choose-a-stage-from-the-list = Valitse vaihe listasta.
msg-choose-an-age-band-from-the-list = Valitse ikäryhmä listasta.
msg-choose-who-tells-the-story = Valitse, kuka tarinan kertoo.
msg-give-a-web-address-starting-with-https = Anna verkko-osoite, joka alkaa https://
msg-give-a-year-between-1950-and-year = Anna vuosi väliltä 1950–{ $year }.
msg-give-the-language-as-a-code-such-as-en-fi-or-fr-ca = Anna kieli koodina, kuten fi, en tai fr-CA.
msg-list-at-most-100-references = Luettele enintään 100 lähdettä.
msg-the-last-year-must-not-be-before-the-first = Viimeinen vuosi ei voi olla ennen ensimmäistä.
msg-unknown-choice-values-pick-from-the-list = Tuntematon valinta: { $values }. Valitse listasta.
msg-use-at-most-300-characters = Käytä enintään 300 merkkiä.

## content/workflow.rs
msg-a-translation-is-in-another-language-than-the-original = Käännös on eri kielellä kuin alkuperäinen.
msg-an-item-cannot-change-its-type = Kohteen tyyppiä ei voi muuttaa.
msg-choose-how-consent-was-given = Valitse, miten suostumus annettiin.
msg-choose-what-the-consent-covers-from-the-list = Valitse listasta, mitä suostumus koskee.
msg-give-the-date-as-yyyy-mm-dd-for-example-2027-12-31 = Anna päivämäärä muodossa VVVV-KK-PP, esimerkiksi 2027-12-31.
msg-give-the-exchange-rate-as-a-positive-number-like-1-17 = Anna vaihtokurssi positiivisena lukuna, esimerkiksi 1,17.
msg-say-which-language-the-translation-is-in = Kerro, millä kielellä käännös on.
msg-say-why-this-is-not-identifying = Kerro, miksi tämä ei tunnista ketään.
msg-there-is-no-organisation-with-that-handle = Tällä tunnuksella ei ole organisaatiota.

## digests/settings.rs
msg-choose-a-day-of-the-week = Valitse viikonpäivä.
msg-choose-a-time-zone-from-the-list-such-as-europe-london = Valitse aikavyöhyke listasta, esimerkiksi Europe/Helsinki.
msg-choose-an-hour-from-0-to-23 = Valitse tunti väliltä 0–23.
msg-choose-daily-weekly-or-never = Valitse päivittäin, viikoittain tai ei koskaan.

## organisations/mod.rs
msg-another-organisation-already-uses-this-handle-choose-another = Toinen organisaatio käyttää jo tätä tunnusta. Valitse toinen.
msg-choose-a-country-use-a-code-such-as-fi-or-gb-sct-for-scotland = Valitse maa. Käytä koodia, kuten FI, tai GB-SCT Skotlannille.
msg-choose-at-least-one-language = Valitse vähintään yksi kieli.
msg-choose-what-kind-of-organisation-this-is = Valitse, millainen organisaatio tämä on.
msg-enter-a-web-address-starting-with-https = Anna verkko-osoite, joka alkaa https://
msg-enter-the-organisation-s-name = Anna organisaation nimi.
msg-list-at-most-20-regions-of-up-to-100-characters-each = Luettele enintään 20 aluetta, kukin enintään 100 merkkiä.
msg-only-editors-of-this-organisation-can-do-this = Vain tämän organisaation toimittajat voivat tehdä tämän.
msg-some-fields-need-changing = Joitakin kenttiä pitää muuttaa.
msg-there-is-no-such-account = Tiliä ei ole.
msg-there-is-no-such-organisation = Organisaatiota ei ole.
msg-this-name-is-reserved-choose-another = Tämä nimi on varattu. Valitse toinen.
msg-use-2-to-40-characters = Käytä 2–40 merkkiä.
msg-use-only-letters-a-to-z-numbers-and-single-hyphens-like-open-doors = Käytä vain kirjaimia a–z, numeroita ja yksittäisiä yhdysmerkkejä, kuten avoimet-ovet.
msg-value-is-not-a-language-code-use-codes-such-as-en-fi-or-fr-ca = '{ $value }' ei ole kielikoodi. Käytä koodeja kuten fi, en tai fr-CA.

## search/mod.rs
msg-only-the-first-max-results-can-be-paged-through-add-words-or-filters = Vain { $max } ensimmäistä tulosta voi selata: lisää sanoja tai rajauksia.
msg-results-per-page-a-whole-number-from-1-to-max = Tuloksia sivulla: kokonaisluku väliltä 1–{ $max }.
msg-sort-by-relevance-or-date = Järjestä osuvuuden tai päivämäärän mukaan.
msg-that-value-is-too-long = Arvo on liian pitkä.
msg-the-page-is-a-whole-number-from-1 = Sivunumero on kokonaisluku, vähintään 1.
msg-unknown-type-value-use-case-story-isf-template-practice-guide-or = Tuntematon tyyppi "{ $value }": käytä arvoa case_story, isf_template, practice_guide tai organisation.
msg-use-at-most-500-characters-in-a-search = Käytä haussa enintään 500 merkkiä.

## web/auth.rs
msg-only-administrators-can-do-this = Vain ylläpitäjät voivat tehdä tämän.

## web/csrf.rs
msg-send-the-form-as-application-x-www-form-urlencoded = Lähetä lomake muodossa application/x-www-form-urlencoded.
msg-the-form-contained-text-that-is-not-valid-utf-8 = Lomakkeessa oli tekstiä, joka ei ole kelvollista UTF-8:aa.

## web/error.rs
msg-something-went-wrong-on-our-side-it-has-been-logged = Jokin meni vikaan meidän päässämme. Virhe on kirjattu.
msg-the-form-has-expired-or-did-not-come-from-this-site-go-back-reload = Lomake on vanhentunut tai se ei tullut tältä sivustolta. Palaa takaisin, lataa sivu uudelleen ja yritä uudestaan.
msg-the-request-is-too-large-the-limit-is-limit-bytes = Pyyntö on liian suuri. Raja on { $limit } tavua.
msg-we-could-not-find-that-page = Emme löytäneet sivua.
msg-you-need-to-log-in-first = Kirjaudu ensin sisään.

## web/pages/account.rs
msg-that-language-is-not-available = Tämä kieli ei ole käytettävissä.

## web/pages/admin.rs
msg-choose-active-or-suspended = Valitse aktiivinen tai jäädytetty.
msg-choose-admin-moderator-or-member = Valitse ylläpitäjä, moderaattori tai jäsen.
msg-choose-allow-block-or-remove = Valitse salli, estä tai poista.
msg-choose-open-or-allowlist = Valitse avoin tai sallittujen lista.
msg-give-a-domain-such-as-mutual-example-org-with-a-port-if-it-has-one = Anna verkkotunnus, kuten mutual.example.org, ja portti, jos sellainen on.
msg-only-moderators-and-administrators-can-do-this = Vain moderaattorit ja ylläpitäjät voivat tehdä tämän.
msg-only-moderators-and-administrators-can-see-reports = Vain moderaattorit ja ylläpitäjät voivat nähdä ilmoitukset.
msg-you-cannot-remove-your-own-administrator-role-ask-another = Et voi poistaa omaa ylläpitäjän rooliasi. Pyydä toista ylläpitäjää.
msg-you-cannot-suspend-yourself = Et voi jäädyttää itseäsi.

## web/pages/content.rs
msg-choose-an-easy-read-version-or-a-translation = Valitse selkokielinen versio tai käännös.
msg-choose-fixed-or-dismissed = Valitse korjattu tai hylätty.
msg-give-a-year-as-four-digits-like-2019 = Anna vuosi neljällä numerolla, esimerkiksi 2019.
msg-only-editors-of-this-organisation-can-edit-this = Vain tämän organisaation toimittajat voivat muokata tätä.

## web/pages/digests.rs
msg-unknown-kind-of-follow = Tuntematon seurannan laji.

## web/pages/email_links.rs
msg-the-two-passwords-are-not-the-same-type-the-same-password-twice = Salasanat eivät ole samat. Kirjoita sama salasana kahdesti.

## web/pages/isf_form.rs
msg-choose-a-unit = Valitse yksikkö.
msg-choose-how-the-management-fee-is-set = Valitse, miten hallinnointimaksu määräytyy.
msg-choose-the-budget-period = Valitse budjettikausi.
msg-choose-what-the-line-pays-for = Valitse, mihin rivin raha käytetään.
msg-choose-whether-the-fee-is-inside-the-budget-or-on-top = Valitse, sisältyykö maksu budjettiin vai tuleeko se lisäksi.
msg-give-a-whole-number = Anna kokonaisluku.
msg-value-is-not-a-number-write-it-like-21-50 = '{ $value }' ei ole luku. Kirjoita se näin: 21,50.
