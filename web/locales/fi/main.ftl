# Mutualin käyttöliittymä suomeksi.

language-name = Suomi

## Jokainen sivu: otsake, valikko, alatunniste

skip-to-main = Siirry pääsisältöön
nav-main-label = Päävalikko
nav-search = Haku
nav-stories = Tarinat
nav-guides = Oppaat
nav-isf-templates = ISF-budjetit
nav-organisations = Organisaatiot
nav-account = Oma tili
nav-reports = Ilmoitukset
nav-admin = Ylläpito
nav-log-out = Kirjaudu ulos
nav-log-in = Kirjaudu sisään
nav-sign-up = Rekisteröidy
footer-about = Tämä sivusto käyttää Mutualia. Se on vapaa ohjelmisto, jolla jaamme oppimaamme henkilökohtaisesta tuesta.
language-switch-legend = Kieli
