# Sivujen tekstit suomeksi.

## Home page

home-title = Opitaan toisiltamme
home-lead = Henkilökohtaista tukea antavat organisaatiot jakavat täällä oppimaansa. Ne jakavat tarinoita siitä, mikä muuttui ihmisten elämässä, henkilökohtaisen palvelurahaston (ISF) budjetteja ja käytännön oppaita.
home-see-all-organisations =
    { $count -> 
        [one] Katso organisaatio
       *[other] Katso kaikki { $count } organisaatiota
    }
home-no-organisations = Yksikään organisaatio ei ole vielä liittynyt.
home-add-organisation = Lisää oma organisaatiosi.

## Log in

title-error-prefix = Virhe:
error-summary-one = Jokin meni vikaan
login-name-label = Käyttäjätunnus tai sähköpostiosoite
password-label = Salasana
login-forgot = Unohditko salasanasi?
login-no-account = Eikö sinulla ole vielä tiliä?

## Forgotten password

forgot-intro = Lähetämme sinulle sähköpostin, jossa on linkki. Linkin kautta voit valita uuden salasanan.
forgot-send = Lähetä minulle linkki
reset-title = Valitse uusi salasana
reset-new-password = Uusi salasana
password-hint = Vähintään 10 merkkiä. Muutama sana yhdessä toimii hyvin.
reset-password-again = Sama salasana uudelleen
reset-save = Tallenna uusi salasana

## After signing up

signup-done-title = Kiitos
signup-done-heading = Kiitos, { $name }
signup-done-waiting = Tilisi odottaa, että ylläpitäjä hyväksyy sen.
signup-done-after-approval = Voit kirjautua sisään, kun tili on hyväksytty.
signup-done-ready = Tilisi on valmis.

## Error page

error-home-link = Siirry etusivulle
# Virhesivun otsikko HTTP-tilan mukaan.
http-status = { $status ->
        [400] Pyyntöä ei voitu käyttää
        [401] Kirjaudu sisään
        [403] Et voi tehdä tätä
        [404] Sivua ei löydy
        [409] Tämä on jo olemassa
        [413] Tämä on liian suuri
        [422] Joitakin asioita pitää korjata
        [429] Liian monta yritystä
        [500] Jokin meni vikaan
       *[other] Virhe { $status }
    }

## Sign up

signup-closed = Tälle sivustolle ei voi nyt rekisteröityä. Pyydä tiliä sivuston ylläpitäjältä.
signup-approval = Ylläpitäjä tarkistaa jokaisen uuden tilin. Pääset sisään, kun tili on hyväksytty.
signup-invite = Tarvitset kutsukoodin rekisteröityäksesi.
signup-username = Käyttäjätunnus
signup-username-hint = 3–30 kirjainta, numeroa tai _. Aloita kirjaimella.
signup-email = Sähköpostiosoite
signup-display-name = Nimesi
optional = (vapaaehtoinen)
signup-reason = Miksi haluat liittyä?
signup-reason-hint = Esimerkiksi organisaatio, jossa työskentelet.
signup-invitation = Kutsukoodi
signup-have-account = Onko sinulla jo tili?

## Form errors

error-summary-count =
    { $count ->
        [one] Jokin meni vikaan
       *[other] Korjaa { $count } kohtaa
    }

## Digest choices without logging in

email-settings-title = Koosteesi
email-settings-heading = Kuinka usein haluat koosteen?
saved = Tallennettu.
email-settings-legend = Lähetä minulle kooste
digest-frequency-daily = Joka päivä
digest-frequency-weekly = Joka viikko
digest-frequency-never = Ei koskaan
save = Tallenna
email-settings-more = Jos haluat valita kellonajan, päivän tai sen, mitä seuraat, kirjaudu sisään tilisi sivulle.
email-settings-account-link = Siirry tilisi sivulle

## Search

search-title-for = Haku: { $query }
search-heading = Hae jaettua oppia
search-words-label = Etsittävät sanat
search-words-hint = Laita sanat "lainausmerkkeihin", niin ne löytyvät yhdessä.
search-problems = Emme voineet käyttää osaa hausta
search-filters = Rajaukset
search-order = Järjestys
search-order-relevance = Osuvimmat ensin
search-order-date = Uusimmat ensin
search-clear-filters = Poista rajaukset
search-results = Tulokset
search-save = Tallenna tämä haku sähköpostikoosteeseeni
search-follow-topic = Seuraa aihetta { $topic } sähköpostikoosteessani
search-count =
    { $count ->
        [one] Yksi tulos.
       *[other] { $count } tulosta.
    }
search-count-for =
    { $count ->
        [one] Yksi tulos haulla ”{ $query }”.
       *[other] { $count } tulosta haulla ”{ $query }”.
    }
search-from-peer = (kumppanilta)
search-nothing = Mitään ei löytynyt. Kokeile vähemmillä sanoilla tai poista rajaus.
search-result-pages = Tulossivut
pagination-previous = Edellinen sivu
pagination-next = Seuraava sivu
pagination-page-of = Sivu { $page }/{ $pages }

## Organisations

organisations-count =
    { $count ->
        [one] Yksi organisaatio jakaa täällä oppimaansa.
       *[other] { $count } organisaatiota jakaa täällä oppimaansa.
    }
organisations-add = Lisää organisaatio
pagination-label = Sivut

## Search filters and kinds of result

facet-type = Tyyppi
facet-topic = Aihe
facet-country = Maa
facet-language = Kieli
facet-people = Ketä tuetaan
facet-organisation = Organisaatio
search-language-not-given = Ei kerrottu
doc-type-case-story = Tarina
doc-type-isf-template = ISF-budjetti
doc-type-practice-guide = Käytännön opas
doc-type-organisation = Organisaatio
doc-type-case-story-plural = Tarinat
doc-type-isf-template-plural = ISF-budjetit
doc-type-practice-guide-plural = Käytännön oppaat

## Your account

settings-name = Nimi
settings-role = Rooli
settings-organisations = Organisaatiosi
settings-no-organisations = Et kuulu vielä mihinkään organisaatioon.
settings-language-label = Näytä sivusto kielellä
settings-language-browser = Selaimeni kieli
settings-language-save = Tallenna kieli
settings-digest = Sähköpostikoosteesi
settings-digest-saved = Koosteen asetukset on tallennettu.
settings-digest-confirm-first = Vahvista ensin sähköpostiosoitteesi. Lähetämme koosteita vain vahvistettuihin osoitteisiin. Käytä linkkiä, jonka lähetimme, kun rekisteröidyit.
settings-digest-paused = Koosteesi ovat tauolla, koska osoitteesi hylkäsi postin monta kertaa. Tarkista osoitteesi ja tallenna alla, niin koosteet alkavat taas.
settings-digest-how-often = Kuinka usein
settings-digest-day = Päivä (viikkokoosteelle)
settings-digest-time = Kellonaika
settings-digest-timezone = Aikavyöhyke
settings-digest-save = Tallenna koosteen asetukset
settings-follows = Mitä seuraat
settings-follow-organisation = Organisaatio:
settings-follow-topic = Aihe:
settings-follow-search = Haku:
settings-stop-following = Lopeta seuraaminen
settings-follows-none = Et seuraa vielä mitään. Seuraa organisaatiota sen sivulla tai tallenna haku hakusivulla.
settings-follows-search-link = Siirry hakusivulle
settings-tokens = API-avaimet
settings-tokens-intro = Ohjelmat voivat toimia puolestasi API:n kautta avaimen avulla. Pidä avaimet salassa.
settings-token-new = Uusi avaimesi.
settings-token-copy = Kopioi se nyt. Et näe sitä uudelleen.
settings-token-name = Nimi
settings-token-created = Luotu
settings-token-last-used = Viimeksi käytetty
settings-token-action = Toiminto
settings-token-revoke = Peru
settings-tokens-none = Sinulla ei ole avaimia.
settings-token-new-name = Uuden avaimen nimi
settings-token-create = Luo avain
weekday-1 = maanantai
weekday-2 = tiistai
weekday-3 = keskiviikko
weekday-4 = torstai
weekday-5 = perjantai
weekday-6 = lauantai
weekday-7 = sunnuntai

## Organisation page

org-remote-handle = Organisaatio toisella palvelimella:
org-handle = Tunnus:
org-edit-profile = Muokkaa tietoja
org-follow-digest = Saa { $name } sähköpostikoosteeseeni
org-shares-label = Mitä { $name } jakaa
org-case-stories = Tarinat
org-practice-guides = Käytännön oppaat
org-follow-peer = Seuraa kumppaniorganisaatiota
org-follow-peer-intro = Niiden tarinat, ISF-budjetit ja oppaat tulevat tänne, kun ne julkaisevat niitä.
org-peer-following = seurataan
org-peer-pending = odottaa hyväksyntää
org-peer-declined = he kieltäytyivät
org-peer-address = Heidän osoitteensa
org-peer-address-hint = Esimerkiksi kotipolku@mutual.example.fi
org-peer-follow = Seuraa
org-write = Kirjoita:
org-write-story = tarina
org-write-isf = ISF-budjetti
org-write-guide = käytännön opas
org-languages = Kielet
org-hosts-events = Järjestää oppimistapahtumia
yes = Kyllä
no = Ei
org-not-stated = Ei kerrottu.
org-offers = Voi jakaa
org-wants = Haluaa oppia
org-accessibility = Saavutettavuus
org-contact = Yhteystiedot
org-contact-email = Sähköposti:
org-contact-website = Verkkosivu:
org-people = Ihmiset

## Lists of stories, guides and ISF templates

list-of-organisation = { $name }: { $what }
list-write-new = Kirjoita uusi: { $what }
list-filter-label = Rajaa
list-all-topics = Kaikki aiheet
list-everyone = Kaikki
list-all-countries = Kaikki maat
list-language-code = Kielikoodi
list-status = Tila
list-any-status = Mikä tahansa
list-show = Näytä
list-found =
    { $count ->
        [one] Löytyi 1.
       *[other] Löytyi { $count }.
    }
list-adapted-from = Muokattu lähteestä
list-nothing = Täällä ei ole vielä mitään.

## Organisation form

org-form-edit = Muokkaa: { $name }
org-form-handle = Tunnus
org-form-handle-hint = Lyhyt nimi verkko-osoitteisiin, esimerkiksi avoimet-ovet. Kirjaimet a–z, numerot ja väliviivat. Et voi muuttaa sitä myöhemmin.
org-form-summary = Lyhyt kuvaus
org-form-summary-hint = Mitä organisaatiosi tekee, kahdella tai kolmella lauseella.
org-form-kind = Organisaation tyyppi
org-form-choose-country = Valitse maa
org-form-regions = Alueet
org-form-regions-hint = Yksi alue kullekin riville, esimerkiksi Pirkanmaa.
org-form-languages-hint = Kielikoodit pilkuilla erotettuina, esimerkiksi fi, sv, en.
org-form-people = Ketä tuette
org-form-offers = Aiheet, joista voitte jakaa tietoa
org-form-wants = Aiheet, joista haluatte oppia
org-form-hosts-events = Voimme järjestää oppimistapahtumia
org-form-accessibility = Saavutettavuusseloste
org-form-accessibility-hint = Miten ihmiset voivat tavoittaa teidät ja osallistua, esimerkiksi selkokieli, viittomakieli, esteetön kulku.
org-form-contact-email = Julkinen sähköpostiosoite
org-form-website = Verkkosivu
save-changes = Tallenna muutokset
org-form-add = Lisää organisaatio

## Stories, guides and ISF templates: shared parts

status-draft = Luonnos
status-submitted = Odottaa tarkistusta
status-approved = Hyväksytty, ei vielä julkaistu
status-published = Julkaistu
status-withdrawn = Poistettu julkaisusta
item-where-from = Mistä tämä on peräisin
item-version-number = versio { $number }
item-published-on = Julkaistu { $date }
item-shared-from-peer = { $name } jakoi tämän toiselta palvelimelta.
item-see-original = Katso alkuperäinen
item-topics = Aiheet
item-easy-read-of = Tämä on selkokielinen versio tekstistä
item-translation-of = Tämä on käännös tekstistä
item-easy-read-version = Selkokielinen versio
item-translation-into = Käännös ({ $lang })
item-other-versions = Muut versiot
item-other-versions-intro = Kirjoita tämä uudelleen muille lukijoille. Aloitat luonnoksesta, jota voit muuttaa. Kun se on julkaistu, tämä sivu linkittää siihen.
item-write-easy-read = Kirjoita selkokielinen versio
item-translation-language = Käännöksen kieli
item-language-code-hint = Kielikoodi, esimerkiksi fi, fr tai cs.
item-start-translation = Aloita käännös
item-for-your-organisation = Organisaatiollesi
item-status = Tila:
item-edit = Muokkaa
item-check-details = Tarkista tiedot ja suostumus
item-flags-to-review =
    { $count ->
        [one] (1 tarkistettava)
       *[other] ({ $count } tarkistettavaa)
    }
item-revisions = Versiot
item-submit = Lähetä tarkistettavaksi
item-approve = Hyväksy
item-publish = Julkaise
item-back-to-draft = Takaisin luonnokseksi
item-withdraw-reason = Syy julkaisun poistamiseen
item-withdraw = Poista julkaisusta
item-share-title = Jaa seuraajillesi
item-share-intro = Organisaatiotanne seuraavat kumppanit saavat sen, ja sen tekijä mainitaan.
item-share-as = Jaa organisaationa
item-share = Jaa
item-report = Ilmoita ongelmasta
item-report-what = Mikä on vialla?
item-report-hint = Esimerkiksi: siitä voi tunnistaa jonkun, tai se ei ole totta. Moderaattorit lukevat tämän.
item-report-send = Lähetä ilmoitus
item-adapt-title = Muokkaa tätä organisaatiollesi
item-adapt-intro = Tästä tehdään luonnos organisaatiollesi. Kopiossa kerrotaan aina, mistä se on peräisin.
item-adapt-organisation = Organisaatiosi
item-adapt-keep = Pidä: { $value }
item-adapt-currency = Valuutta
item-adapt-currency-hint = Kolmikirjaiminen koodi, esimerkiksi EUR. Jätä tyhjäksi, niin valuutta { $currency } säilyy.
item-adapt-rate = Vaihtokurssi
item-adapt-rate-hint = Paljonko 1 { $currency } on uudessa valuutassa, esimerkiksi 1,17. Jätä tyhjäksi, niin luvut säilyvät.
item-adapt = Muokkaa omaksi

## Item pages

story-about = Kenestä
story-pseudonym-aged = { $name }, ikä { $age }
story-told = Kertoja
story-where = Missä
story-when = Milloin
story-years = { $from }–{ $to }
item-licence = Lisenssi
story-good-practice = Hyvät käytännöt tarinassa
story-consent = Suostumus
story-consent-private = (vain organisaatiosi näkee tämän)
story-consent-covers = Kattaa:
story-consent-valid-until = Voimassa { $date } asti.
story-consent-withdrawn = Henkilö on perunut suostumuksensa.
story-consent-none = Suostumusta ei ole vielä kirjattu.
story-consent-record = Kirjaa suostumus
story-history = Historia
isf-notes = Huomiot
isf-printable = Tulostettava sivu
isf-download-csv = Lataa CSV-tiedostona
isf-download-json = Lataa JSON-tiedostona
guide-for = Kenelle
guide-stage = Vaihe
guide-applies-in = Koskee maita
guide-references = Lähteet
guide-all-versions = Katso kaikki versiot ja muutokset

## Versions and what changed

revisions-title = Versiot: ”{ $title }”
back-to-item = Takaisin: ”{ $title }”
revisions-caption = Valitse kaksi versiota, niin näet, mikä niiden välillä muuttui.
revisions-version = Versio
revisions-date = Päivä
revisions-what-changed = Mikä muuttui
revisions-from = Mistä
revisions-to = Mihin
revisions-compare-from = Vertaa versiosta { $number }
revisions-compare-to = Vertaa versioon { $number }
revisions-show = Näytä muutokset
reported-title = Kiitos ilmoituksestasi
reported-will-look = Sivuston moderaattorit katsovat kohteen ”{ $title }”.
reported-told-origin = Kerroimme asiasta myös sen sivuston moderaattoreille, josta se tuli. Emme kertoneet heille, kuka olet.
diff-title = Muutokset: { $title }
diff-all-versions = Kaikki versiot
diff-heading = Mikä muuttui: ”{ $title }”
diff-from-to = Versiosta { $from } versioon { $to }.
diff-key = Lisätyt sanat on <ins>alleviivattu</ins>. Poistetut sanat on <del>yliviivattu</del>.
diff-part-title = Otsikko
diff-part-text = Teksti
diff-part-other = Muut tiedot

## Writing a story, guide or ISF template

form-new = Uusi { $kind ->
        [case_story] tarina
        [isf_template] ISF-budjetti
       *[practice_guide] käytännön opas
    }
form-edit-heading = Muokkaa: ”{ $title }”
form-new-for = Uusi { $kind ->
        [case_story] tarina
        [isf_template] ISF-budjetti
       *[practice_guide] käytännön opas
    } ({ $name })
form-story-intro = Kerro, mikä muuttui yhden ihmisen elämässä ja miten. Käytä peitenimeä, älä ihmisen oikeaa nimeä. Älä mainitse aluetta pienempiä paikkoja tai tarkkoja päivämääriä. Mutual tarkistaa tekstin ennen kuin sen voi lähettää, ja toinen henkilö organisaatiostasi hyväksyy sen.
form-story-back-to-draft = Muutosten tallentaminen palauttaa tarinan luonnokseksi. Se pitää tarkistaa ja hyväksyä uudelleen.
form-summary-hint = Yksi tai kaksi lausetta. Tämä näkyy listoissa.
form-about-person = Henkilöstä
form-pseudonym = Peitenimi
form-pseudonym-optional = (jätä tyhjäksi, jos tarina kertoo ryhmästä)
form-pseudonym-hint = Nimi, jota tarina käyttää henkilöstä. Ei hänen oikea nimensä.
form-age = Ikä
form-not-said = Ei kerrottu
form-voice = Kuka kertoo tarinan
form-region = Alue
form-region-hint = Laaja alue, esimerkiksi Pirkanmaa. Ei koskaan kaupunkia tai katua.
form-year-from = Vuodesta
form-year-to = Vuoteen
form-good-practice = Hyvät käytännöt, joita tarina näyttää
form-audience = Kenelle opas on
form-stage = ISF-prosessin vaihe
form-any-stage = Mikä tahansa vaihe
form-jurisdictions = Maat, joita se koskee
form-jurisdictions-hint = Maakoodit pilkuilla erotettuina, esimerkiksi FI, GB tai GB-SCT.
form-body-story = Tarina
form-body-guide = Opas
form-body-hint = Voit käyttää Markdownia: ## otsikolle, *tähdet* korostukselle, - listalle.
form-references-hint = Yksi kullekin riville: otsikko, sitten | ja verkko-osoite.
form-lang = Tekstin kieli
form-lang-hint = Kielikoodi, esimerkiksi fi, en, cs tai fr-CA.
form-change-note = Mitä muutit?
form-save-draft = Tallenna luonnoksena

## Reports for moderators

moderation-intro = Täällä olevat jäsenet ja muiden palvelimien moderaattorit ilmoittavat sisällöstä, joka on heidän mielestään väärin. Lue jokainen ilmoitus, tee tarvittaessa jotain kohteelle ja merkitse ilmoitus käsitellyksi.
report-from-remote = Palvelimen { $instance } moderaattoreilta
report-from-member = Täkäläiseltä jäseneltä
report-from-member-forwarded = Täkäläiseltä jäseneltä, lähetetty myös kohteen kotipalvelimelle
report-resolve = Merkitse käsitellyksi
report-none = Ei avoimia ilmoituksia.

## Checking a story

review-title = Tarkista ”{ $title }”
review-back = Takaisin tarinaan
review-heading = Tarkista ”{ $title }” ennen kuin se jaetaan
review-private = Vain organisaatiosi näkee tämän sivun.
review-flags = Mahdolliset tunnistettavat tiedot
review-flags-intro = Mutual etsii nimiä, paikkoja, päivämääriä, yhteystietoja ja numeroita, joista henkilön voi tunnistaa. Se voi olla väärässä. Korjaa jokainen kohta tekstiin tai kerro, miksi se on turvallinen.
review-check-now = Tarkista nykyinen teksti (versio { $number })
review-characters = (merkit { $start }–{ $end })
review-open = Ei vielä ratkaistu
review-why-safe = Miksi tämän voi pitää?
review-keep = Pidä
review-change-text = Tai muuta tekstiä ja tarkista uudelleen.
review-kept = Pidetty: { $reason }
review-fixed = Korjattu
review-none-found = Versiosta { $number } ei löytynyt mahdollisia tunnistettavia tietoja.
review-none-found-or-not-run = Versiosta { $number } ei löytynyt mahdollisia tunnistettavia tietoja, tai tarkistusta ei ole vielä tehty.
review-recorded = Kirjattu:
review-not-shown = Tarinaa ei näytetä.
review-method = Miten henkilö antoi suostumuksen
review-choose = Valitse
review-scope = Henkilö suostui siihen, että tarina
review-expires = Suostumus päättyy
review-expires-optional = (vapaaehtoinen, VVVV-KK-PP)
review-save-consent = Tallenna suostumus
review-withdraw-note = Henkilö perui suostumuksensa. Huomio
review-withdraw = Peru suostumus ja poista tarina heti
review-earlier = Aiemmat tarkistukset

## Administration

admin-registration = Rekisteröityminen tällä sivustolla: { $mode }.
admin-registration-setting = Muuta sitä asetuksella <code>registration</code>.
admin-pending = Odottaa hyväksyntää
admin-asked-on = pyydetty { $date }
admin-reason = Syy: { $reason }
admin-nobody-waiting = Kukaan ei odota.
admin-invitations = Kutsut
admin-invitation-new = Uusi kutsukoodi.
admin-invitation-how = Lähetä se henkilölle, jonka kutsut. Se toimii kerran, 14 päivän ajan.
admin-invitation-create = Luo kutsukoodi
admin-accounts = Tilit
admin-suspend-or-restore = Estä tai palauta
admin-role-of = Käyttäjän { $username } rooli
admin-change-role = Vaihda rooli
admin-restore = Palauta
admin-suspend = Estä
admin-federation = Federointi
admin-federation-question = Minkä palvelimien kanssa tämä sivusto saa vaihtaa oppia?
admin-mode-open = Minkä tahansa, paitsi estettyjen
admin-mode-allowlist = Vain sallittujen listalla olevien (suljettu verkosto)
admin-domains-caption = Sallitut ja estetyt palvelimet
admin-instance = Palvelin
admin-rule = Sääntö
admin-note = Huomio
admin-remove = Poista
admin-instance-address = Palvelimen osoite
admin-instance-hint = Esimerkiksi mutual.example.org
admin-allow = Salli
admin-block = Estä
admin-add-rule = Lisää sääntö
admin-jobs = Taustatyöt
admin-no-jobs = Ei vielä töitä.

## ISF budget table

isf-scheme = Rahoitusmalli
isf-budget-period = Budjettikausi
isf-caption = Budjetti kaudelle ({ $period }) ja vuodelle, valuuttana { $currency }. Mutual laskee kaikki summat.
isf-what = Mitä
isf-kind = Laji
isf-rate-quantity = Hinta × määrä
isf-per-period = Kaudelta ({ $period })
isf-per-year = Vuodessa
isf-fixed-amount = Kiinteä summa
isf-lines-total = Budjettirivit yhteensä
isf-fee = Hallintomaksu
isf-fee-fixed = kiinteä
isf-fee-inside = budjetin sisällä
isf-fee-on-top = budjetin päälle
isf-direct-support = Rahaa tukeen maksun jälkeen
isf-total = Yhteensä
isf-fee-share = Hallintomaksu on { $percent } % kokonaissummasta. Se on noin { $weekly } { $currency } viikossa.
isf-fee-covers = Sillä maksetaan: { $items }.
isf-not-worked-out = Budjettia ei voi vielä laskea: { $problems }
isf-how-used = Miten rahaa voi käyttää
isf-banking = Käyttämättömän rahan säästäminen
isf-banking-allowed-up-to = Sallittu, enintään { $periods } kautta
isf-allowed = Sallittu
isf-not-allowed = Ei sallittu
isf-decides = Kuka päättää arjessa
isf-third-party = Muille maksettava osuus
isf-at-least-percent = Vähintään { $percent } %
isf-payments = Maksut
isf-reports = Raportit henkilölle
isf-review = Arviointi
isf-review-also-when = Myös silloin, kun: { $triggers }
isf-ending = Päättyminen
isf-notice-person = Henkilön irtisanomisaika on { $days } päivää.
isf-notice-provider = Palveluntuottajan irtisanomisaika on { $days } päivää.
isf-unspent = Käyttämätön raha: { $what }.
isf-handover = Palveluntuottajan on huolehdittava hyvästä siirrosta.
isf-outcomes = Mitä henkilö haluaa

## ISF template form

isff-where-funded = Missä ja miten se rahoitetaan
isff-scheme = Rahoitusmalli
isff-currency-hint = Kolmikirjaiminen koodi, esimerkiksi EUR, GBP tai CAD.
isff-period = Budjettikausi on
isff-lines = Budjettirivit
isff-lines-hint = Yksi rivi kullekin asialle, josta budjetti maksaa. Anna hinta ja määrä tai kiinteä summa. Mutual laskee summat.
isff-line-number = Rivi { $number }
isff-line-what = Mistä se maksaa
isff-unit = Yksikkö
isff-rate = Hinta
isff-quantity = Määrä
isff-or-fixed = Tai kiinteä summa
isff-rate-type = Hintatyyppi
isff-rate-type-example = päivä, yö…
isff-more-lines = Lisää rivejä
isff-fee-is = Maksu on
isff-fee-percent = Prosenttiosuus
isff-fee-fixed = Kiinteä summa joka kaudelta
isff-fee-value = Prosentti tai summa
isff-fee-paid = Maksu maksetaan
isff-fee-within = Budjetista (vähemmän rahaa tukeen)
isff-fee-addition = Budjetin päälle
isff-fee-covers = Mitä maksulla katetaan
isff-fee-covers-hint = Pilkuilla erotettuina, esimerkiksi palkanlaskenta, koulutus, päivystys.
isff-flexibility = Joustavuus, raportit ja arviointi
isff-banking = Käyttämättömän rahan tai tunnit voi säästää myöhemmäksi
isff-bank-periods = Säästä enintään kuinka monta kautta
isff-third-party = Muille käytettävä osuus, %
isff-payment = Miten palveluntuottajalle maksetaan
isff-payment-example = Neljän viikon välein etukäteen
isff-report-every = Raportti henkilölle
isff-report-shows = Raportissa näkyy
isff-review-when = Arvioi myös, kun
isff-optional-one-per-line = (vapaaehtoinen, yksi kullekin riville)
isff-notice-person = Henkilön irtisanomisaika päivinä
isff-notice-provider = Palveluntuottajan irtisanomisaika päivinä
isff-unspent = Käyttämätön raha
isff-handover = Palveluntuottajan on autettava siirrossa seuraavalle
isff-outcomes-hint = (yksi kullekin riville, henkilön omin sanoin)
