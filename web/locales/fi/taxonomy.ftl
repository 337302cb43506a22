# Sanastojen nimet. Tunnisteet (slug) eivät muutu.

## Oppimisen aiheet
topic-personnel = Henkilöstö
topic-power-accountability = Valta ja vastuu
topic-financial-management = Talouden hoito
topic-commissioning = Palvelujen hankinta
topic-cooperation = Yhteistyö
topic-quality = Laatu
topic-inclusion = Osallisuus
topic-team-management = Tiimien johtaminen
topic-risk-management = Riskien hallinta
topic-housing = Asuminen
topic-change-management = Muutoksen johtaminen
topic-planning-design = Suunnittelu
topic-empowerment = Voimaantuminen
topic-leadership = Johtajuus
topic-community-engagement = Yhteisön osallistaminen
topic-resourcing = Resurssit
topic-education = Oppiminen
topic-non-verbal-communication = Puhetta korvaava viestintä
topic-back-office = Tukitoiminnot
topic-legal = Lainsäädäntö
topic-advocacy = Edunvalvonta
topic-austerity = Säästöt
topic-jobs = Työ
topic-spirituality = Hengellisyys
topic-children = Lapset ja nuoret
topic-social-enterprise = Yhteiskunnallinen yritys
topic-system-change = Järjestelmän muutos

## Tuetut ihmiset
people-adults-learning-disabilities = Kehitysvammaiset aikuiset
people-children-learning-disabilities = Kehitysvammaiset lapset
people-adults-autism = Autismikirjon aikuiset
people-children-autism = Autismikirjon lapset
people-older-people = Apua tarvitsevat ikääntyneet
people-dementia = Muistisairaat
people-adults-physical-disabilities = Liikuntavammaiset aikuiset
people-children-physical-disabilities = Liikuntavammaiset lapset
people-adults-mental-health = Aikuiset, joilla on mielenterveyden tarpeita
people-children-mental-health = Lapset, joilla on mielenterveyden tarpeita
people-substance-use = Päihteitä käyttävät
people-children-in-care = Sijoitetut lapset
people-adults-complex-health = Aikuiset, joilla on vaativia terveystarpeita
people-children-complex-health = Lapset, joilla on vaativia terveystarpeita
people-end-of-life = Elämän loppuvaiheessa olevat
people-other = Muut

## Hyvän käytännön osat
practice-individualised-design = Yksilöllisesti suunnitellut palvelut
practice-creative-planning = Luova suunnittelu
practice-people-families-decide = Ihmiset ja perheet päättävät
practice-quality-checking-by-people = Ihmiset ja perheet arvioivat laatua
practice-individualised-policies = Yksilölliset toimintatavat
practice-matching-staff = Työntekijät sovitetaan ihmisiin
practice-housing-options = Kaikki asumisvaihtoehdot harkitaan
practice-protected-budget = Suojattu budjetti (henkilökohtainen palvelubudjetti)
practice-people-recruit-staff = Ihmiset ja perheet rekrytoivat työntekijät
practice-direct-management = Suora johtaminen mahdollista
