# Lomakkeiden kiinteiden valintojen nimet.

## licence
choice-licence-CC-BY-4-0 = Creative Commons Nimeä 4.0
choice-licence-CC-BY-SA-4-0 = Creative Commons Nimeä-JaaSamoin 4.0
choice-licence-CC-BY-NC-4-0 = Creative Commons Nimeä-EiKaupallinen 4.0
choice-licence-CC-BY-NC-SA-4-0 = Creative Commons Nimeä-EiKaupallinen-JaaSamoin 4.0
choice-licence-CC-BY-ND-4-0 = Creative Commons Nimeä-EiMuutoksia 4.0
choice-licence-CC-BY-NC-ND-4-0 = Creative Commons Nimeä-EiKaupallinen-EiMuutoksia 4.0
choice-licence-CC0-1-0 = Vapaa käyttö (CC0 1.0)

## voice
choice-voice-first-person = Henkilö kertoo itse
choice-voice-told-with = Kerrottu yhdessä henkilön kanssa
choice-voice-told-about = Kerrottu henkilöstä

## consent-method
choice-consent-method-written = Kirjallinen suostumus
choice-consent-method-easy-read = Selkokielinen suostumuslomake
choice-consent-method-supported-decision = Tuettu päätös
choice-consent-method-recorded-verbal = Tallennettu suullinen suostumus
choice-consent-method-representative = Laillisen edustajan antama

## consent-scope
choice-consent-scope-web = Näytetään tällä sivustolla
choice-consent-scope-federate = Jaetaan kumppanijärjestöjen palvelimille
choice-consent-scope-translate = Käännetään muille kielille

## audience
choice-audience-person = Tukea saavat ihmiset
choice-audience-family = Perheet
choice-audience-provider = Palveluntuottajat
choice-audience-commissioner = Palvelujen hankkijat
choice-audience-worker = Tukityöntekijät

## stage
choice-stage-assessment = Arviointi
choice-stage-budget = Budjetin päättäminen
choice-stage-choosing = Palveluntuottajan valinta
choice-stage-planning = Suunnittelu
choice-stage-delivery = Tuen antaminen
choice-stage-review = Arviointi jälkikäteen
choice-stage-ending = Päättäminen tai muuttaminen

## scheme
choice-scheme-isf = Henkilökohtainen palvelubudjetti (ISF)
choice-scheme-sds-option2 = Itseohjautuva tuki, vaihtoehto 2 (Skotlanti)
choice-scheme-host-agency = Isäntäorganisaatio (Kanada)
choice-scheme-ndis-plan-mgmt = NDIS-suunnitelman hallinnointi (Australia)
choice-scheme-other = Muu

## line-kind
choice-line-kind-support-hours = Tukitunnit
choice-line-kind-sessional = Käyntikohtainen tuki
choice-line-kind-third-party = Kolmas osapuoli
choice-line-kind-equipment-at = Välineet ja apuvälineteknologia
choice-line-kind-travel = Matkat
choice-line-kind-activities = Toiminta
choice-line-kind-contingency = Varaus odottamattomiin menoihin
choice-line-kind-contribution = Henkilön oma osuus
choice-line-kind-other = Muu

## unit
choice-unit-hour = tunnilta
choice-unit-session = kerralta
choice-unit-day = päivältä
choice-unit-night = yöltä
choice-unit-week = viikolta
choice-unit-month = kuukaudelta
choice-unit-item = kappaleelta
choice-unit-km = kilometriltä
choice-unit-mile = maililta
choice-unit-fixed = kiinteä summa

## period
choice-period-week = Viikko
choice-period-four-weeks = Neljä viikkoa
choice-period-month = Kuukausi
choice-period-year = Vuosi

## report-shows
choice-report-shows-hours = Toteutuneet tunnit
choice-report-shows-rate = Hinnat
choice-report-shows-spend-by-line = Kulut riveittäin
choice-report-shows-balance = Jäljellä oleva raha
choice-report-shows-banked = Säästetyt tunnit tai raha

## every
choice-every-P1W = Joka viikko
choice-every-P4W = Joka neljäs viikko
choice-every-P1M = Joka kuukausi
choice-every-P3M = Joka kolmas kuukausi
choice-every-P6M = Joka kuudes kuukausi
choice-every-P1Y = Joka vuosi

## unspent
choice-unspent-stay-with-person = Jää henkilölle
choice-unspent-returned-to-funder = Palautetaan rahoittajalle
choice-unspent-transferred-to-next-provider = Siirtyy seuraavalle palveluntuottajalle

## decider
choice-decider-person = Henkilö itse
choice-decider-person-with-family = Henkilö perheen tai tukipiirin kanssa
choice-decider-person-with-provider = Henkilö palveluntuottajan kanssa
choice-decider-provider = Palveluntuottaja henkilön ohjeiden mukaan
