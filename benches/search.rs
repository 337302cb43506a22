//! Search benchmarks (a program, not a test): indexing throughput, in-process query latency
//! and whole-request latency of the embedded engine over a synthetic corpus of 10,000 and
//! 100,000 documents in seven languages. Run: `cargo bench --bench search` (`-- --quick` for
//! 10,000 documents only, `-- --docs N` for other sizes). Figures go to docs/PERFORMANCE.md.
//!
//! The corpus is generated from a fixed seed, so every run searches the same documents with
//! the same queries: the first 10,000 documents of the 100,000 are the 10,000 corpus. It is
//! streamed into the index in batches and never held whole, so the memory figures are the
//! engine's. The whole-request figures come from the real server (`Application`) started in
//! a child process (this program run with `--serve DIR`) over the index just built, so its
//! resident memory is the server's alone. Alongside, it takes the time apart: the same
//! queries without hits (page 501: match, count and facets only), tantivy on its own (one
//! term, every document, with and without facet counting) and one snippet per language.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mutual::config::Config;
use mutual::search::embedded::EmbeddedEngine;
use mutual::search::{DocType, Facet, SearchDocument, SearchQuery, Sort};
use mutual::startup::Application;
use mutual::taxonomy::{Taxonomy, GOOD_PRACTICE, LEARNING_TOPICS, PEOPLE_SUPPORTED};
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

const CORPUS_SEED: u64 = 20_261_124;
const QUERY_SEED: u64 = 7;
const WARM_UP_SEED: u64 = 8;
const BATCH: usize = 1_000;
const DEFAULT_SIZES: [usize; 2] = [10_000, 100_000];
const QUERIES_PER_CLASS: usize = 300;
const WARM_UP_PER_CLASS: usize = 40;
const ORGANISATIONS: usize = 200;
/// Documents kept aside (evenly through the corpus) to draw query words and phrases from.
const SAMPLE: usize = 2_000;
/// 2026-10-01T00:00:00Z: documents are published in the five years before.
const NEWEST: i64 = 1_790_812_800;
const FIVE_YEARS: i64 = 5 * 365 * 86_400;

// ---------------------------------------------------------------------------------------
// Vocabulary: per language, frequent function words and a few hundred words of social care
// and support, roughly most frequent first (drawn with a Zipf-like weighting).

const EN_FUNCTION: &str =
    "the of and to a in for with on that is was are were be as by at from it \
this they we our their her his she he who which not but or have has had more all can will would \
when each so also about into after before every there";
const EN_CONTENT: &str = "support person people family families staff team care home life budget \
service services plan planning supported supporting individual individualised week hours worker \
workers provider providers commissioner commissioners council local authority housing tenancy \
carer carers caring homes lives budgets fund funding plans planned meeting meetings review reviews \
reviewed choice choices control decision decisions decide decided weeks hour night day days \
morning evening community communities neighbour neighbours friend friends relationship \
relationships trust trusted listen listened listening learn learned learning change changed \
changes changing recruit recruited recruitment interview interviews matching matched rota shift \
shifts manager managers leadership coach coaching training trained practice practices policy \
policies procedure procedures risk risks safe safety safeguarding health mental wellbeing autism \
autistic dementia disability disabilities young children child parents parent mother father \
brother sister school college job jobs work working employment volunteer volunteering money \
costs cost spending spend saved savings pay paid contract contracts outcome outcomes goal goals \
dream dreams hope hopes independence independent flat garden kitchen bus travel holiday music \
swimming walking cooking shopping church football art dog communication signs pictures words \
voice advocate advocacy rights law legal assessment assessed eligible eligibility hospital doctor \
nurse medication behaviour challenging crisis restraint restrictive positive approach approaches \
circle circles network networks story stories template guide example examples experience \
experiences together slowly gradually first new old small large better best good difficult \
important personal flexible creative honest open quietly everyday regular weekly monthly agreed \
agreement paperwork records record notes invoice invoices account accounts finance banking \
banked unused flexibility organisation organisations charity cooperative enterprise partnership \
partners sharing shared questions answer problem problems solution solutions moved moving move \
lived living live started starting ended stopped helped helps help helping wanted wants asked \
asking showed found felt thought said knew enjoys enjoyed visits visited tenancies landlord \
citizenship belonging inclusion included direct payments payment brokerage personalised \
commissioning contracting allocation allocated respite";

const FR_FUNCTION: &str =
    "le la les de des du un une et à au aux en pour avec sur dans par qui que \
est sont était a ont ne pas plus son sa ses leur leurs nous notre nos ils elle il ce cette ces \
mais ou aussi chaque très tout tous";
const FR_CONTENT: &str = "accompagnement personne personnes famille familles équipe vie projet \
budget service services accompagner accompagné accompagnée aidant aidants équipes professionnel \
professionnels salarié salariés soins soin logement logements domicile projets budgets \
financement individuel individuelle individualisé personnalisé personnalisée établissement \
établissements département conseil commune plan plans réunion réunions bilan bilans choix \
choisir choisi décision décisions décider semaine semaines heures heure nuit jour jours matin \
soir quartier voisins voisin ami amis amie relation relations confiance écoute écouter apprendre \
appris changement changements changer recrutement recruter recruté entretien entretiens planning \
horaires responsable responsables direction encadrement formation formations formé pratique \
pratiques procédure procédures risque risques sécurité protection santé mentale autisme autiste \
autistes démence handicap handicapés handicapée déficience intellectuelle jeunes enfant enfants \
parents mère père frère sœur école collège emploi travail travailler bénévole bénévoles argent \
coût coûts dépenses économies salaire contrat contrats résultats objectif objectifs rêve rêves \
espoir autonomie autonome appartement jardin cuisine transport vacances musique piscine \
promenade courses sport peinture chien communication pictogrammes langage voix droits loi \
juridique évaluation hôpital médecin infirmière traitement comportement crise contention \
positive approche approches cercle réseau réseaux histoire histoires modèle guide exemple \
exemples expérience expériences ensemble progressivement premier première nouveau nouvelle \
petit petite grand grande meilleur difficile important importante personnelle souple créatif \
créative quotidien quotidienne régulier hebdomadaire mensuel accord dossier dossiers notes \
facture factures comptes gestion finances association associations coopérative entreprise \
partenariat partenaires partage partagé questions réponse problème problèmes solution solutions \
déménagé déménagement vivait vit vivre commencé arrêté aidé aide aider voulait veut demandé \
montré trouvé senti pensé dit savait aime aimait visite visité inclusion citoyenneté \
participation habitat inclusif dispositif orientation allocation prestation compensation \
tutelle curatelle auxiliaire éducateur éducatrice éducateurs accompagnants coordinatrice \
coordination parcours";

const ES_FUNCTION: &str =
    "el la los las de del un una y a al en para con por que es son era fue ha \
han no más su sus nuestro nuestra ellos ella él este esta estos pero o también cada muy todo \
todos se lo como";
const ES_CONTENT: &str = "apoyo persona personas familia familias equipo vida proyecto \
presupuesto servicio servicios apoyos apoyar apoyado cuidador cuidadores equipos profesional \
profesionales trabajadores cuidados vivienda viviendas hogar proyectos presupuestos \
financiación individual individualizado personalizada entidad entidades ayuntamiento comunidad \
plan planes planificación reunión reuniones revisión elección elegir eligió decisión decisiones \
decidir semana semanas horas hora noche día días mañana tarde barrio vecinos amigo amigos amiga \
relación relaciones confianza escuchar escucha aprender aprendió aprendizaje cambio cambios \
cambiar contratación contratar entrevista entrevistas turnos turno responsable dirección \
liderazgo formación formado práctica prácticas procedimiento procedimientos riesgo riesgos \
seguridad protección salud mental bienestar autismo autista demencia discapacidad \
discapacidades intelectual jóvenes niño niños niña padres madre padre hermano hermana escuela \
colegio empleo trabajo trabajar voluntario voluntariado dinero coste costes gastos ahorro sueldo \
contrato contratos resultados objetivo objetivos sueño sueños esperanza autonomía independiente \
piso jardín cocina autobús transporte vacaciones música piscina paseo compras deporte pintura \
perro comunicación pictogramas lenguaje voz derechos ley jurídico valoración hospital médico \
enfermera medicación conducta crisis sujeciones positivo enfoque círculo red redes historia \
historias plantilla guía ejemplo ejemplos experiencia experiencias juntos poco primero primera \
nuevo nueva pequeño grande mejor difícil importante personal flexible creativo diario cotidiana \
regular semanal mensual acuerdo expediente notas factura facturas cuentas gestión finanzas \
asociación fundación cooperativa empresa alianza socios compartir compartido preguntas \
respuesta problema problemas solución soluciones mudó mudanza vivía vive vivir empezó dejó \
ayudó ayuda ayudar quería quiere pidió mostró encontró sintió pensó dijo sabía gusta visita \
visitó inclusión ciudadanía participación asistente asistencia educador educadora coordinadora \
coordinación dependencia prestación itinerario centrada centrado";

const FI_FUNCTION: &str = "ja on oli ei se että kun myös hän he me meidän heidän niin mutta tai \
joka jotka tämä nämä sekä vain kanssa jo vielä nyt sitten kaikki ovat olivat voi pitää eli";
const FI_CONTENT: &str = "tuki tuen henkilö ihmiset perhe työntekijä avustaja palvelu koti \
elämä tukea tuettu tuetun tukeminen henkilön henkilöt ihminen ihmisen ihmisten perheen perheet \
omainen omaiset omaisten työntekijät työntekijöiden avustajat avustajan henkilökohtainen tiimi \
tiimin hoito hoidon hoiva kodin kotona asuminen asumisen asunto asunnon elämän budjetti \
budjetin rahoitus yksilöllinen yksilöllisen palvelun palvelut palveluiden palveluntuottaja kunta \
kunnan hyvinvointialue hyvinvointialueen suunnitelma suunnitelman suunnittelu kokous \
kokouksessa arviointi valinta valinnat päätös päätökset päättää viikko viikossa viikon tunnit \
tuntia yö päivä päivän päivät aamu ilta illalla yhteisö yhteisön naapuri naapurit ystävä \
ystävät ystävien suhde suhteet luottamus kuunnella kuunteleminen oppia oppinut oppiminen \
muutos muutoksen muutokset rekrytointi rekrytoida haastattelu haastattelut työvuoro työvuorot \
esihenkilö johtaminen johtajuus valmennus koulutus koulutuksen käytäntö käytännöt ohje ohjeet \
riski riskit turvallisuus turvallinen terveys mielenterveys hyvinvointi autismi autismikirjon \
muistisairaus muistisairaat vammainen vammaiset vammaisten kehitysvamma kehitysvammainen \
kehitysvammaiset kehitysvammaisten nuori nuoret nuorten lapsi lapset lasten vanhemmat äiti isä \
veli sisko koulu koulussa työ työtä työssä työpaikka vapaaehtoinen vapaaehtoiset raha rahaa \
kustannukset kulut säästö palkka sopimus sopimukset tulokset tavoite tavoitteet unelma unelmat \
toive toiveet itsenäisyys itsenäinen asunnossa puutarha keittiö bussi matka loma musiikki \
uinti kävely ruoanlaitto kaupassa urheilu kirkko koira kommunikointi kuvat viittomat puhe ääni \
oikeudet laki lain oikeudellinen palvelutarpeen sairaala lääkäri hoitaja lääkitys \
käyttäytyminen kriisi rajoitustoimenpiteet myönteinen toimintatapa tukipiiri verkosto \
verkostot tarina tarinat malli opas esimerkki esimerkit kokemus kokemukset yhdessä vähitellen \
ensimmäinen uusi uuden pieni suuri parempi paras hyvä vaikea tärkeä tärkeää joustava luova \
rehellinen arki arjen arjessa säännöllinen viikoittain kuukausittain sovittu sopimuksen \
kirjaukset muistiinpanot lasku laskut kirjanpito talous talouden järjestö järjestön osuuskunta \
yritys yhteistyö yhteistyössä kumppanit jakaminen jaettu kysymykset vastaus ongelma ongelmat \
ratkaisu ratkaisut muutti muuttaminen asui asuu aloitti lopetti auttoi apu auttaa halusi haluaa \
kysyi näytti löysi tunsi ajatteli sanoi tiesi nauttii vierailee osallisuus osallisuuden asiakas \
asiakkaan asiakkaat ohjaaja ohjaajat lähityöntekijä sosiaalityöntekijä henkilökohtaisen avun \
työnantaja työnantajamalli palveluseteli omaishoitaja omaishoito vammaispalvelut \
vammaispalvelulaki asumisyksikkö ryhmäkoti";

const SV_FUNCTION: &str =
    "och i att det som en ett på är för med av till den de om har var inte men \
eller också vi vår våra deras hon han hans hennes sin sina där när alla varje mycket så kan ska";
const SV_CONTENT: &str = "stöd personen familj personal assistans boende omsorg liv budget \
tjänster stödet stödja person personer familjen familjer anhörig anhöriga personalen \
medarbetare assistent assistenter personlig team vård omsorgen hem hemmet hemma bostad \
lägenhet livet budgeten finansiering individuell individuella tjänst anordnare kommun kommunen \
välfärdsområde plan planen planering möte mötet möten uppföljning val valet beslut besluten \
bestämma vecka veckan veckor timmar timme natt dag dagen dagar morgon kväll samhälle grannar \
granne vän vänner relation relationer förtroende lyssna lyssnade lära lärde lärande förändring \
förändringar rekrytering rekrytera intervju intervjuer schema arbetspass chef ledare \
ledarskap handledning utbildning utbildad praktik rutiner rutin risk risker säkerhet trygghet \
hälsa psykisk psykiska välbefinnande autism demens funktionsnedsättning funktionsnedsättningar \
intellektuell unga barn barnen föräldrar mamma pappa bror syster skola skolan arbete jobb \
sysselsättning frivillig frivilliga pengar kostnad kostnader besparing lön avtal avtalet \
resultat mål målen dröm drömmar hopp självständighet självständig trädgård kök buss resa \
semester musik simning promenad matlagning handla idrott hund kommunikation bilder tecken röst \
rättigheter lag lagen juridisk bedömning sjukhus läkare sjuksköterska medicin beteende kris \
tvång positiv arbetssätt nätverk nätverket berättelse berättelser mall guide vägledning exempel \
erfarenhet erfarenheter tillsammans gradvis första ny nya liten stor bättre bäst bra svårt \
viktigt viktig personliga flexibel kreativ ärlig vardag vardagen regelbunden veckovis \
månadsvis överenskommelse dokumentation anteckningar faktura fakturor ekonomi ekonomin \
förening kooperativ företag samarbete partner delning delade frågor svar problem lösning \
lösningar flyttade flytta bodde bor bo började slutade hjälpte hjälp hjälpa ville vill frågade \
visade hittade kände tänkte sa visste tycker besöker delaktighet inflytande brukare brukaren \
boendestöd gruppbostad daglig verksamhet insats insatser handläggare biståndsbedömning";

const EL_FUNCTION: &str = "και το η ο οι τα του της των τον την σε στο στη στην στους με για από \
που είναι ήταν να θα δεν αλλά ή επίσης κάθε πολύ όλοι όλα μας τους αυτό αυτή ένα μια ένας";
const EL_CONTENT: &str = "υποστήριξη άτομο άτομα οικογένεια ομάδα φροντίδα σπίτι ζωή \
υπηρεσίες σχέδιο υποστήριξης υποστηρίζει υποστηρίζουμε ατόμου ατόμων οικογένειας οικογένειες \
φροντιστής φροντιστές προσωπικό προσωπικού εργαζόμενοι εργαζομένων ομάδας φροντίδας σπιτιού \
στέγαση στέγασης διαμέρισμα ζωής προϋπολογισμός προϋπολογισμού χρηματοδότηση χρηματοδότησης \
εξατομικευμένη εξατομικευμένης ατομικό υπηρεσία υπηρεσιών πάροχος φορέας φορέα δήμος δήμου \
σχεδίου σχεδιασμός συνάντηση συναντήσεις αξιολόγηση επιλογή επιλογές απόφαση αποφάσεις \
αποφασίζει εβδομάδα εβδομάδες ώρες ώρα νύχτα μέρα ημέρα ημέρες πρωί βράδυ κοινότητα \
κοινότητας γειτονιά γείτονες φίλος φίλοι φίλους σχέση σχέσεις εμπιστοσύνη ακούμε ακρόαση \
μάθηση μάθαμε αλλαγή αλλαγές αλλαγών πρόσληψη προσλήψεις συνέντευξη βάρδια βάρδιες \
υπεύθυνος διευθυντής ηγεσία καθοδήγηση εκπαίδευση εκπαίδευσης πρακτική πρακτικές διαδικασία \
διαδικασίες κίνδυνος κινδύνους ασφάλεια προστασία υγεία ψυχική ευεξία αυτισμός αυτισμό άνοια \
αναπηρία αναπηρίες αναπηρίας νοητική νέοι νέων παιδί παιδιά παιδιών γονείς μητέρα πατέρας \
αδελφός αδελφή σχολείο εργασία δουλειά απασχόληση εθελοντής εθελοντές χρήματα κόστος δαπάνες \
εξοικονόμηση μισθός σύμβαση συμβάσεις αποτελέσματα στόχος στόχοι όνειρο όνειρα ελπίδα \
αυτονομία ανεξάρτητη ανεξάρτητος κήπος κουζίνα λεωφορείο ταξίδι διακοπές μουσική κολύμβηση \
περίπατος μαγείρεμα ψώνια αθλητισμός εκκλησία σκύλος επικοινωνία εικόνες νοηματική φωνή \
δικαιώματα νόμος νομική νοσοκομείο γιατρός νοσηλεύτρια φαρμακευτική συμπεριφορά κρίση θετική \
προσέγγιση κύκλος δίκτυο δίκτυα ιστορία ιστορίες πρότυπο οδηγός παράδειγμα παραδείγματα \
εμπειρία εμπειρίες μαζί σταδιακά πρώτη πρώτο νέο νέα μικρό μεγάλο καλύτερα καλή δύσκολο \
σημαντικό προσωπική ευέλικτη δημιουργική καθημερινή καθημερινότητα τακτική εβδομαδιαία \
μηνιαία συμφωνία αρχείο σημειώσεις τιμολόγιο λογαριασμοί οικονομικά σύλλογος συνεταιρισμός \
επιχείρηση συνεργασία συνεργάτες μοιραζόμαστε ερωτήσεις απάντηση πρόβλημα προβλήματα λύση \
λύσεις μετακόμισε ζούσε ζει ξεκίνησε σταμάτησε βοήθησε βοήθεια ήθελε θέλει ρώτησε έδειξε \
βρήκε ένιωσε σκέφτηκε είπε ήξερε απολαμβάνει επισκέπτεται ένταξη ένταξης συμμετοχή \
αποϊδρυματοποίηση";

const CS_FUNCTION: &str =
    "a v ve na se je jsou byl byla bylo to že s z do pro k o po jako ale nebo \
také který která které jejich její jeho naše náš každý velmi už ještě když tak jsme si";
const CS_CONTENT: &str = "podpora člověk lidé rodina služby péče bydlení život asistence \
podpory podporu podporovat podporované člověka lidí rodiny rodinu pečující pečujících pracovník \
pracovníci pracovníků asistent asistenti osobní tým týmu péči domov domova doma byt bytě \
života rozpočet rozpočtu financování individuální služba služeb poskytovatel poskytovatelé \
obec obce kraj kraje plán plánu plánování schůzka schůzky hodnocení volba výběr rozhodnutí \
rozhodovat týden týdně hodin hodiny noc den dny ráno večer komunita komunity sousedé soused \
přítel přátelé vztah vztahy důvěra naslouchat učit naučil naučila učení změna změny změn nábor \
pohovor pohovory směna směny vedoucí vedení koučink vzdělávání školení praxe postup postupy \
riziko rizika bezpečí bezpečnost ochrana zdraví duševní pohoda autismus autismem demence \
demencí postižení postižením mentálním mladí dítě děti dětí rodiče matka otec bratr sestra \
škola školy práce zaměstnání dobrovolník dobrovolníci peníze náklady výdaje úspora mzda \
smlouva smlouvy výsledky cíl cíle sen sny naděje samostatnost samostatný samostatně zahrada \
kuchyně autobus cesta dovolená hudba plavání procházka vaření nákupy sport kostel pes \
komunikace obrázky znakový hlas práva zákon právní posouzení nemocnice lékař léky chování \
krize omezení pozitivní přístup kruh síť sítě příběh příběhy šablona průvodce příklad příklady \
zkušenost zkušenosti společně postupně první nový nová malý velký lepší nejlepší dobrý obtížné \
důležité pružný kreativní každodenní pravidelně měsíčně dohoda dokumentace poznámky faktura \
faktury účetnictví finance spolek družstvo podnik spolupráce partneři sdílení sdílené otázky \
odpověď problém problémy řešení přestěhoval přestěhovala bydlí žije žít začal začala přestal \
pomohl pomohla pomoc pomáhat chtěl chtěla chce zeptal ukázal našel našla cítila myslel řekl \
řekla věděl baví navštěvuje začlenění transformace ústavní sociální sociálních klient klienta \
klienti uživatel uživatelé chráněné";

const LATIN: &str = "abcdefghijklmnopqrstuvwxyz";
const GREEK: &str = "αβγδεζηθικλμνξοπρστυφχψω";

struct LanguageSpec {
    code: &'static str,
    /// Share of documents, in percent.
    weight: u32,
    function: &'static str,
    content: &'static str,
    /// Letters a typo may put in (plain ones, so folding cannot undo the typo).
    alphabet: &'static str,
    countries: &'static [(&'static str, u32)],
    org_suffixes: &'static [&'static str],
}

const LANGUAGES: [LanguageSpec; 7] = [
    LanguageSpec {
        code: "en",
        weight: 46,
        function: EN_FUNCTION,
        content: EN_CONTENT,
        alphabet: LATIN,
        countries: &[
            ("GB-ENG", 30),
            ("GB-SCT", 12),
            ("GB-WLS", 6),
            ("GB-NIR", 4),
            ("IE", 8),
            ("US", 12),
            ("CA", 8),
            ("AU", 10),
            ("NZ", 6),
            ("IN", 4),
        ],
        org_suffixes: &["Support", "Trust", "Partnership", "CIC", "Ltd", "Network"],
    },
    LanguageSpec {
        code: "fr",
        weight: 10,
        function: FR_FUNCTION,
        content: FR_CONTENT,
        alphabet: LATIN,
        countries: &[("FR", 80), ("CA", 20)],
        org_suffixes: &["Association", "Coopérative", "Fondation"],
    },
    LanguageSpec {
        code: "es",
        weight: 10,
        function: ES_FUNCTION,
        content: ES_CONTENT,
        alphabet: LATIN,
        countries: &[("ES", 100)],
        org_suffixes: &["Fundación", "Asociación", "Cooperativa"],
    },
    LanguageSpec {
        code: "fi",
        weight: 12,
        function: FI_FUNCTION,
        content: FI_CONTENT,
        alphabet: LATIN,
        countries: &[("FI", 100)],
        org_suffixes: &["ry", "Oy", "osuuskunta"],
    },
    LanguageSpec {
        code: "sv",
        weight: 6,
        function: SV_FUNCTION,
        content: SV_CONTENT,
        alphabet: LATIN,
        countries: &[("FI", 50), ("SE", 50)],
        org_suffixes: &["rf", "AB", "förening"],
    },
    LanguageSpec {
        code: "el",
        weight: 7,
        function: EL_FUNCTION,
        content: EL_CONTENT,
        alphabet: GREEK,
        countries: &[("GR", 100)],
        org_suffixes: &["ΑΜΚΕ", "Σύλλογος"],
    },
    LanguageSpec {
        code: "cs",
        weight: 9,
        function: CS_FUNCTION,
        content: CS_CONTENT,
        alphabet: LATIN,
        countries: &[("CZ", 85), ("SK", 15)],
        org_suffixes: &["z.s.", "o.p.s.", "z.ú."],
    },
];

const REGIONS: &[(&str, &[&str])] = &[
    (
        "GB-ENG",
        &[
            "Yorkshire",
            "Cumbria",
            "Kent",
            "Devon",
            "London",
            "Greater Manchester",
        ],
    ),
    (
        "GB-SCT",
        &["Highland", "Fife", "Glasgow", "Edinburgh", "Aberdeenshire"],
    ),
    ("GB-WLS", &["Cardiff", "Powys", "Gwynedd"]),
    ("GB-NIR", &["Belfast", "Antrim"]),
    ("IE", &["Dublin", "Cork", "Galway"]),
    ("US", &["Oregon", "Ohio", "Vermont", "Minnesota"]),
    ("CA", &["Ontario", "Québec", "Manitoba"]),
    ("AU", &["Victoria", "Queensland", "Tasmania"]),
    ("NZ", &["Auckland", "Canterbury", "Otago"]),
    ("IN", &["Kerala", "Karnataka"]),
    (
        "FR",
        &["Bretagne", "Occitanie", "Normandie", "Île-de-France"],
    ),
    ("ES", &["Cataluña", "Andalucía", "Galicia", "Madrid"]),
    ("FI", &["Uusimaa", "Pirkanmaa", "Lappi", "Pohjois-Savo"]),
    ("SE", &["Stockholm", "Skåne", "Västra Götaland"]),
    ("GR", &["Αττική", "Κρήτη", "Θεσσαλία"]),
    ("CZ", &["Praha", "Jihomoravský kraj", "Olomoucký kraj"]),
    ("SK", &["Bratislava", "Košice"]),
];

const ORG_KINDS: &[&str] = &[
    "Provider",
    "Commissioner",
    "Family network",
    "Advocacy group",
    "Cooperative",
    "Self-advocacy group",
];

fn zipf(n: usize, exponent: f64) -> WeightedIndex<f64> {
    WeightedIndex::new((0..n).map(|i| 1.0 / ((i + 1) as f64).powf(exponent)))
        .expect("positive weights")
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

struct Language {
    code: &'static str,
    function: Vec<&'static str>,
    content: Vec<&'static str>,
    function_words: BTreeSet<&'static str>,
    function_dist: WeightedIndex<f64>,
    content_dist: WeightedIndex<f64>,
    alphabet: Vec<char>,
    countries: Vec<&'static str>,
    country_dist: WeightedIndex<u32>,
    org_suffixes: &'static [&'static str],
}

impl Language {
    fn new(spec: &LanguageSpec) -> Language {
        let function: Vec<&'static str> = spec.function.split_whitespace().collect();
        let content: Vec<&'static str> = spec.content.split_whitespace().collect();
        Language {
            code: spec.code,
            function_words: function.iter().copied().collect(),
            function_dist: zipf(function.len(), 0.9),
            content_dist: zipf(content.len(), 0.8),
            function,
            content,
            alphabet: spec.alphabet.chars().collect(),
            countries: spec.countries.iter().map(|(c, _)| *c).collect(),
            country_dist: WeightedIndex::new(spec.countries.iter().map(|(_, w)| *w))
                .expect("country weights"),
            org_suffixes: spec.org_suffixes,
        }
    }

    fn content_word(&self, rng: &mut StdRng) -> &'static str {
        self.content[self.content_dist.sample(rng)]
    }

    fn word(&self, rng: &mut StdRng) -> &'static str {
        if rng.gen_bool(0.42) {
            self.function[self.function_dist.sample(rng)]
        } else {
            self.content_word(rng)
        }
    }

    fn country(&self, rng: &mut StdRng) -> &'static str {
        self.countries[self.country_dist.sample(rng)]
    }

    fn is_function_word(&self, word: &str) -> bool {
        self.function_words.contains(word.to_lowercase().as_str())
    }

    /// Sentences up to `words` words; English text also names the document's vocabulary
    /// terms now and then, as real stories do.
    fn text(&self, rng: &mut StdRng, words: usize, labels: &[String], out: &mut String) {
        let mut written = 0;
        let mut in_paragraph = 0;
        while written < words {
            let length = rng.gen_range(6..=18).min(words - written).max(1);
            if !out.is_empty() {
                if in_paragraph >= rng.gen_range(3..=6) {
                    out.push_str("\n\n");
                    in_paragraph = 0;
                } else {
                    out.push(' ');
                }
            }
            let label_at = (self.code == "en" && !labels.is_empty() && rng.gen_bool(0.2))
                .then(|| rng.gen_range(0..length));
            for i in 0..length {
                if i == 0 {
                    out.push_str(&capitalised(self.word(rng)));
                } else {
                    out.push(' ');
                    if rng.gen_bool(0.015) {
                        out.push_str(&rng.gen_range(1..500).to_string());
                    } else {
                        out.push_str(self.word(rng));
                    }
                }
                if label_at == Some(i) {
                    if let Some(label) = labels.choose(rng) {
                        out.push(' ');
                        out.push_str(&label.to_lowercase());
                    }
                }
            }
            out.push('.');
            written += length;
            in_paragraph += 1;
        }
    }

    fn title(&self, rng: &mut StdRng, labels: &[String]) -> String {
        let words = rng.gen_range(4..=9);
        let mut title = String::new();
        let mut count = 0;
        if self.code == "en" && rng.gen_bool(0.3) {
            if let Some(label) = labels.choose(rng) {
                title.push_str(label);
                title.push(':');
                count = label.split_whitespace().count();
            }
        }
        while count < words {
            let word = if rng.gen_bool(0.2) {
                self.function[self.function_dist.sample(rng)]
            } else {
                self.content_word(rng)
            };
            if title.is_empty() {
                title.push_str(&capitalised(word));
            } else {
                title.push(' ');
                title.push_str(word);
            }
            count += 1;
        }
        title
    }
}

struct Organisation {
    handle: String,
    name: String,
    lang: usize,
    country: &'static str,
    local: bool,
}

/// The corpus: the same documents, in the same order, for the same seed.
struct Corpus {
    rng: StdRng,
    languages: Vec<Language>,
    language_dist: WeightedIndex<u32>,
    organisations: Vec<Organisation>,
    organisation_dist: WeightedIndex<f64>,
    topics: Vec<(String, String)>,
    topic_dist: WeightedIndex<f64>,
    people: Vec<(String, String)>,
    practice: Vec<String>,
    type_dist: WeightedIndex<u32>,
    next: usize,
}

const TYPES: [(DocType, u32); 4] = [
    (DocType::CaseStory, 40),
    (DocType::PracticeGuide, 30),
    (DocType::IsfTemplate, 20),
    (DocType::Organisation, 10),
];

impl Corpus {
    fn new(seed: u64) -> Corpus {
        let mut rng = StdRng::seed_from_u64(seed);
        let languages: Vec<Language> = LANGUAGES.iter().map(Language::new).collect();
        let language_dist =
            WeightedIndex::new(LANGUAGES.iter().map(|l| l.weight)).expect("language weights");
        let taxonomy = Taxonomy::get();
        let terms = |vocabulary: &str| -> Vec<(String, String)> {
            taxonomy
                .terms(vocabulary)
                .iter()
                .map(|t| (t.slug.clone(), t.label.clone()))
                .collect()
        };
        let mut topics = terms(LEARNING_TOPICS);
        // Some topics are far more written about than others; which ones is fixed by the seed.
        topics.shuffle(&mut rng);
        let topic_dist = zipf(topics.len(), 0.7);
        let people = terms(PEOPLE_SUPPORTED);
        let practice = terms(GOOD_PRACTICE)
            .into_iter()
            .map(|(_, label)| label)
            .collect();
        assert!(
            !topics.is_empty() && !people.is_empty(),
            "the taxonomy has no topics or people supported"
        );
        let mut organisations: Vec<Organisation> = Vec::with_capacity(ORGANISATIONS);
        let mut handles = BTreeSet::new();
        for n in 0..ORGANISATIONS {
            let lang = language_dist.sample(&mut rng);
            let language = &languages[lang];
            let words: Vec<String> = (0..rng.gen_range(1..=3))
                .map(|_| capitalised(language.content_word(&mut rng)))
                .collect();
            let suffix = language
                .org_suffixes
                .choose(&mut rng)
                .copied()
                .unwrap_or_default();
            let name = format!("{} {suffix}", words.join(" "));
            let mut handle: String = slug::slugify(words.join(" ")).chars().take(30).collect();
            if !handles.insert(handle.clone()) {
                handle = format!("{handle}-{n}");
                handles.insert(handle.clone());
            }
            let local = rng.gen_bool(0.7);
            if !local {
                handle = format!("{handle}@peer{}.example", rng.gen_range(1..=12));
            }
            organisations.push(Organisation {
                handle,
                name,
                lang,
                country: language.country(&mut rng),
                local,
            });
        }
        Corpus {
            rng,
            languages,
            language_dist,
            organisation_dist: zipf(organisations.len(), 0.8),
            organisations,
            topics,
            topic_dist,
            people,
            practice,
            type_dist: WeightedIndex::new(TYPES.iter().map(|(_, w)| *w)).expect("type weights"),
            next: 0,
        }
    }

    fn countries_of(code: &str, out: &mut Vec<String>) {
        if !out.iter().any(|c| c == code) {
            out.push(code.to_string());
        }
        if let Some((country, _)) = code.split_once('-') {
            if !out.iter().any(|c| c == country) {
                out.push(country.to_string());
            }
        }
    }

    fn document(&mut self) -> SearchDocument {
        let rng = &mut self.rng;
        let n = self.next;
        self.next += 1;
        let doc_type = TYPES[self.type_dist.sample(rng)].0;
        let org = &self.organisations[self.organisation_dist.sample(rng)];
        // Most organisations write in their own language; some items are translations.
        let lang = if doc_type == DocType::Organisation || rng.gen_bool(0.9) {
            org.lang
        } else {
            self.language_dist.sample(rng)
        };
        let language = &self.languages[lang];
        let mut topics: Vec<String> = Vec::new();
        for _ in 0..rng.gen_range(1..=3) {
            let slug = &self.topics[self.topic_dist.sample(rng)].0;
            if !topics.contains(slug) {
                topics.push(slug.clone());
            }
        }
        let mut people: Vec<String> = Vec::new();
        for _ in 0..rng.gen_range(0..=2) {
            if let Some((slug, _)) = self.people.choose(rng) {
                if !people.contains(slug) {
                    people.push(slug.clone());
                }
            }
        }
        let taxonomy = Taxonomy::get();
        let mut tags: Vec<String> = topics
            .iter()
            .map(|s| taxonomy.label(LEARNING_TOPICS, s).to_string())
            .chain(
                people
                    .iter()
                    .map(|s| taxonomy.label(PEOPLE_SUPPORTED, s).to_string()),
            )
            .collect();
        if doc_type != DocType::Organisation {
            for _ in 0..rng.gen_range(0..=2) {
                if let Some(label) = self.practice.choose(rng) {
                    if !tags.contains(label) {
                        tags.push(label.clone());
                    }
                }
            }
        }
        let mut countries = Vec::new();
        let home = if lang == org.lang {
            org.country
        } else {
            language.country(rng)
        };
        Self::countries_of(home, &mut countries);
        if doc_type != DocType::Organisation && rng.gen_bool(0.12) {
            Self::countries_of(language.country(rng), &mut countries);
        }
        let (title, body, path) = if doc_type == DocType::Organisation {
            // A profile: its name, regions and kind, and a few lines about it.
            let how_many = rng.gen_range(1..=2);
            let regions: Vec<&str> = REGIONS
                .iter()
                .find(|(c, _)| *c == org.country)
                .map(|(_, r)| r.choose_multiple(rng, how_many).copied().collect())
                .unwrap_or_default();
            let kind = ORG_KINDS.choose(rng).copied().unwrap_or_default();
            let mut body = format!("{}\n{kind}\n", regions.join(", "));
            let words = rng.gen_range(20..=80);
            language.text(rng, words, &tags, &mut body);
            (
                org.name.clone(),
                body,
                format!("/organisations/{}", org.handle),
            )
        } else {
            let title = language.title(rng, &tags);
            let mut body = String::new();
            let words = rng.gen_range(150..=400);
            language.text(rng, words, &tags, &mut body);
            let segment = match doc_type {
                DocType::CaseStory => "stories",
                DocType::IsfTemplate => "isf-templates",
                _ => "guides",
            };
            let slug: String = slug::slugify(&title).chars().take(60).collect();
            (
                title,
                body,
                format!("/organisations/{}/{segment}/{slug}-{n}", org.handle),
            )
        };
        let mut summary = String::new();
        let words = rng.gen_range(15..=30);
        language.text(rng, words, &tags, &mut summary);
        let id = uuid::Builder::from_random_bytes(rng.gen())
            .into_uuid()
            .to_string();
        SearchDocument {
            id,
            doc_type,
            path,
            title,
            summary,
            body,
            tags,
            topics,
            people,
            countries,
            lang: language.code.to_string(),
            organisation: org.handle.clone(),
            organisation_name: org.name.clone(),
            local: org.local,
            published: NEWEST - rng.gen_range(0..FIVE_YEARS),
            version: 1,
        }
    }

    fn batch(&mut self, count: usize) -> Vec<SearchDocument> {
        (0..count).map(|_| self.document()).collect()
    }

    fn language(&self, code: &str) -> &Language {
        self.languages
            .iter()
            .find(|l| l.code == code)
            .unwrap_or(&self.languages[0])
    }
}

// ---------------------------------------------------------------------------------------
// Queries

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Single,
    Two,
    Typo,
    Phrase,
    Filtered,
    Faceted,
    Browse,
    Prefix,
}

impl Class {
    const ALL: [Class; 8] = [
        Class::Single,
        Class::Two,
        Class::Typo,
        Class::Phrase,
        Class::Filtered,
        Class::Faceted,
        Class::Browse,
        Class::Prefix,
    ];

    fn name(self) -> &'static str {
        match self {
            Class::Single => "single word",
            Class::Two => "two words",
            Class::Typo => "typo",
            Class::Phrase => "phrase",
            Class::Filtered => "filtered",
            Class::Faceted => "faceted",
            Class::Browse => "browse",
            Class::Prefix => "prefix",
        }
    }
}

/// One search, as a person would send it: words without a trailing space (the API trims
/// `q`, so the last word is always also matched as a prefix), filters, order, page.
#[derive(Debug, Clone)]
struct Spec {
    class: Class,
    /// The language of the document the words come from.
    lang: &'static str,
    text: String,
    filters: Vec<(Facet, String)>,
    by_date: bool,
    page: usize,
}

impl Spec {
    fn query(&self) -> SearchQuery {
        let mut query = SearchQuery::new(self.text.clone());
        for (facet, value) in &self.filters {
            query = query.filter(*facet, value.clone());
        }
        if self.by_date {
            query = query.sorted(Sort::Date);
        }
        query.paged(self.page, mutual::search::DEFAULT_PER_PAGE)
    }

    fn url(&self, base: &str) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.text.is_empty() {
            pairs.push(("q", self.text.clone()));
        }
        for (facet, value) in &self.filters {
            pairs.push((facet.as_str(), value.clone()));
        }
        if self.by_date {
            pairs.push(("sort", "date".into()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        url::Url::parse_with_params(&format!("{base}/api/v1/search"), &pairs)
            .expect("search URL")
            .to_string()
    }
}

/// Words of a text, sentence by sentence (as the index splits them).
fn sentences(text: &str) -> Vec<Vec<&str>> {
    text.split(['.', '\n'])
        .map(|s| {
            s.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// A word worth searching for: a content word, not a number.
fn content_words<'a>(doc: &'a SearchDocument, language: &Language) -> Vec<&'a str> {
    [&doc.title, &doc.summary, &doc.body]
        .into_iter()
        .flat_map(|t| {
            t.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 3)
        })
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()) && !language.is_function_word(w))
        .collect()
}

fn with_typo(rng: &mut StdRng, word: &str, alphabet: &[char]) -> String {
    let mut chars: Vec<char> = word.to_lowercase().chars().collect();
    // Not the first letter: people rarely get that one wrong.
    let at = rng.gen_range(1..chars.len());
    let original = chars[at];
    // Not the letter itself, nor its plain form (folding would undo an `é` for an `e`).
    let plain = slug::slugify(original.to_string()).chars().next();
    let candidates: Vec<char> = alphabet
        .iter()
        .copied()
        .filter(|&c| c != original && Some(c) != plain)
        .collect();
    if let Some(&replacement) = candidates.choose(rng) {
        chars[at] = replacement;
    }
    chars.into_iter().collect()
}

fn queries(corpus: &Corpus, sample: &[SearchDocument], seed: u64, per_class: usize) -> Vec<Spec> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut specs = Vec::new();
    for class in Class::ALL {
        let mut made = 0;
        let mut attempts = 0;
        while made < per_class {
            attempts += 1;
            assert!(
                attempts < per_class * 100,
                "could not make {class:?} queries"
            );
            let Some(doc) = sample.choose(&mut rng) else {
                break;
            };
            let language = corpus.language(&doc.lang);
            let words = content_words(doc, language);
            let mut spec = Spec {
                class,
                lang: language.code,
                text: String::new(),
                filters: Vec::new(),
                by_date: false,
                page: 1,
            };
            match class {
                Class::Single => {
                    let Some(word) = words.choose(&mut rng) else {
                        continue;
                    };
                    spec.text = word.to_lowercase();
                }
                Class::Two => {
                    let (Some(a), Some(b)) = (words.choose(&mut rng), words.choose(&mut rng))
                    else {
                        continue;
                    };
                    if a.eq_ignore_ascii_case(b) {
                        continue;
                    }
                    spec.text = format!("{} {}", a.to_lowercase(), b.to_lowercase());
                }
                Class::Typo => {
                    let long: Vec<&&str> =
                        words.iter().filter(|w| w.chars().count() >= 6).collect();
                    let Some(word) = long.choose(&mut rng) else {
                        continue;
                    };
                    spec.text = with_typo(&mut rng, word, &language.alphabet);
                }
                Class::Phrase => {
                    let body = sentences(&doc.body);
                    let Some(sentence) = body.choose(&mut rng) else {
                        continue;
                    };
                    if sentence.len() < 2 {
                        continue;
                    }
                    let at = rng.gen_range(0..sentence.len() - 1);
                    let (a, b) = (sentence[at], sentence[at + 1]);
                    if language.is_function_word(a) && language.is_function_word(b) {
                        continue;
                    }
                    spec.text = format!("\"{} {}\"", a.to_lowercase(), b.to_lowercase());
                }
                Class::Filtered => {
                    let Some(word) = words.choose(&mut rng) else {
                        continue;
                    };
                    spec.text = word.to_lowercase();
                    spec.filters
                        .push((Facet::Type, doc.doc_type.as_str().to_string()));
                    spec.filters.push((Facet::Lang, doc.lang.clone()));
                }
                Class::Faceted => {
                    let (Some(word), Some(topic), Some(country)) = (
                        words.choose(&mut rng),
                        doc.topics.choose(&mut rng),
                        doc.countries.choose(&mut rng),
                    ) else {
                        continue;
                    };
                    spec.text = word.to_lowercase();
                    spec.filters.push((Facet::Topic, topic.clone()));
                    spec.filters.push((Facet::Country, country.clone()));
                }
                Class::Browse => {
                    spec.by_date = true;
                    if rng.gen_bool(0.2) {
                        spec.page = rng.gen_range(2..=5);
                    }
                }
                Class::Prefix => {
                    let long: Vec<&&str> =
                        words.iter().filter(|w| w.chars().count() >= 5).collect();
                    let Some(word) = long.choose(&mut rng) else {
                        continue;
                    };
                    let length = rng.gen_range(3..=4);
                    spec.text = word.to_lowercase().chars().take(length).collect();
                }
            }
            specs.push(spec);
            made += 1;
        }
    }
    specs
}

// ---------------------------------------------------------------------------------------
// Measuring

#[derive(Debug, Clone, Copy, Default)]
struct Memory {
    rss_kb: u64,
    hwm_kb: u64,
    anon_kb: u64,
    file_kb: u64,
}

impl Memory {
    fn of(pid: Option<u32>) -> Memory {
        let path = match pid {
            Some(pid) => format!("/proc/{pid}/status"),
            None => "/proc/self/status".to_string(),
        };
        let status = std::fs::read_to_string(path).unwrap_or_default();
        let field = |name: &str| -> u64 {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kb| kb.parse().ok())
                .unwrap_or(0)
        };
        Memory {
            rss_kb: field("VmRSS:"),
            hwm_kb: field("VmHWM:"),
            anon_kb: field("RssAnon:"),
            file_kb: field("RssFile:"),
        }
    }

    fn describe(&self) -> String {
        format!(
            "RSS {} MB (anonymous {} MB, mapped files {} MB), peak {} MB",
            self.rss_kb / 1024,
            self.anon_kb / 1024,
            self.file_kb / 1024,
            self.hwm_kb / 1024
        )
    }
}

/// CPU time a process has used (user + system), from `/proc/<pid>/stat`.
fn cpu_time(pid: Option<u32>) -> Duration {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/stat"),
        None => "/proc/self/stat".to_string(),
    };
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    // Fields after the command name (which may hold spaces): state is the first, then
    // utime and stime are the 12th and 13th.
    let ticks: u64 = stat
        .rsplit_once(')')
        .map(|(_, rest)| {
            rest.split_whitespace()
                .skip(11)
                .take(2)
                .filter_map(|t| t.parse::<u64>().ok())
                .sum()
        })
        .unwrap_or(0);
    // USER_HZ is 100 on Linux.
    Duration::from_millis(ticks * 10)
}

/// Waits until a process is idle (background merges, the server's start-up check): two
/// half-seconds in a row with under 3% of a core used. Returns how long that took.
fn settle(pid: Option<u32>) -> Duration {
    let started = Instant::now();
    let mut quiet = 0;
    let mut before = cpu_time(pid);
    while quiet < 2 && started.elapsed() < Duration::from_secs(600) {
        std::thread::sleep(Duration::from_millis(500));
        let now = cpu_time(pid);
        if now.saturating_sub(before) < Duration::from_millis(15) {
            quiet += 1;
        } else {
            quiet = 0;
        }
        before = now;
    }
    started.elapsed()
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn segments(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("meta.json"))
        .ok()
        .and_then(|meta| serde_json::from_str::<serde_json::Value>(&meta).ok())
        .and_then(|meta| meta["segments"].as_array().map(Vec::len))
        .unwrap_or(0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// CPU time the hypervisor gave to other machines while this one wanted it (`steal` in
/// /proc/stat, in the kernel's ticks of 1/100 s), summed over the cores: this machine's
/// slow spells show here, and a run with much of it says more about the host than the code.
fn stolen_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    stat.lines().next()?.split_whitespace().nth(8)?.parse().ok()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[derive(Debug, Clone, Default)]
struct Latency {
    count: usize,
    p50: f64,
    p95: f64,
    p99: f64,
    max: f64,
    mean_hits: f64,
}

impl Latency {
    fn of(mut times: Vec<Duration>, hits: &[u64]) -> Latency {
        times.sort();
        let n = times.len();
        let at = |q: f64| -> f64 {
            if n == 0 {
                return 0.0;
            }
            let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
            ms(times[rank - 1])
        };
        Latency {
            count: n,
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            max: times.last().map(|d| ms(*d)).unwrap_or(0.0),
            mean_hits: if hits.is_empty() {
                0.0
            } else {
                hits.iter().sum::<u64>() as f64 / hits.len() as f64
            },
        }
    }
}

/// Each class's p99, for the summary: `single word 2.10, two words 2.57, …`.
fn p99s(rows: &[(Class, Latency)]) -> String {
    rows.iter()
        .map(|(c, l)| format!("{} {:.2}", c.name(), l.p99))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The class with the highest p99: `worst 2.68 ms (phrase)`.
fn worst(rows: &[(Class, Latency)]) -> String {
    let (p99, class) = rows
        .iter()
        .map(|(c, l)| (l.p99, *c))
        .fold((0.0, Class::Single), |a, b| if b.0 > a.0 { b } else { a });
    format!("worst {p99:.2} ms ({})", class.name())
}

fn print_table(title: &str, rows: &[(Class, Latency)]) {
    println!("  {title}");
    println!(
        "    {:<12} {:>7} {:>8} {:>8} {:>8} {:>8} {:>11}",
        "class", "queries", "p50 ms", "p95 ms", "p99 ms", "max ms", "mean hits"
    );
    for (class, l) in rows {
        println!(
            "    {:<12} {:>7} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>11.0}",
            class.name(),
            l.count,
            l.p50,
            l.p95,
            l.p99,
            l.max,
            l.mean_hits
        );
    }
}

struct ServerFigures {
    startup: Duration,
    settle: Duration,
    idle: Memory,
    after: Memory,
    rows: Vec<(Class, Latency)>,
}

struct SizeFigures {
    docs: usize,
    generate: Duration,
    index: Duration,
    commit: Duration,
    merge: Duration,
    rate: f64,
    index_bytes: u64,
    segments: usize,
    baseline: Memory,
    after_indexing: Memory,
    after_queries: Memory,
    rows: Vec<(Class, Latency)>,
    /// The same queries again, the classes taking turns.
    interleaved: Vec<(Class, Latency)>,
    /// The same queries asking for no hits (page 501): matching, counting and facets only.
    count_only: Vec<(Class, Latency)>,
    breakdown: Vec<(&'static str, Latency)>,
    server: Option<ServerFigures>,
}

/// Kills the server child however the measurement ends.
struct ServerProcess(Child);

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn measure_server(data_dir: &Path, specs: &[Spec], warm_up: &[Spec]) -> ServerFigures {
    let exe = std::env::current_exe().expect("the path of this program");
    let started = Instant::now();
    let mut child = ServerProcess(
        Command::new(exe)
            .arg("--serve")
            .arg(data_dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .env("RUST_LOG", "error")
            .spawn()
            .expect("start the server"),
    );
    let pid = child.0.id();
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().expect("server output"))
        .read_line(&mut line)
        .expect("read the server's port");
    let port: u16 = line
        .trim()
        .strip_prefix("port ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("the server did not say its port: {line:?}"));
    let base = format!("http://127.0.0.1:{port}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = reqwest::Client::new();
    runtime.block_on(async {
        loop {
            let ready = client
                .get(format!("{base}/api/v1/search?q=support"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ready {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "the server did not answer"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    let startup = started.elapsed();
    // Let the start-up index check (it reads every document's version) finish first.
    let settled = settle(Some(pid));
    let idle = Memory::of(Some(pid));
    let send = |url: String| {
        let client = &client;
        async move {
            let response = client.get(&url).send().await.expect("search request");
            let status = response.status();
            let body = response.bytes().await.expect("search response");
            assert!(
                status.is_success(),
                "{url} answered {status}: {}",
                String::from_utf8_lossy(&body)
            );
            body
        }
    };
    let warm_urls: Vec<String> = warm_up.iter().map(|s| s.url(&base)).collect();
    runtime.block_on(async {
        for url in warm_urls {
            send(url).await;
        }
    });
    let mut rows = Vec::new();
    for class in Class::ALL {
        let urls: Vec<String> = specs
            .iter()
            .filter(|s| s.class == class)
            .map(|s| s.url(&base))
            .collect();
        let (times, hits) = runtime.block_on(async {
            let mut times = Vec::with_capacity(urls.len());
            let mut bodies = Vec::with_capacity(urls.len());
            for url in urls {
                let t = Instant::now();
                let body = send(url).await;
                times.push(t.elapsed());
                bodies.push(body);
            }
            let hits: Vec<u64> = bodies
                .iter()
                .map(|b| {
                    serde_json::from_slice::<serde_json::Value>(b)
                        .ok()
                        .and_then(|v| v["total"].as_u64())
                        .unwrap_or(0)
                })
                .collect();
            (times, hits)
        });
        rows.push((class, Latency::of(times, &hits)));
    }
    let after = Memory::of(Some(pid));
    drop(child);
    ServerFigures {
        startup,
        settle: settled,
        idle,
        after,
        rows,
    }
}

/// What loading the corpus into an index gave: the documents kept aside to draw queries
/// from, and the time spent generating documents and adding them (without the commit).
struct Loaded {
    sample: Vec<SearchDocument>,
    generate: Duration,
    index: Duration,
}

/// Adds `docs` documents of `corpus` to `engine` in batches, uncommitted, keeping every
/// `docs / SAMPLE`-th aside.
fn load(engine: &EmbeddedEngine, corpus: &mut Corpus, docs: usize) -> Loaded {
    let step = (docs / SAMPLE).max(1);
    let mut loaded = Loaded {
        sample: Vec::with_capacity(SAMPLE + 1),
        generate: Duration::ZERO,
        index: Duration::ZERO,
    };
    let mut done = 0;
    while done < docs {
        let count = BATCH.min(docs - done);
        let t = Instant::now();
        let batch = corpus.batch(count);
        loaded.generate += t.elapsed();
        loaded.sample.extend(
            batch
                .iter()
                .enumerate()
                .filter(|(i, _)| (done + i) % step == 0)
                .map(|(_, d)| d.clone()),
        );
        let t = Instant::now();
        engine.add_now(&batch).expect("add documents");
        loaded.index += t.elapsed();
        done += count;
    }
    loaded
}

fn measure(docs: usize, root: &Path, per_class: usize, with_server: bool) -> SizeFigures {
    println!("\n== {docs} documents ==");
    let data_dir = root.join(docs.to_string()).join("data");
    let index_dir = data_dir.join("search");
    let baseline = Memory::of(None);
    let engine = EmbeddedEngine::open(&index_dir).expect("open a fresh index");
    let mut corpus = Corpus::new(CORPUS_SEED);
    let Loaded {
        sample,
        generate,
        index,
    } = load(&engine, &mut corpus, docs);
    let t = Instant::now();
    engine.commit().expect("commit");
    let commit = t.elapsed();
    let total = index + commit;
    let rate = docs as f64 / total.as_secs_f64();
    println!(
        "  indexing: {rate:.0} documents/s ({:.2} s adding in batches of {BATCH} + {:.2} s final commit; generating the corpus took {:.2} s, not counted)",
        index.as_secs_f64(),
        commit.as_secs_f64(),
        generate.as_secs_f64()
    );
    // Background merges started by the commit: wait for them, then search the merged index,
    // as a server opening it would.
    let merge = settle(None);
    engine.commit().expect("reload after merges");
    let index_bytes = dir_size(&index_dir);
    let segment_count = segments(&index_dir);
    let after_indexing = Memory::of(None);
    println!(
        "  background merges settled after {:.1} s; index on disk {:.0} MB in {segment_count} segments",
        merge.as_secs_f64(),
        index_bytes as f64 / 1e6
    );
    println!("  memory after indexing: {}", after_indexing.describe());

    let specs = queries(&corpus, &sample, QUERY_SEED, per_class);
    let warm_up = queries(&corpus, &sample, WARM_UP_SEED, WARM_UP_PER_CLASS);
    for spec in &warm_up {
        engine.search_now(&spec.query()).expect("warm-up search");
    }
    let mut rows = Vec::new();
    let mut by_language: Vec<(&'static str, Vec<Duration>, Vec<u64>)> = LANGUAGES
        .iter()
        .map(|l| (l.code, Vec::new(), Vec::new()))
        .collect();
    for class in Class::ALL {
        let mut times = Vec::new();
        let mut hits = Vec::new();
        for spec in specs.iter().filter(|s| s.class == class) {
            let query = spec.query();
            let t = Instant::now();
            let results = engine.search_now(&query).expect("search");
            let took = t.elapsed();
            times.push(took);
            hits.push(results.total);
            if class != Class::Browse {
                if let Some((_, t, h)) = by_language.iter_mut().find(|(l, ..)| *l == spec.lang) {
                    t.push(took);
                    h.push(results.total);
                }
            }
        }
        rows.push((class, Latency::of(times, &hits)));
    }
    // The same searches again, the classes taking turns as mixed traffic would send them: a
    // stall of the machine (on this VM single searches sometimes take 10-70 ms, whatever
    // they are) then slows a search or two of several classes rather than a run of one
    // class's. Reported beside the class-by-class figures, not instead of them.
    let mut interleaved: Vec<(Class, Vec<Duration>, Vec<u64>)> = Class::ALL
        .iter()
        .map(|&class| (class, Vec::new(), Vec::new()))
        .collect();
    let by_class: Vec<Vec<&Spec>> = Class::ALL
        .iter()
        .map(|&class| specs.iter().filter(|s| s.class == class).collect())
        .collect();
    for turn in 0..per_class {
        for (specs_of_class, (_, times, hits)) in by_class.iter().zip(interleaved.iter_mut()) {
            let Some(spec) = specs_of_class.get(turn) else {
                continue;
            };
            let query = spec.query();
            let t = Instant::now();
            let results = engine.search_now(&query).expect("search");
            times.push(t.elapsed());
            hits.push(results.total);
        }
    }
    let interleaved: Vec<(Class, Latency)> = interleaved
        .into_iter()
        .map(|(class, times, hits)| (class, Latency::of(times, &hits)))
        .collect();
    let after_queries = Memory::of(None);
    print_table(
        "in-process search_now (20 hits with snippets, facets counted):",
        &rows,
    );
    print_table(
        "in-process, the same searches again with the classes taking turns:",
        &interleaved,
    );
    println!("  memory after queries: {}", after_queries.describe());
    println!("  the same, every class but browse, by the language of the words searched:");
    println!(
        "    {:<12} {:>7} {:>8} {:>8} {:>8} {:>8} {:>11}",
        "language", "queries", "p50 ms", "p95 ms", "p99 ms", "max ms", "mean hits"
    );
    for (lang, times, hits) in by_language {
        let l = Latency::of(times, &hits);
        println!(
            "    {:<12} {:>7} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>11.0}",
            lang, l.count, l.p50, l.p95, l.p99, l.max, l.mean_hits
        );
    }
    print_slowest(&engine, &specs);
    // Where the time goes: the same queries without hits (page 501 is past the result window,
    // so the engine only matches, counts and counts facets), then tantivy directly.
    let mut count_only = Vec::new();
    for class in Class::ALL {
        let mut times = Vec::new();
        let mut hits = Vec::new();
        for spec in specs.iter().filter(|s| s.class == class) {
            let query = spec.query().paged(501, mutual::search::DEFAULT_PER_PAGE);
            let t = Instant::now();
            let results = engine.search_now(&query).expect("search");
            times.push(t.elapsed());
            hits.push(results.total);
        }
        count_only.push((class, Latency::of(times, &hits)));
    }
    print_table(
        "in-process, the same queries without hits (match + count + facets only):",
        &count_only,
    );
    let breakdown = breakdown(&engine, &index_dir, &specs);
    println!("  where the time goes, single-word queries (p50 / p99 ms):");
    for (what, l) in &breakdown {
        println!("    {what:<58} {:>7.3} / {:>7.3}", l.p50, l.p99);
    }
    let snippets = snippet_costs(&corpus, &sample);
    drop(sample);
    println!(
        "  one snippet from one body (a page builds 20), p50 / p99 ms by language: {}",
        snippets
            .iter()
            .map(|(lang, l)| format!("{lang} {:.3} / {:.3}", l.p50, l.p99))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // The server opens the same index: this process must let go of it first.
    drop(engine);

    let server = with_server.then(|| {
        let figures = measure_server(&data_dir, &specs, &warm_up);
        println!(
            "  server (child process): answering after {:.2} s, start-up check done after {:.1} s more",
            figures.startup.as_secs_f64(),
            figures.settle.as_secs_f64()
        );
        print_table(
            "GET /api/v1/search over keep-alive HTTP, sequential (client-measured):",
            &figures.rows,
        );
        println!("  server memory idle: {}", figures.idle.describe());
        println!("  server memory after queries: {}", figures.after.describe());
        figures
    });
    SizeFigures {
        docs,
        generate,
        index,
        commit,
        merge,
        rate,
        index_bytes,
        segments: segment_count,
        baseline,
        after_indexing,
        after_queries,
        rows,
        interleaved,
        count_only,
        breakdown,
        server,
    }
}

/// What one snippet costs, by language: the engine builds one per hit (20 a page) from the
/// opening of the document's body, folded, stemming only words that start like a query word.
fn snippet_costs(corpus: &Corpus, sample: &[SearchDocument]) -> Vec<(&'static str, Latency)> {
    let mut rng = StdRng::seed_from_u64(QUERY_SEED);
    LANGUAGES
        .iter()
        .map(|spec| {
            let language = corpus.language(spec.code);
            let docs: Vec<&SearchDocument> = sample
                .iter()
                .filter(|d| d.lang == spec.code)
                .take(200)
                .collect();
            let mut times = Vec::new();
            let mut lengths = Vec::new();
            for doc in docs {
                let Some(word) = content_words(doc, language).choose(&mut rng).copied() else {
                    continue;
                };
                let t = Instant::now();
                let snippet = mutual::search::embedded::body_snippet(word, spec.code, &doc.body);
                times.push(t.elapsed());
                lengths.push(snippet.map_or(0, |s| s.len() as u64));
            }
            (spec.code, Latency::of(times, &lengths))
        })
        .collect()
}

/// The slowest in-process searches, with what they asked and found.
fn print_slowest(engine: &EmbeddedEngine, specs: &[Spec]) {
    let mut timed: Vec<(Duration, &Spec, u64)> = specs
        .iter()
        .map(|spec| {
            let query = spec.query();
            let t = Instant::now();
            let total = engine.search_now(&query).expect("search").total;
            (t.elapsed(), spec, total)
        })
        .collect();
    timed.sort_by_key(|t| std::cmp::Reverse(t.0));
    println!("  slowest searches (timed again):");
    for (took, spec, total) in timed.iter().take(6) {
        let filters: Vec<String> = spec
            .filters
            .iter()
            .map(|(f, v)| format!("{}={v}", f.as_str()))
            .collect();
        println!(
            "    {:>7.2} ms  {:<12} {:?} {} page {} -> {total} hits",
            ms(*took),
            spec.class.name(),
            spec.text,
            filters.join(" "),
            spec.page
        );
    }
}

/// The single-word queries taken apart: the engine with and without hits, then tantivy
/// itself on the index just built: the word's exact folded term alone, with and without
/// facet counting, and every document with and without facet counting.
fn breakdown(
    engine: &EmbeddedEngine,
    index_dir: &Path,
    specs: &[Spec],
) -> Vec<(&'static str, Latency)> {
    use tantivy::collector::{Count, FacetCollector, FacetCounts};
    use tantivy::query::{AllQuery, TermQuery};
    use tantivy::schema::{Facet as TantivyFacet, IndexRecordOption};
    use tantivy::tokenizer::{
        AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    };

    let index = tantivy::Index::open_in_dir(index_dir).expect("open the index to read");
    let reader: tantivy::IndexReader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .expect("reader");
    let searcher = reader.searcher();
    let all = index.schema().get_field("all").expect("the all field");
    let mut folded = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let words: Vec<&Spec> = specs.iter().filter(|s| s.class == Class::Single).collect();
    let term_queries: Vec<TermQuery> = words
        .iter()
        .filter_map(|spec| {
            let mut stream = folded.token_stream(&spec.text);
            stream.advance().then(|| {
                TermQuery::new(
                    tantivy::Term::from_field_text(all, &stream.token().text),
                    IndexRecordOption::WithFreqs,
                )
            })
        })
        .collect();
    let facets = || {
        let mut collector = FacetCollector::for_field("facets");
        for facet in Facet::ALL {
            collector.add_facet(TantivyFacet::from_path([facet.as_str()]));
        }
        collector
    };
    let read_counts = |counts: &FacetCounts| -> usize {
        Facet::ALL
            .iter()
            .map(|f| counts.get(TantivyFacet::from_path([f.as_str()])).count())
            .sum()
    };
    fn time(n: usize, mut run: impl FnMut(usize) -> u64) -> Latency {
        let mut times = Vec::with_capacity(n);
        let mut hits = Vec::with_capacity(n);
        for i in 0..n {
            let t = Instant::now();
            let total = run(i);
            times.push(t.elapsed());
            hits.push(total);
        }
        Latency::of(times, &hits)
    }
    let page = mutual::search::DEFAULT_PER_PAGE;
    vec![
        (
            "engine: full search (20 hits, snippets, facets)",
            time(words.len(), |i| {
                engine.search_now(&words[i].query()).expect("search").total
            }),
        ),
        (
            "engine: match + count + facets, no hits (page 501)",
            time(words.len(), |i| {
                let query = words[i].query().paged(501, page);
                engine.search_now(&query).expect("search").total
            }),
        ),
        (
            "tantivy: the exact word (one term), count + facets",
            time(term_queries.len(), |i| {
                let (count, counts) = searcher
                    .search(&term_queries[i], &(Count, facets()))
                    .expect("search");
                read_counts(&counts);
                count as u64
            }),
        ),
        (
            "tantivy: the exact word (one term), count",
            time(term_queries.len(), |i| {
                searcher.search(&term_queries[i], &Count).expect("search") as u64
            }),
        ),
        (
            "tantivy: every document, count + facets",
            time(50, |_| {
                let (count, counts) = searcher
                    .search(&AllQuery, &(Count, facets()))
                    .expect("search");
                read_counts(&counts);
                count as u64
            }),
        ),
        (
            "tantivy: every document, count",
            time(50, |_| {
                searcher.search(&AllQuery, &Count).expect("search") as u64
            }),
        ),
    ]
}

/// `--repeat CLASS`: one class's queries, searched again and again for about 20 seconds on
/// an index of `docs` documents, for a profiler to watch.
fn repeat(docs: usize, class_name: &str, text: Option<&str>) {
    let class = Class::ALL
        .into_iter()
        .find(|c| c.name().replace(' ', "-") == class_name)
        .unwrap_or_else(|| {
            let names: Vec<String> = Class::ALL
                .iter()
                .map(|c| c.name().replace(' ', "-"))
                .collect();
            panic!("--repeat takes one of {}", names.join(", "))
        });
    let root = tempfile::tempdir().expect("temp dir");
    let engine = EmbeddedEngine::open(&root.path().join("search")).expect("open a fresh index");
    let mut corpus = Corpus::new(CORPUS_SEED);
    let t = Instant::now();
    let cpu_before = cpu_time(None);
    let Loaded {
        sample,
        index: adding,
        ..
    } = load(&engine, &mut corpus, docs);
    let committing = Instant::now();
    engine.commit().expect("commit");
    let commit = committing.elapsed();
    let rate = docs as f64 / (adding + commit).as_secs_f64();
    println!(
        "adding {:.2} s, final commit {:.2} s, CPU {:.1} s (generating included)",
        adding.as_secs_f64(),
        commit.as_secs_f64(),
        (cpu_time(None) - cpu_before).as_secs_f64()
    );
    settle(None);
    engine.commit().expect("reload after merges");
    let index = tantivy::Index::open_in_dir(root.path().join("search")).expect("open the index");
    let sizes: Vec<String> = index
        .searchable_segment_metas()
        .expect("segments")
        .iter()
        .map(|s| s.num_docs().to_string())
        .collect();
    println!(
        "{docs} documents indexed at {rate:.0} documents/s ({:.1} s with generating and merging); segments of {} documents",
        t.elapsed().as_secs_f64(),
        sizes.join(", ")
    );
    let mut specs: Vec<Spec> = queries(&corpus, &sample, QUERY_SEED, QUERIES_PER_CLASS)
        .into_iter()
        .filter(|s| s.class == class)
        .collect();
    if let Some(text) = text {
        // One search of the class, with these words, to take apart on its own.
        specs.truncate(1);
        specs[0].text = text.to_string();
    }
    let started = Instant::now();
    let cpu_before = cpu_time(None);
    let mut times = Vec::new();
    let mut hits = Vec::new();
    while started.elapsed() < Duration::from_secs(20) {
        for spec in &specs {
            let t = Instant::now();
            hits.push(engine.search_now(&spec.query()).expect("search").total);
            times.push(t.elapsed());
        }
    }
    // CPU time per search (all threads) varies less than wall time on a shared machine.
    let cpu_per_search = ms(cpu_time(None) - cpu_before) / times.len().max(1) as f64;
    // Each search's own median over the rounds: the class's tail as the searches make it,
    // apart from the moments the machine stalls.
    let mut medians: Vec<(f64, &Spec, u64)> = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let mut own: Vec<Duration> =
                times.iter().skip(i).step_by(specs.len()).copied().collect();
            own.sort();
            (ms(own[own.len() / 2]), spec, hits[i])
        })
        .collect();
    medians.sort_by(|a, b| b.0.total_cmp(&a.0));
    print_table(
        &format!("{} searches, repeated:", times.len()),
        &[(class, Latency::of(times, &hits))],
    );
    println!("  CPU per search {cpu_per_search:.2} ms (all threads)");
    println!("  heaviest searches, each one's median over the rounds:");
    for (median, spec, total) in medians.iter().take(8) {
        println!(
            "    {median:>7.2} ms  {:?} {:?} -> {total} hits",
            spec.text,
            spec.filters
                .iter()
                .map(|(f, v)| format!("{}={v}", f.as_str()))
                .collect::<Vec<_>>()
        );
    }
    print_slowest(&engine, &specs);
}

/// `--serve DIR`: the real server over `DIR` (its index in `DIR/search`), for the parent to
/// measure. Prints `port N` once it listens.
fn serve(data_dir: &Path) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let app = Application::build(Config::for_data_dir(data_dir))
            .await
            .expect("the server starts");
        let mut out = std::io::stdout();
        writeln!(out, "port {}", app.port()).expect("write the port");
        out.flush().expect("flush");
        app.run_until_stopped().await.expect("the server runs");
    });
}

struct Args {
    sizes: Vec<usize>,
    per_class: usize,
    serve: Option<PathBuf>,
    /// `--repeat CLASS`: index once, then search that class's queries over and over (for a
    /// profiler such as `perf record`), printing their latency.
    repeat: Option<String>,
    /// `--text WORDS`: with `--repeat`, search these words only.
    text: Option<String>,
    /// The arguments as given, for the command that reproduces the run.
    given: Vec<String>,
}

fn parse_args() -> Args {
    let mut args = Args {
        sizes: Vec::new(),
        per_class: QUERIES_PER_CLASS,
        serve: None,
        repeat: None,
        text: None,
        given: Vec::new(),
    };
    let mut quick = false;
    let mut iter = std::env::args().skip(1);
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            // What `cargo bench` passes to every bench program.
            "--bench" => {}
            "--quick" => {
                quick = true;
                args.given.push(arg);
            }
            "--docs" | "--queries" => {
                let value = iter.next().unwrap_or_default();
                let number: usize = value.replace(['_', ','], "").parse().unwrap_or_else(|_| {
                    panic!("{arg} takes a number, not {value:?}");
                });
                assert!(number > 0, "{arg} takes a number above 0");
                if arg == "--docs" {
                    args.sizes.push(number);
                } else {
                    args.per_class = number;
                }
                args.given.push(arg);
                args.given.push(value);
            }
            "--serve" => args.serve = iter.next().map(PathBuf::from),
            "--repeat" => args.repeat = iter.next(),
            "--text" => args.text = iter.next(),
            other => eprintln!("ignoring argument {other:?}"),
        }
    }
    if args.sizes.is_empty() {
        args.sizes = if quick {
            vec![DEFAULT_SIZES[0]]
        } else {
            DEFAULT_SIZES.to_vec()
        };
    }
    args
}

fn main() {
    let args = parse_args();
    if let Some(dir) = &args.serve {
        serve(dir);
        return;
    }
    if let Some(class) = &args.repeat {
        repeat(
            args.sizes.last().copied().unwrap_or(100_000),
            class,
            args.text.as_deref(),
        );
        return;
    }
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "search benchmark: embedded engine, {cores} cores, load average at start {}",
        load_average()
    );
    println!(
        "corpus: seed {CORPUS_SEED}; case_story 40%, practice_guide 30%, isf_template 20%, organisation 10%; \
         en 46%, fi 12%, fr 10%, es 10%, cs 9%, el 7%, sv 6%; {ORGANISATIONS} organisations; \
         {} queries per class",
        args.per_class
    );
    let root = tempfile::tempdir().expect("temp dir");
    let (started, stolen_before) = (Instant::now(), stolen_ticks());
    let figures: Vec<SizeFigures> = args
        .sizes
        .iter()
        .map(|&docs| measure(docs, root.path(), args.per_class, true))
        .collect();

    println!("\n== summary ==");
    for f in &figures {
        println!(
            "{} docs: indexing {:.0} docs/s ({:.1} s + {:.1} s merges settling; generation {:.1} s); index {:.0} MB, {} segments",
            f.docs,
            f.rate,
            (f.index + f.commit).as_secs_f64(),
            f.merge.as_secs_f64(),
            f.generate.as_secs_f64(),
            f.index_bytes as f64 / 1e6,
            f.segments
        );
        println!(
            "  in-process p99 per class: {}; {}",
            p99s(&f.rows),
            worst(&f.rows)
        );
        println!(
            "  in-process p99 per class, classes taking turns: {}; {}",
            p99s(&f.interleaved),
            worst(&f.interleaved)
        );
        println!(
            "  in-process p99 without hits (match + count + facets): {}",
            p99s(&f.count_only)
        );
        println!(
            "  single word p50 / p99 ms: {}",
            f.breakdown
                .iter()
                .map(|(what, l)| format!("{what} {:.2} / {:.2}", l.p50, l.p99))
                .collect::<Vec<_>>()
                .join("; ")
        );
        println!(
            "  bench process: RSS {} MB before, {} MB after indexing, {} MB after queries (peak {} MB)",
            f.baseline.rss_kb / 1024,
            f.after_indexing.rss_kb / 1024,
            f.after_queries.rss_kb / 1024,
            f.after_queries.hwm_kb / 1024
        );
        if let Some(server) = &f.server {
            println!(
                "  request p99 per class: {}; {}",
                p99s(&server.rows),
                worst(&server.rows)
            );
            println!(
                "  server process: RSS {} MB idle, {} MB after queries (peak {} MB)",
                server.idle.rss_kb / 1024,
                server.after.rss_kb / 1024,
                server.after.hwm_kb / 1024
            );
        }
    }
    println!("load average at end {}", load_average());
    if let (Some(before), Some(after)) = (stolen_before, stolen_ticks()) {
        let stolen = after.saturating_sub(before) as f64 / 100.0;
        let cores_time = started.elapsed().as_secs_f64() * cores.max(1) as f64;
        println!(
            "CPU time stolen by the hypervisor during the run: {stolen:.1} s, {:.1}% of the cores' time \
             (near 0 when this machine has its cores to itself)",
            100.0 * stolen / cores_time
        );
    }
    let extra = if args.given.is_empty() {
        String::new()
    } else {
        format!(" -- {}", args.given.join(" "))
    };
    println!("reproduce: cargo bench --bench search{extra}");
}
