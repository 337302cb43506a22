# Tyyppien ja muiden kiinteiden arvojen nimet suomeksi.

## Kinds of organisation

org-kind-provider = Tukipalvelujen tuottaja
org-kind-user-led = Palvelujen käyttäjien organisaatio
org-kind-family-led = Perheiden organisaatio
org-kind-broker = Tukihenkilöpalvelu
org-kind-commissioner = Järjestäjä tai rahoittaja
org-kind-research = Tutkimusorganisaatio
org-kind-advocacy = Edunvalvontajärjestö
org-kind-network = Organisaatioiden verkosto
org-kind-account = Tili toisella fediverse-palvelimella
