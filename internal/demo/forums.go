package demo

// List members (invented).
var (
	wei    = &person{name: "Wei Zhang", email: "wei.zhang@example.com", zone: "Asia/Shanghai", client: gmailClient, msgidDomain: "mail.gmail.example.com"}
	margit = &person{name: "Margit Nagy", email: "margit@nagy.example.net", zone: "Europe/Budapest", client: plainClient, msgidDomain: "nagy.example.net",
		sig: "-- \nMargit"}
	dmitri = &person{name: "Dmitri Kovalenko", email: "dk@example.net", zone: "Europe/Warsaw", client: plainClient, msgidDomain: "example.net"}
	hugo   = &person{name: "Hugo Laurent", email: "hugo.laurent@example.com", zone: "Europe/Paris", client: gmailClient, msgidDomain: "mail.gmail.example.com",
		sig: "Hugo\nhttps://code.example.com/hlaurent/jobq"}
	tariq = &person{name: "Tariq Aziz", email: "tariq@example.com", zone: "America/Chicago", client: gmailClient, msgidDomain: "mail.gmail.example.com"}
	ines  = &person{name: "Ines Brandt", email: "ines.brandt@example.net", zone: "Europe/Berlin", client: appleClient, msgidDomain: "example.net"}
	kemal = &person{name: "Kemal Yildiz", email: "kemal.y@example.net", zone: "Europe/Berlin", client: plainClient, msgidDomain: "example.net"}
	jule  = &person{name: "Jule Sommer", email: "jule.sommer@example.com", zone: "Europe/Berlin", client: gmailClient, msgidDomain: "mail.gmail.example.com"}
)

// forumSpecs are discussions on two mailing lists the user reads.
func forumSpecs() []*spec {
	const nutsAddr = "golang-nuts <golang-nuts@lists.example.org>"
	nutsHdrs := []string{
		"List-Id: <golang-nuts.lists.example.org>",
		"List-Post: <mailto:golang-nuts@lists.example.org>",
		"List-Help: <mailto:golang-nuts+help@lists.example.org>",
		"List-Archive: <https://lists.example.org/g/golang-nuts>",
		"List-Unsubscribe: <mailto:golang-nuts+unsubscribe@lists.example.org>, <https://lists.example.org/g/golang-nuts/unsubscribe>",
		"Precedence: list",
		"Mailing-list: list golang-nuts@lists.example.org; contact golang-nuts+owners@lists.example.org",
	}
	const nutsFooter = "\n\n-- \nYou received this message because you are subscribed to the \"golang-nuts\" group.\n" +
		"To unsubscribe from this group and stop receiving emails from it, send an email to golang-nuts+unsubscribe@lists.example.org.\n"
	nuts := func(s *spec) *spec {
		s.kind, s.folder, s.to, s.hdrs, s.bodyTrail, s.received = KindForum, "Lists/golang-nuts", []string{nutsAddr}, nutsHdrs, nutsFooter, "lists.example.org"
		if s.flags == "" {
			s.flags = "S"
		}
		return s
	}
	const ridersAddr = "Kreuzberg Cyclists <riders@lists.example.net>"
	ridersHdrs := []string{
		"List-Id: Kreuzberg Cyclists <riders.lists.example.net>",
		"List-Post: <mailto:riders@lists.example.net>",
		"List-Unsubscribe: <https://lists.example.net/mailman/options/riders>, <mailto:riders-request@lists.example.net?subject=unsubscribe>",
		"List-Archive: <https://lists.example.net/pipermail/riders/>",
		"Precedence: list",
		"X-BeenThere: riders@lists.example.net",
		"Sender: \"riders\" <riders-bounces@lists.example.net>",
	}
	const ridersFooter = "\n\n_______________________________________________\nriders mailing list\nriders@lists.example.net\nhttps://lists.example.net/mailman/listinfo/riders\n"
	riders := func(s *spec) *spec {
		s.kind, s.folder, s.to, s.hdrs, s.bodyTrail, s.received = KindForum, "Lists/kreuzberg-cyclists", []string{ridersAddr}, ridersHdrs, ridersFooter, "lists.example.net"
		if s.flags == "" {
			s.flags = "S"
		}
		return s
	}

	return []*spec{
		nuts(&spec{key: "fo-pool-1", at: cd(9, "13:12"), from: wei,
			subject: "Bounded worker pool with context cancellation: is errgroup enough?",
			text: `Hi all,

I have a pipeline that fans out ~10k HTTP fetches, and I want at most 32 in flight, stop everything on the first error, and respect the caller's context. Right now I use errgroup.WithContext plus SetLimit(32).

Is there anything errgroup doesn't handle here? In particular: when one goroutine fails, do the ones blocked in g.Go() waiting for a slot still start? I see a few extra requests after the first error and I'm not sure if that's expected.

Thanks,
Wei`}),
		nuts(&spec{key: "fo-pool-2", at: after("fo-pool-1", "2h40m"), from: margit, parent: "fo-pool-1", quote: true,
			text: `Yes, that's expected. g.Go blocks until a slot is free and then starts the function regardless of whether the context is already cancelled; it's the function's job to check ctx first. Something like

    g.Go(func() error {
        if err := ctx.Err(); err != nil {
            return err
        }
        return fetch(ctx, u)
    })

and make sure fetch passes ctx to the request so in-flight ones are cancelled too.`}),
		nuts(&spec{key: "fo-pool-3", at: after("fo-pool-2", "5h"), from: dmitri, parent: "fo-pool-2", quote: true,
			text: `Also worth saying: if the producer loop itself is long, check ctx.Done() there as well, otherwise you'll keep calling g.Go for every remaining URL, each one returning immediately. Cheap, but noisy in traces.`}),
		nuts(&spec{key: "fo-pool-4", at: after("fo-pool-3", "9h"), from: wei, parent: "fo-pool-3", quote: false,
			text: `That was it, thank you both. Checking ctx.Err() at the top of the func and in the producer loop removed the stragglers completely.`}),
		nuts(&spec{key: "fo-jobq-1", at: cd(6, "16:05"), from: hugo,
			subject: "[ANN] jobq v0.4: a SQLite-backed job queue",
			text: `Hi gophers,

jobq v0.4 is out. It's a small job queue on top of SQLite (pure Go driver, no cgo) for programs that don't want to run Redis or a broker.

New in 0.4:
- leases with heartbeats, so a crashed worker's jobs come back
- unique jobs (dedupe by key)
- 3x faster dequeue thanks to a partial index

Feedback and bug reports very welcome.`}),
		nuts(&spec{key: "fo-jobq-2", at: after("fo-jobq-1", "20h"), from: tariq, parent: "fo-jobq-1", quote: true,
			text: `Nice! How does it behave with several processes on the same database file? We've been bitten by SQLITE_BUSY under WAL when two writers start at the same time.`}),
		nuts(&spec{key: "fo-gen-1", at: cd(3, "11:30"), from: dmitri, needs: true,
			to:      []string{nutsAddr},
			subject: "Re: Ordered map keys with generics: benchmark results?",
			text: `On 24/05, Alex Morgan wrote:
> In our case the sorted-slice version was about 3x faster than the
> btree for maps under 1,000 keys, and only lost above ~50k keys.

Alex, could you share the benchmark code? I'm seeing the opposite on my side (btree wins from about 500 keys) and I suspect the difference is in how the keys are generated. A gist or a playground link would be perfect.

Dmitri`}),
		nuts(&spec{key: "fo-gen-2", at: after("fo-gen-1", "3h15m"), from: margit, parent: "fo-gen-1", quote: true,
			text: `+1, I'd also like to see it. Random vs. sequential keys makes a huge difference for the slice version because of the insertion copy.`}),
		riders(&spec{key: "fo-ride-1", at: cd(4, "20:30"), from: kemal,
			subject: "[riders] Sunday ride: Müggelsee loop",
			text: `Hi all,

Sunday ride as usual: Müggelsee loop, about 70 km, average 24 km/h, coffee stop in Friedrichshagen. Start 9:00 at Görlitzer Park, main entrance.

Weather looks good. Bring lights, we'll be back after dark if the coffee stop runs long again.

Kemal`}),
		riders(&spec{key: "fo-ride-2", at: after("fo-ride-1", "1h10m"), from: ines, parent: "fo-ride-1", quote: true,
			text: `I'm in! Can someone bring a track pump? Mine died last week.`}),
		riders(&spec{key: "fo-ride-3", at: after("fo-ride-2", "14h"), from: jule, parent: "fo-ride-2", quote: true,
			text: `I'll bring mine. See you Sunday!

Jule`}),
		riders(&spec{key: "fo-saddle", at: cd(11, "09:05"), from: jule,
			subject: "[riders] For sale: Brooks-style leather saddle, barely used",
			text: `Hi everyone,

selling a leather saddle (the classic sprung model), used for maybe 300 km, I just can't get along with it. 45 EUR, pick-up in Kreuzberg. Photos on request.

Jule`}),
	}
}
