# Labels of the controlled vocabularies, by stable slug. The English labels come from
# server/src/taxonomy/taxonomy.json (a test keeps them the same).

## Learning topics
topic-personnel = Personnel
topic-power-accountability = Power and accountability
topic-financial-management = Financial management
topic-commissioning = Commissioning
topic-cooperation = Cooperation
topic-quality = Quality
topic-inclusion = Inclusion
topic-team-management = Team management
topic-risk-management = Risk management
topic-housing = Housing
topic-change-management = Change management
topic-planning-design = Planning and design
topic-empowerment = Empowerment
topic-leadership = Leadership
topic-community-engagement = Community engagement
topic-resourcing = Resourcing
topic-education = Education
topic-non-verbal-communication = Non-verbal communication
topic-back-office = Back office
topic-legal = Legal
topic-advocacy = Advocacy
topic-austerity = Austerity
topic-jobs = Jobs
topic-spirituality = Spirituality
topic-children = Children and young people
topic-social-enterprise = Social enterprise
topic-system-change = System change

## People supported
people-adults-learning-disabilities = Adults with learning or intellectual disabilities
people-children-learning-disabilities = Children with learning or intellectual disabilities
people-adults-autism = Adults on the autistic spectrum
people-children-autism = Children on the autistic spectrum
people-older-people = Older people who need assistance
people-dementia = People with dementia
people-adults-physical-disabilities = Adults with physical disabilities
people-children-physical-disabilities = Children with physical disabilities
people-adults-mental-health = Adults with mental health needs
people-children-mental-health = Children with mental health needs
people-substance-use = People with substance use problems
people-children-in-care = Children in care (looked-after children)
people-adults-complex-health = Adults with complex health care needs
people-children-complex-health = Children with complex health care needs
people-end-of-life = People with end-of-life conditions
people-other = Other

## Elements of good practice
practice-individualised-design = An individualised approach to service design
practice-creative-planning = Creative planning
practice-people-families-decide = People and families making decisions
practice-quality-checking-by-people = Quality checking by people and families
practice-individualised-policies = Individualised policies and procedures
practice-matching-staff = Matching staff to people
practice-housing-options = All housing options considered
practice-protected-budget = Protected budget (Individual Service Fund)
practice-people-recruit-staff = People and families recruit staff
practice-direct-management = Direct management possible
