package redact

import "strings"

// The word lists below were written by hand from general knowledge of
// English; none is taken from a fake-data generator. givenNames holds very
// common English given names; ambiguousNames are those that are also
// ordinary words and so count only when capitalised.

var givenNames = setOf(`
aaron abigail adam adrian aidan alan albert alex alexander alexandra alexis alfred alice alicia
alison allan allen alvin amanda amber amy andrea andrew angela angelica angie anita ann anna
anne annette annie anthony antonio april arthur ashley audrey austin barbara barry beatrice becky
ben benjamin bernard beth betty beverly bill billy bob bobby bonnie brad bradley brandon brenda
brent brett brian bridget brittany brooke bruce bryan caitlin calvin cameron carl carla carlos
carmen carol caroline carolyn carrie casey catherine cathy charles charlene charlie charlotte chad
chelsea cheryl chris christian christina christine christopher christy cindy claire clara
clarence claudia clifford clinton cody colin connie conor courtney craig crystal curtis cynthia
daisy dale dan dana daniel danielle danny darlene darren dave david dean debbie deborah debra
denise dennis derek diana diane donald donna doris dorothy doug douglas duane dustin dylan
earl eddie edgar edith edward edwin eileen elaine eleanor elijah elizabeth ellen emily emma eric
erica erik erin ernest esther ethan eugene evan evelyn felicia fiona florence frances francis
frank franklin fred frederick gabriel gail gary gavin gene geoffrey george georgia gerald gilbert
gina glen glenda glenn gloria gordon grace graham greg gregory gwen hannah harold harriet harry
hazel heather helen henry herbert howard hugh ian irene isaac isabel isabella jack jackie jacob
jacqueline jake james jamie jan jane janet janice jared jasmine jason jay jean jeanette jeff
jeffery jeffrey jenna jennifer jenny jeremy jerome jerry jesse jessica jill jim jimmy jo joan
joanna joanne joe joel john johnny jon jonathan jordan jose joseph josephine josh joshua joy joyce
juan judith judy julia julian julie june justin karen kate katherine kathleen kathryn kathy katie
katrina kay keith kelly ken kenneth kevin kim kimberly kirk kristen kristin kristina kristi kurt
kyle lance larry laura lauren lawrence leah lee leo leon leonard leslie lillian linda lindsay
lindsey lisa logan lois loretta lori louis louise lucas lucy luis luke lynn madison margaret
maria marie marilyn mario marion marjorie mark marsha martha martin marvin mary matthew maureen
max megan melanie melissa melvin meredith michael michele michelle miguel mike mildred mitchell
molly monica morgan nancy naomi natalie natasha nathan nathaniel neil nicholas nick nicole
noah norma norman olivia oliver oscar pamela pat patricia patrick paul paula pauline peggy
penny peter phil philip phillip phyllis rachel ralph randall randy raymond rebecca regina renee
rhonda richard rick ricky rita rob robert roberta robin rodney roger ron ronald ronnie rosa
rose rosemary ross roy ruby russell ruth ryan sally samantha samuel sandra sandy sara sarah scott
sean seth shane shannon sharon shawn sheila shelby shelley sherry shirley sidney simon sophia
sophie stacy stanley stephanie stephen steve steven stuart sue susan suzanne sylvia tamara tammy
tanya tara ted teresa terri terry thelma theodore theresa thomas tiffany tim timothy tina todd
tom tommy tony tracy travis trevor troy tyler valerie vanessa vera veronica vicki victor victoria
vincent virginia walter wanda warren wayne wendy wesley william willie yolanda yvonne zachary zoe
`)

// ambiguousNames are given names that are also common words; they count
// only when capitalised and not at the start of a sentence.
var ambiguousNames = setOf(`
april art bill bob dawn dean faith frank gene grace hope ivy jack jan joy june kay lance lee
mark max may pat penny ray rob robin rose ruby sandy sue summer will young
`)

var honorifics = setOf(`
mr mrs ms miss mx dr prof professor sir madam madame mme mlle dame lord lady rev reverend fr
father sister brother capt captain col colonel gen general lt lieutenant sgt sergeant maj major
herr frau sr sra srta dott hon judge mister aunt uncle auntie grandma grandpa
`)

var greetings = setOf(`
hi hello hey dear thanks thank cheers regards best sincerely yours love greetings morning
afternoon evening bye goodbye congratulations congrats welcome thx ty
`)

// Organisation suffixes: the last word of a company or institution name.
var orgSuffixes = setOf(`
inc incorporated llc llp lp ltd limited gmbh ag kg sa sas sarl srl spa bv nv plc corp
corporation co company companies group holdings bank bancorp university college institute
foundation partners associates technologies technology systems solutions labs laboratories
capital ventures industries international enterprises consulting services agency trust fund
insurance energy airlines airways motors pharmaceuticals pharma media networks software
hospital clinic school academy church council ministry department bureau commission authority
association society federation union club fc studios entertainment publishing press
communications telecom logistics realty properties investments securities financial
coalition alliance consortium cooperative committee league guild syndicate organisation
organization institution
`)

// orgHeads start an institution name: "University of X", "Bank of X".
var orgHeads = setOf(`
university bank department ministry institute college school bureau board museum council office
federation association society church academy embassy offices
`)

// Street suffixes (English) and street words (other languages).
var streetSuffixes = setOf(`
street st road rd avenue ave av lane ln boulevard blvd drive dr court ct place pl way
terrace ter parkway pkwy circle cir square sq highway hwy trail trl row close crescent cres
alley walk gardens gdns grove hill heights mews park plaza point ridge run view vista wharf
expressway freeway pike loop path pass green broadway str
`)

var streetWords = setOf(`
rue rua calle via viale piazza avenida avenue av travessa largo praça paseo plaza carrer camino
camiño strada ulica ul utca út trg straße strasse gasse platz allee weg laan straat plein gracht
kade vej gade gata gatan vägen veien vei tie katu chaussee steenweg boulevard chemin route
tér rakpart körút köz fasor sétány náměstí nám třída nábřeží avda carretera ronda travesía glorieta
corso vicolo piazzale lungomare contrada quai impasse allée sokak sokağı sok cadde caddesi cd
bulevardul bulvarı bulvar calea aleea șoseaua soseaua cesta plac aleja al osiedle rodovia estrada
alameda plass veg vegur braut stræti stígur stræde
`)

var streetEndings = []string{"straße", "strasse", "stasse", "gasse", "platz", "allee", "weg", "laan",
	"straat", "plein", "gracht", "kade", "vej", "gade", "gatan", "vägen", "veien", "tie", "katu",
	"steenweg", "plaats", "vegen", "gaten", "utca", "ulica", "gata", "väg", "dreef", "singel",
	"braut", "vegur", "stræti", "stígur", "polku", "kuja", "väylä", "hof", "ufer", "damm", "markt", "stræde",
	"caddesi", "sokak", "sokağı", "bulvarı"}

var secondaryUnits = setOf(`
apt apartment suite ste unit flat floor fl room rm building bldg box
`)

// commonWords are frequent English words that start sentences, headings
// and titles and so are capitalised without being names.
var commonWords = setOf(`
a about above across after again against all almost also although always am among an and
another any anyone anything are around as ask asked at away back be because been before being
below between both but by can cannot could did do does doing done down during each either else
even ever every everyone everything few for from further get gets getting give given go goes
going gone good got had has have having he her here hers herself him himself his how however i
if in into is it its itself just keep know last least less let like made make many may me
might more most much must my myself need needs neither never new next no nor not nothing now of
off often on once one only or other others our ours ourselves out over own per perhaps please
quite rather really same see seem she should since so some someone something sometimes still
such sure take than that the their theirs them themselves then there these they this those
though through thus to too toward under unless until up upon us very was we well were what
whatever when where whether which while who whom whose why will with within without would yes
yet you your yours yourself yourselves
hello hi hey dear thanks thank regards best cheers sincerely yours bye okay ok sorry welcome
attached attachment please note fyi re fw fwd subject sent cc bcc date original message from
to forwarded reply update meeting call today tomorrow yesterday tonight week month year morning
afternoon evening monday tuesday wednesday thursday friday saturday sunday january february
march april may june july august september october november december mon tue wed thu fri sat sun
jan feb mar apr jun jul aug sep sept oct nov dec
let lets let's i'm i've i'll i'd we're we've we'll you're you've you'll it's that's there's
here's what's don't doesn't didn't can't won't isn't aren't wasn't weren't couldn't wouldn't
shouldn't haven't hasn't hadn't
what who how why where when which whose
mr mrs ms dr sir madam team all everyone folks guys
bot user name address phone email e-mail mail number card account bank credit debit
customer client service support help info information order payment invoice statement
company office department group project report plan list price cost total amount balance
first second third last final new old great good bad big small high low large
yes no maybe not none both either
god devil christmas easter internet web online
street road avenue lane drive court city state country zip code postcode
just also only even still already again ever never always often sometimes usually
one two three four five six seven eight nine ten hundred thousand million billion
capitalized words wisdom discipline princess royal king queen prince
however therefore meanwhile furthermore moreover anyway besides instead otherwise
north south east west northern southern eastern western
ceo cfo cto vp manager director president chairman officer
agreement contract deal issue question answer problem request
unlike during despite following according regarding including
fax office mobile cell unfortunately box suite apt battery
`)

var particles = setOf(`
van von der den de del della di da das dos du la le ter ten bin ibn al el y st. st des los las dei degli delle
`)

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func isCommonWord(w string) bool { return commonWords[w] }
func isHonorific(w string) bool  { return honorifics[strings.TrimSuffix(w, ".")] }
func isOrgSuffix(w string) bool  { return orgSuffixes[w] }

// countries are names of countries and the distinctive words of
// multi-word ones, written from general knowledge. A country alone is not
// redacted (it is a location, not a person), so these never start a name.
var countries = setOf(`
afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan
bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia
herzegovina botswana brazil brunei bulgaria burkina faso burundi cambodia cameroon canada
chad chile china colombia comoros congo croatia cuba cyprus czechia czech denmark djibouti
dominica ecuador egypt eritrea estonia eswatini ethiopia fiji finland france gabon gambia
georgia germany ghana greece grenada grenadines guatemala guinea guyana haiti honduras hungary
iceland india indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya
kiribati korea kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya
liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania
mauritius mexico micronesia moldova monaco mongolia montenegro morocco mozambique myanmar
namibia nauru nepal netherlands nicaragua niger nigeria norway oman pakistan palau palestine
panama paraguay peru philippines poland portugal qatar romania russia rwanda samoa
senegal serbia seychelles singapore slovakia slovenia somalia spain sudan suriname sweden
switzerland syria taiwan tajikistan tanzania thailand togo tonga tobago trinidad tunisia
turkey turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen
zambia zimbabwe zealand arabia emirates lanka leone rica herzegovina greenland
`)
