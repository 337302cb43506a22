# Mutual's interface in English: the complete catalogue every other language follows.
# Keep sentences short and words plain (see docs/ACCESSIBILITY.md).

language-name = English

## Every page: header, navigation, footer

skip-to-main = Skip to main content
nav-main-label = Main
nav-search = Search
nav-stories = Stories
nav-guides = Guides
nav-isf-templates = ISF budgets
nav-organisations = Organisations
nav-account = Your account
nav-reports = Reports
nav-admin = Admin
nav-log-out = Log out
nav-log-in = Log in
nav-sign-up = Sign up
footer-about = This site runs Mutual, free software for sharing what we learn about personalised support.
language-switch-legend = Language
