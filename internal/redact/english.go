package redact

import "strings"

// englishWords are frequent English nouns, verbs, adjectives and adverbs
// that are capitalised in headings, subject lines, titles and at the start
// of sentences without being names. Written by hand from general knowledge
// of English (no generated data, no fake-data lists). Words that are also
// common family names (Baker, Green, Hill, King, Price, Rose, Stone, Ward,
// White, Wood, Young, ...) are left out on purpose: leaving them out costs a
// few false hits, putting them in would cut "Mark Green" to "Mark".
//
// They are used by the name detectors only (plainWord); addresses keep
// commonWords, so "Station Road" stays a street.
var englishWords = setOf(`
ability absence abstract academic accept acceptance accepted access accident accommodation
according account accounting accounts accuracy accurate achieve achievement acquisition act
action actions active activities activity actual actually adapt add added addition additional
address adjust adjustment administration administrative admission adopt adult advance
advanced advantage adventure advertising advice advise advisor affair affect affordable
afraid age agenda agent aggregate ago agree agreed agreements aid aim air airport alarm album
alert alive allocation allow allowance alone along alpha alternative amazing amendment
amendments analysis analyst analyze ancient angle angry animal announcement annual answer
anniversary anxiety apartment apology app apparently appeal appear appendix apple applicant
application applications apply appointment appraisal appreciate approach appropriate approval
approve approved approximately area areas argue argument arise arm army arrange arrangement
arrival arrive article artist assessment asset assets assign assignment assist assistance
assistant associate assume assumption attach attack attempt attend attendance attention
attitude attorney audience audit author authority authorization auto automatic available
average avoid award aware awareness awesome baby background backup bag balance band
bar base baseline basic basically basis basket bath battle beach bear beat beautiful beauty
become bed beer begin beginning behavior behind belief believe benchmark benefit benefits
beta beyond bid bike billing binder biography birthday bit blank blog blood blue board boat
body bonus book booking boost border bottom boundary brain branch brand breach bread break
breakfast brief briefing bright brilliant bring broad broken brother budget buffer bug build
building bulletin bundle burden business busy buy buyer buying cable cake calculation
calendar campaign campus cancel cancellation candidate capability capable capacity capital
caption car care career careful cargo carry case cases cash casual catalog catalogue category
cause caution celebrate celebration center centre central century certain certainly
certificate certification chain chair challenge champion championship chance change changes
channel chapter character charge charges chart chat cheap check checklist cheese chemical
chicken chief child children choice choose chosen circumstances citizen civil claim claims
class classic clean clear clearly clerk click climate clock closed closing cloud club coach
coast coat coffee cold collapse colleague colleagues collect collection college colour color
column combination combined comfort comfortable coming command comment comments commercial
commission commit commitment committee common communication community compact comparison
compensation competition competitive complaint complete completed completion complex
compliance component comprehensive computer concept concern concerned concerning concert
conclusion condition conditions conference confidence confidential configuration confirm
confirmation conflict congress connect connection consent consequence consider
consideration consistent constant construction consult consultant consumer contact contain
content contents context continue contracts contribution control controls convenient
conversation conversion cool coordinator copy core corner corporate correct correction
correspondence council count counter counterparty county couple coupon course courses
cover coverage crazy create created creative crew crime crisis criteria critical crowd
crucial culture cup current currently curve custom customers cut cycle daily damage dance
danger dark dashboard database dates daughter deadline dealer deals dealing death debate
debt decide decision decisions declare decline decrease dedicated deep default defence
defense definitely degree delay delete delivery demand demo department deposit describe
description design desk detail detailed details determine develop developer development
device diagram dialog diet difference different difficult digital dinner direction directly
directory disaster discount discover discuss discussion disease display dispute distance
distribution district dividend division document documents dog domain donation double doubt
draft drama draw drawing dream dress drink drive driver drop due duty early earn earnings
easy eat economic economy edge edit edition editor education effect effective efficiency
effort election electric electricity element eligible email emergency employee employees
employer employment empty enable end ending energy engine engineer engineering enjoy
enormous ensure enter entertainment entire entry environment environmental episode
equipment error escalation essay essential establish estimate estimates evaluation event
events eventually evidence exact exactly exam example excellent except exception exchange
exciting exclusive excuse executive exercise exhibit exhibition exist existing exit expand
expansion expect expectation expense expenses expensive experience expert expiration
explain explanation explore export exposure express extend extension external extra extreme
facility fact factor factory fail failure fair fairly fall false family famous fantastic
far farm fashion fast father favor favorite favourite fear feature features fee feedback
feel feeling fees female festival fight figure file filed files filing fill film filter
final finally finance financial find finding findings fine finish fire firm fit fix fixed
flag flat flexible flight floor flow focus folder follow font food foot football force
forecast foreign form formal format former formula forward found foundation frame free
freedom frequency frequent fresh friend friendly friends front fuel full fully fun
function fund funding funny future gain game games gap garden gas gate gather gear
generate generation generic gift girl global goal goals golf government grade graduate
grand graph ground group groups growth guarantee guess guest guidance guide
guideline guidelines guy habit hair half handle handling happen happy hard hardware
hat hazard headline headquarters health healthy hear hearing heat heavy height hello help
helpful hero hidden highlight highlights highly hint hire historical history hit hold holder
holding holdings holiday home honest honor hospital host hot hotel hour hours household
huge human humor hurry husband idea ideal ideas identify identity ignore image images
imagine immediate immediately impact implementation important importance impossible improve
improvement incident income increase incredible independent index indicate individual
industrial industry inflation influence inform informal initial initiative injury input
inquiry inside insight inspection install installation instance instant instructions
instrument instruments insurance intelligence intent interest interested interesting
interface interim internal international interview introduction invest investigation
investment investor invitation invite invoice invoices involve island item items job jobs
join joint journal journey judgment jump junior jury justice key keyboard kid kids kind
kitchen knowledge lab label labor labour lack language laptop large largely later latest
launch lawyer layer layout lead leader leadership learn learning lease leave lecture
legal legislation lesson letter letters level liability library licence license life
lifestyle light likely limit limited line link links liquid listen literature live living
load loan local location lock logic login logo loss lost lot loud lovely lower loyalty lunch
machine magazine main maintain maintenance major majority male manage management mandatory
manual manufacturing map margin market marketing markets married master match material
materials matter maximum meal mean meaning measure measures media medical medium member
members membership memo memory mental mention menu merchant merger mess metal method
methodology metric middle mind minimum minor minute minutes mission mistake mix mobile mode
model models modern module moment money monitor monitoring monthly mood motion mountain
mouse move movement movie multiple museum music mutual narrative nation national native
natural nature nearly necessary negative negotiation net network networking neutral news
newsletter nice night node noise normal normally notes notice notification novel objective
obligation observation obvious occasion offer offering official oil open opening operate
operating operation operational operations operator opinion opportunity option optional
options orange organization organisation origin original outcome outline output outside
outstanding overall overview owner ownership package pages paid pain paper parent
parents part partial participant participation particular partner partnership parts party
pass passenger passion password past patch path patient pattern pause pay payable payments
payroll peace peak pending pension people percent percentage perfect performance period
permanent permission permit personal personnel perspective phase photo photos physical piano
pick picture piece pilot pipeline pitch pizza place placement plain planning plant platform
play player pleasant pleased plenty plus pocket podcast poetry point points policy political
politics poll pool poor pop popular population portal portfolio portion position positive
possible possibly potential practice prayer precise predict preference preliminary premium
preparation prepare presence present presentation press pressure pretty prevent preview
previous primary prime principal principle print printer prior priority privacy private
prize probably procedure procedures proceed proceeding process processing produce producer
product production products professional profile profit program programme progress project
projects promise promotion proof property proposal proposals propose proposed prospect
protect protection proud prove provide provider public publication publish purchase purpose
quality quarter quarterly query quick quickly quiet quota quote race radio raise random range
rank rapid rare rate rates rating ratio raw reach react reaction read reader reading ready
real reality realize reason reasonable rebooking receipt receipts receive received recent
recently reception recipe recognition recommend recommendation record records recovery
recruiting reduce reduction reference referral reflect reform refund region regional
register registration regular regulation regulatory reject relation relations relationship
release relevant reliability reliable relief remain remark remember remind reminder remote
removal remove renewal rent repair repeat replace replacement reporting reports represent
representative reputation required requirement requirements research reservation reserve
reserves resident resolution resolve resource resources respect respond response
responsibility responsible rest restaurant result results resume retail retirement return
returns revenue review reviews revised revision reward ride right rights rise risk
road role room round route routine rule rules safe safety salary sale sample
satisfaction save saving savings scale scenario scene schedule scheduled schedules scheme
science scope score screen script search season seat secret secretary section sector
secure security seed select selection self sell seller seminar send senior sense sensitive
sentence separate sequence series serious server services session setting settings
settlement setup share shares sheet shift ship shipment shipping shop shopping show shower
side sign signal signature significant silent similar simple simply single sister site
situation size skill skills sleep slide slow smart smooth social society soft software
solid solution solutions song soon sort sound source sources space speaker special
specific speech spend sport sports spot spread staff stage standard standards star start
starting statements station statistics status stay step steps stock storage store story
strategic strategy stream strength stress strict structure student students studio study
stuff style submission submit subscription success successful suggest suggestion summary
super supplier supply supported supporting surface surprise survey suspect switch symbol
system systems table talent talk target task tasks tax teacher teaching technical technique
technology telephone television temporary tenant term terms test testing text thanks theme
theory thing things thinking threat ticket time timeline timing tip title topic topics
total touch tour tourism track trade trading traffic train training transaction transfer
transition translation transport transportation travel treatment trend trial trip trouble
true trust truth try turn tutorial type typical unit units universal update updated updates
upgrade upload urgent usage use used useful user users usual utility vacation valid value
values variable variety various vehicle vendor venue version video view views village
virtual visa visit visitor visual voice volume vote wage wait want war warning
warranty watch weather website wedding weekend weekly weight welcome wide wife window wine
winner wire wish woman women wonderful word work workers workflow working workshop world
worry write writer writing wrong yard yearly yellow yesterday youth zero zone
academy actor actress addiction adventure advert afternoon agriculture aircraft airline
album alcohol allergy ambulance amusement anthem apartment apology appetite apps aquarium
arena arrest arts athlete atlas attic audio auction aunt autumn avenue award awards baggage
bakery balcony ballet banana bandwidth banking bankruptcy barrier baseball basketball battery
beer bench beverage bible bicycle billboard biology biscuit blanket blessing blockchain blues
bonus boots bottle bowl boxing bracelet brake breeze broadband broadcast brochure
browser bucket buddy buffet bus butter button cabin cabinet cafe cafeteria camera camp
cancer candle candy canvas captain carbon cardio carnival carpet cart cartoon casino
cathedral cattle ceiling cell cellar cement cereal ceremony champagne chapel charity
charter chocolate choir chorus cinema circus citizenship classroom cleaning clinic closet
clothing coffee coin comedy comic commerce commute concrete condo congress console
constitution consulate cookie couch cousin coupon courier courthouse cowboy crash
cricket cruise crystal cuisine curriculum cycling dairy database daycare deck democracy
dentist desert dessert diabetes diamond dictionary diploma disability disco discovery
documentary dollar donor downtown dragon drummer dvd earth earthquake economics editorial
election electronics elevator embassy emoji empire encyclopedia engine entrance envelope
episode equality equity espresso ethics euro exam expo fabric factory fairy faculty fame
fare farmer fashion fever fiction fitness flag flavor flavour fleet flood florist flower
flu fruit furniture galaxy gallery gaming garage garlic gasoline gender genre ghost gift
glasses glory gospel governor graduation grammar grape gravity grocery guitar gym
harmony harvest headphones healthcare heaven helicopter helmet heritage highway hiking hip
hobby hockey homework honey horror hospitality housing hunger hurricane hymn icon
immigration inbox infection inn insect inspiration internship invoice jacket jail jazz
jeans jewelry journalism judge juice jungle justice karaoke kernel keyboard kindergarten
kingdom kiosk knife ladder landlord laundry lawn league leather legend lemon liberty
licence lighting lineup liquor literacy lobby lottery lounge luggage lyrics magic mailbox
mall manager mansion marathon marriage mask mattress mayor medal medicine melody
metro microphone microwave midnight military milk ministry miracle mirror mortgage motel
motorcycle movie mum museum musician mystery nanny navy neighbour neighbor nephew niece
nightclub noodle notebook nurse nursery nutrition ocean oven pageant painting palace
pancake pandemic parade paradise parish parliament pasta pastry patent pavement pepper
perfume pharmacy philosophy phone piano pill pillow pirate planet plastic playground
playlist plumber poem poet police pond pop pork poster pottery poverty powder prayer
pregnancy premier prescription president princess prison prize psychology pub pudding
punk puzzle pyramid quiz rabbit racing radar railway rain rainbow ranch rap reception
recipe referee refrigerator rehab religion remix rental republic rescue resort retreat
revolution rhythm robot romance roof rugby runway safari salad salon sandwich satellite
sauce sauna scholarship scooter sculpture seafood senate sequel sermon shampoo shelter
sheriff shirt shoes sightseeing singer skate ski skyline slogan smartphone snack soap
soccer sofa soldier soup souvenir spa spice spinach sponsor stadium statue steak sticker
stomach studio subway sugar suitcase sunset supermarket surgery sushi sweater symphony
syndrome tablet taxi tea teen telescope tennis terminal terror textbook theater
theatre therapy thriller ticket tiger toilet tomato tournament towel toy tractor tragedy
trailer tram treasure tribunal trophy truck tuition tunnel tv umbrella uncle uniform
universe vaccine valley vampire vegan vegetable veteran villa vinyl violin vitamin
volleyball volunteer voucher wallet warehouse wealth webinar whisky wildlife wine
 wizard workout yoga zoo
data commence commencing terminate inventory sulfur sulphur resort object supremacy timeframe loading
twist hands hand weekday afternoon overnight upstream downstream offshore onshore pricing
thanksgiving halloween hanukkah ramadan diwali passover saludos gracias merci danke
reminder responses cheers kudos congratulations bravo hooray oops wow alas
acquire acquired adopted advised announce announced answered applied approved arranged
asked attached attended booked bought brought called cancelled changed checked closed
completed confirmed contacted created decided delayed delivered discussed done dropped
emailed ended expected explained faxed filed finished fixed forwarded found happened heard
held helped hired included informed joined kept known learned left liked listed looked lost
loved met missed moved named noted offered opened ordered organized paid passed picked
placed planned played posted prepared presented printed produced promised provided
published purchased put raised reached read realized received recommended reduced
registered rejected released removed reported requested resolved responded returned
reviewed revised saved scheduled seen selected sent served set shared shipped shown signed
signing sold solved spent started stated stopped submitted suggested supported talked told
took tried turned understood updated uploaded used visited waited wanted wished worked
wrote
attaching asking calling checking coming doing following getting giving going having
hoping looking making meeting moving planning playing putting reading running saying
seeing sending setting sitting speaking standing taking talking telling thinking trying
using waiting wanting watching wondering writing
`)

// moreWords are further plain English words (seventh round, from reading
// false person spans on the Enron threads outside the held-out third and
// general knowledge; no corpus text): adjectives and nouns that start no
// name. Unlike englishWords they may still be a one-word company's name
// where an employer or a corporate verb says so ("works at Quantum").
// Family names (Stone, Young, Ball, Winter...) and given names (Art) are
// left out.
var moreWords = setOf(`
expire expires expired expiring withdraw withdraws withdrew withdrawn withdrawal renew renews renewed
truly mate yep yup nope nah okay hmm wow oops birth boarding kill physician
est founder founders win tel mom dad mum thur thurs permitting paste assembly legislature op dept depts reset
admin tourney exec annotate chaired fool controller purchaser opps inbound ads preparatory lawmakers
drinking trustee recruiter multiplayer improved navigator sender everyone ladies unroll featured
addressee sweepstakes unsubscribe bookmark hippies days squads hmmm android androids mimic onslaught
eleven crate dome skipper tempo
tell greetings thanx thx preferably pronounced compare resign memorial top cheat straight certified
phantom handheld unlimited triple pink purple sanctuary bridal crab scrambler boost
absolute adequate adverse aerial agile anonymous apparent arbitrage archive arctic
artificial aspect assorted atomic authentic autonomous badge banner batch beacon beef belt
bet biennial binary bitmap blade blast blind block blossom bone boot bulk canal capsule
centered centred chemistry chess chest circle circuit clinical cloudy cluster coal coastal
colonial colony combat compound connected contemporary contest continental contingency
continuous conventional cosmic craft cream criminal crude cultural currency cyber dead decade
definite deluxe dense dental dial diary digest direct dirty dish disk distinct domestic
download drug dry dual dynamic eager educational egg elastic electronic elegant elephant elite
embedded endless equal era escape eternal ethical everyday exotic experimental explicit face
familiar fan fatal fault federal fiber fibre fierce finger fiscal flame fluid fold fortune
fountain framework freight frozen functional fundamental gamma gateway general genius genuine
globe gorgeous gradual graphic grass grateful guilty handy harbor harbour harsh historic holy
homecoming horizon horizontal humble hybrid identical illegal immune imperial import indoor
infant infinite infrastructure ink inner integral intelligent intensive interactive interior
intimate intra invalid inverse jet kettle landscape laser late lateral ledger lift linear
literal log logical loop loose loyal lunar luxury magnetic marine massive matrix meat
mechanical medieval mega metallic micro mid mild mineral mini modest modular molecular moral
motor naked narrow naval near neat needle nominal nos notable nuclear numerous optical
optimal oral orbit orchestra ordinary organ organic outdoor outer outlet oxygen pacific paint
pair panel parallel parking passive passport pen pet phrase physics pipe plate plaza polar
polite pot potato powerful practical precious pro profound progressive prominent proper protein
protocol province pulse pump pure quantum queue radical rail related religious residential
reverse rigid robust rocket romantic rough rubber runner rural sacred scanner secondary segment
sensor severe shadow shape shelf shoe silk skin slim slot smoke sock soil sophisticated spare
spatial speed spirit square stable stack stake stamp static steady steam steep sticky stiff
string stroke structural subtle suburb sudden suit summit superior supper supreme surgical
symptom synthetic tactical tag tale tank tap taste tender territory thermal thick thin thread
tight timber tiny tire toast token tone tool tooth torch tough toxic traditional transit trap
treaty tribe tropical ultimate unique unknown upper urban vague vast verbal vertical vessel
viable virus visible vision vital vivid wagon warm waste waterborne wave way weapon weird
wet wheel whole widget wireless witness wonder wooden yield
`)

// places are US states, large cities, continents and nationality words that are not also common given or
// family names (no Paris, Dallas, Austin, Charlotte, Victoria, Washington);
// like countries they never start a name. Written from general knowledge.
var places = setOf(`
alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho
illinois iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
mississippi missouri nebraska nevada hampshire jersey ohio oklahoma oregon pennsylvania
rhode tennessee texas utah vermont wisconsin wyoming york houston chicago boston seattle
denver atlanta miami detroit philadelphia pittsburgh baltimore portland sacramento
francisco diego angeles vegas tokyo beijing shanghai moscow berlin madrid rome london
amsterdam brussels vienna prague warsaw budapest stockholm oslo copenhagen helsinki dublin
lisbon athens istanbul cairo mumbai delhi bangalore singapore toronto montreal vancouver
calgary mexico sao rio buenos santiago lima bogota caracas johannesburg nairobi lagos
asia europe africa america americas oceania antarctica caribbean scandinavia balkans eurasia
asian african european american caribbean canadian mexican chinese japanese korean
indian british english french german italian spanish portuguese russian brazilian australian
scandinavian nordic latin arab arabic dutch swiss swedish norwegian danish finnish polish greek
turkish irish scottish welsh egyptian nigerian kenyan israeli iranian iraqi pakistani
vietnamese thai indonesian filipino argentine argentinian chilean colombian peruvian
venezuelan cuban ukrainian hungarian czech austrian belgian
`)

// plainWord reports whether a lower-cased word is a common English word,
// one of its plurals ("contracts", "invoices", "policies") or a word built
// with a suffix that makes abstract nouns and adjectives ("-tion", "-ment",
// "-ness", "-ity", "-ology", ...), which family names almost never end in.
func plainWord(low string) bool {
	if commonWords[low] || englishWords[low] || moreWords[low] || groupWords[low] {
		return true
	}
	if n := len(low); n > 3 && low[n-1] == 's' && low[n-2] != 's' {
		stem := low[:n-1]
		if englishWords[stem] || moreWords[stem] || commonWords[stem] && !givenNames[stem] {
			return true
		}
		if strings.HasSuffix(low, "ies") && englishWords[low[:n-3]+"y"] {
			return true
		}
		if strings.HasSuffix(low, "es") && englishWords[low[:n-2]] {
			return true
		}
	}
	if len(low) >= 8 {
		for _, suf := range abstractSuffixes {
			if strings.HasSuffix(low, suf) {
				return true
			}
		}
	}
	return false
}

// abstractSuffixes make nouns and adjectives out of other words; a word of
// eight letters or more with one of them is an English word, not a name.
var abstractSuffixes = []string{"tion", "tions", "sion", "sions", "ment", "ments", "ness", "ity",
	"ities", "ology", "ship", "ships", "ism", "isms", "ance", "ances", "ence", "ences", "able",
	"ible", "ative", "ically", "izing", "ising", "ized", "ised", "ization", "isation"}

// groupWords name nationalities, languages, religions and political
// groups: capitalised in English without being anyone's name ("He speaks
// Mandarin", "both are Democrats"). Written from general knowledge.
var groupWords = setOf(`
american americans british briton britons english french german germans spanish italian italians
portuguese dutch swedish swede swedes norwegian norwegians danish dane danes finnish finn finns
icelandic polish pole poles russian russians ukrainian ukrainians czech slovak hungarian
romanian bulgarian serbian croatian slovenian greek greeks turkish turk turks arabic arab arabs
hebrew persian farsi hindi urdu bengali punjabi tamil telugu gujarati marathi chinese mandarin
cantonese japanese korean koreans vietnamese thai indonesian malay filipino tagalog swahili
african africans european europeans asian asians latino latina latinos hispanic canadian
canadians mexican mexicans brazilian brazilians argentinian argentine australian australians
irish scottish scots welsh indian indians pakistani pakistanis nigerian nigerians egyptian
egyptians israeli israelis iranian iranians iraqi iraqis afghan afghans
christian christians catholic catholics protestant protestants orthodox muslim muslims islamic
jewish jew jews hindu hindus buddhist buddhists sikh sikhs atheist atheists mormon mormons
evangelical baptist methodist lutheran anglican quaker
democrat democrats democratic republican republicans conservative conservatives liberal
liberals labour tory tories socialist socialists communist communists libertarian
`)
