# Names of kinds and other fixed values, in English.

## Kinds of organisation

org-kind-provider = Support provider
org-kind-user-led = User-led organisation
org-kind-family-led = Family-led organisation
org-kind-broker = Support broker
org-kind-commissioner = Commissioner or funder
org-kind-research = Research organisation
org-kind-advocacy = Advocacy organisation
org-kind-network = Network of organisations
org-kind-account = Account on another fediverse server
