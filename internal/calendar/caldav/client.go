// Package caldav is PAM's CalDAV (RFC 4791) client and two-way sync. The
// client is written on net/http and encoding/xml rather than
// emersion/go-webdav, which (v0.6.0) has no sync-collection REPORT, no
// If-Match / If-None-Match on writes, and re-encodes objects through
// go-ical (which rejects input that PAM's lenient parser keeps). Objects
// travel as raw bytes, so VALARMs and unknown properties survive.
//
// Sync keeps a store.Calendar in step with a collection: sync-collection
// (RFC 6578) when the server offers it, else ETag comparison; local
// changes are written with If-Match; when both sides changed an object the
// server's version wins in place and the local one is kept as a conflict
// copy with a new UID. See doc/design/calendar-sync.md.
package caldav

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/pam-ai/pam/internal/pam"
)

// Errors.
var (
	// ErrPrecondition: an If-Match / If-None-Match failed (HTTP 412): the
	// server's copy is not the one the write was based on.
	ErrPrecondition = errors.New("caldav: precondition failed (changed on the server)")
	// ErrSyncToken: the server no longer accepts the sync token.
	ErrSyncToken = errors.New("caldav: sync token no longer valid")
	// ErrAuth: the server refused the credentials.
	ErrAuth = errors.New("caldav: authentication failed")
)

// maxBody bounds what is read from one response.
const maxBody = 64 << 20

// Client talks to one CalDAV server as one user. It is safe for
// concurrent use.
type Client struct {
	endpoint *url.URL
	user     string
	password string
	hc       *http.Client
}

// NewClient returns a client for the server at endpoint. Plain http is
// accepted only for a loopback host; hc nil means http.DefaultClient.
func NewClient(endpoint, user, password string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("caldav url %q: not an absolute URL: %w", endpoint, pam.ErrInvalid)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u) {
			return nil, fmt.Errorf("caldav url: plain http only to a loopback address, use https: %w", pam.ErrInvalid)
		}
	default:
		return nil, fmt.Errorf("caldav url: scheme %q not http(s): %w", u.Scheme, pam.ErrInvalid)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{endpoint: u, user: user, password: password, hc: hc}, nil
}

// IsLoopback reports whether u's host is a loopback address or localhost.
func IsLoopback(u *url.URL) bool {
	h := u.Hostname()
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// Endpoint returns the URL the client was made for.
func (c *Client) Endpoint() string { return c.endpoint.String() }

// resolve turns an href from the server into a canonical absolute URL:
// the path is decoded and re-encoded, so two spellings of one resource
// compare equal.
func (c *Client) resolve(base *url.URL, href string) string {
	r, err := base.Parse(strings.TrimSpace(href))
	if err != nil {
		return href
	}
	return (&url.URL{Scheme: r.Scheme, Host: r.Host, Path: r.Path}).String()
}

func (c *Client) do(ctx context.Context, method, target string, hdr map[string]string, body []byte) (*http.Response, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return nil, nil, fmt.Errorf("caldav %s: %w", method, err)
	}
	req.SetBasicAuth(c.user, c.password)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("caldav %s: %w", method, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, nil, fmt.Errorf("caldav %s: read response: %w", method, err)
	}
	if len(data) > maxBody {
		return nil, nil, fmt.Errorf("caldav %s: response larger than %d bytes", method, maxBody)
	}
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		return resp, data, ErrAuth
	case http.StatusPreconditionFailed:
		return resp, data, ErrPrecondition
	case http.StatusNotFound:
		return resp, data, fmt.Errorf("caldav %s %s: %w", method, pathOf(target), pam.ErrNotFound)
	}
	if resp.StatusCode >= 300 {
		return resp, data, fmt.Errorf("caldav %s %s: %s", method, pathOf(target), resp.Status)
	}
	return resp, data, nil
}

func pathOf(target string) string {
	if u, err := url.Parse(target); err == nil {
		return u.Path
	}
	return ""
}

// XML of WebDAV multistatus responses.
type multistatus struct {
	Responses []response `xml:"DAV: response"`
	SyncToken string     `xml:"DAV: sync-token"`
}

type response struct {
	Hrefs     []string   `xml:"DAV: href"`
	Status    string     `xml:"DAV: status"`
	Propstats []propstat `xml:"DAV: propstat"`
}

type propstat struct {
	Status string `xml:"DAV: status"`
	Prop   prop   `xml:"DAV: prop"`
}

type hrefProp struct {
	Href string `xml:"DAV: href"`
}

type prop struct {
	ETag         string `xml:"DAV: getetag"`
	DisplayName  string `xml:"DAV: displayname"`
	ResourceType struct {
		Collection *struct{} `xml:"DAV: collection"`
		Calendar   *struct{} `xml:"urn:ietf:params:xml:ns:caldav calendar"`
	} `xml:"DAV: resourcetype"`
	CurrentUserPrincipal hrefProp `xml:"DAV: current-user-principal"`
	CalendarHomeSet      hrefProp `xml:"urn:ietf:params:xml:ns:caldav calendar-home-set"`
	CompSet              struct {
		Comps []struct {
			Name string `xml:"name,attr"`
		} `xml:"urn:ietf:params:xml:ns:caldav comp"`
	} `xml:"urn:ietf:params:xml:ns:caldav supported-calendar-component-set"`
	CalendarData string `xml:"urn:ietf:params:xml:ns:caldav calendar-data"`
	CTag         string `xml:"http://calendarserver.org/ns/ getctag"`
	SyncToken    string `xml:"DAV: sync-token"`
	Reports      struct {
		Supported []struct {
			Report struct {
				SyncCollection *struct{} `xml:"DAV: sync-collection"`
			} `xml:"DAV: report"`
		} `xml:"DAV: supported-report"`
	} `xml:"DAV: supported-report-set"`
}

func (r response) href() string {
	if len(r.Hrefs) == 0 {
		return ""
	}
	return r.Hrefs[0]
}

// ok200 returns the merged properties of the 200 propstats.
func (r response) ok200() (prop, bool) {
	var p prop
	found := false
	for _, ps := range r.Propstats {
		if !statusOK(ps.Status) {
			continue
		}
		q := ps.Prop
		found = true
		if q.ETag != "" {
			p.ETag = q.ETag
		}
		if q.DisplayName != "" {
			p.DisplayName = q.DisplayName
		}
		if q.ResourceType.Collection != nil || q.ResourceType.Calendar != nil {
			p.ResourceType = q.ResourceType
		}
		if q.CurrentUserPrincipal.Href != "" {
			p.CurrentUserPrincipal = q.CurrentUserPrincipal
		}
		if q.CalendarHomeSet.Href != "" {
			p.CalendarHomeSet = q.CalendarHomeSet
		}
		if len(q.CompSet.Comps) > 0 {
			p.CompSet = q.CompSet
		}
		if q.CalendarData != "" {
			p.CalendarData = q.CalendarData
		}
		if q.CTag != "" {
			p.CTag = q.CTag
		}
		if q.SyncToken != "" {
			p.SyncToken = q.SyncToken
		}
		if len(q.Reports.Supported) > 0 {
			p.Reports = q.Reports
		}
	}
	return p, found
}

func statusOK(s string) bool {
	f := strings.Fields(s)
	return len(f) >= 2 && f[1] == "200"
}

func statusIs(s string, code string) bool {
	f := strings.Fields(s)
	return len(f) >= 2 && f[1] == code
}

func (c *Client) multistatus(ctx context.Context, method, target, depth, body string) (*multistatus, *url.URL, error) {
	ms, base, _, err := c.multistatusCode(ctx, method, target, depth, body)
	return ms, base, err
}

// multistatusCode is multistatus that also returns the HTTP status code
// (0 when there was no response).
func (c *Client) multistatusCode(ctx context.Context, method, target, depth, body string) (*multistatus, *url.URL, int, error) {
	ms, base, resp, err := c.multistatusResp(ctx, method, target, depth, body)
	code := 0
	if resp != nil {
		code = resp.StatusCode
	}
	return ms, base, code, err
}

func (c *Client) multistatusResp(ctx context.Context, method, target, depth, body string) (*multistatus, *url.URL, *http.Response, error) {
	hdr := map[string]string{"Content-Type": "application/xml; charset=utf-8", "Depth": depth}
	resp, data, err := c.do(ctx, method, target, hdr, []byte(body))
	if err != nil {
		return nil, nil, resp, err
	}
	if resp.StatusCode != http.StatusMultiStatus {
		return nil, nil, resp, fmt.Errorf("caldav %s %s: %s, want 207 Multi-Status", method, pathOf(target), resp.Status)
	}
	var ms multistatus
	if err := xml.Unmarshal(data, &ms); err != nil {
		return nil, nil, resp, fmt.Errorf("caldav %s %s: bad multistatus: %w", method, pathOf(target), err)
	}
	return &ms, resp.Request.URL, resp, nil
}

const xmlHeader = `<?xml version="1.0" encoding="utf-8"?>` + "\n"

// Collection is a calendar collection on the server.
type Collection struct {
	Href       string   // absolute URL
	Name       string   // displayname, else the last path element
	Components []string // supported components (VEVENT, VTODO, ...); empty when not said
	CTag       string
	SyncToken  string
	// SyncCollection: the server offers the sync-collection REPORT here.
	SyncCollection bool
}

const collectionProps = `<D:resourcetype/><D:displayname/><C:supported-calendar-component-set/><CS:getctag/><D:sync-token/><D:supported-report-set/>`

// Discover finds the user's calendars: current-user-principal, then its
// calendar-home-set, then the calendar collections in it. When the
// endpoint is itself a calendar collection, that one is returned. home is
// the calendar-home-set ("" in that case).
func (c *Client) Discover(ctx context.Context) (home string, cals []Collection, err error) {
	body := xmlHeader + `<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/"><D:prop>` +
		`<D:current-user-principal/><C:calendar-home-set/>` + collectionProps + `</D:prop></D:propfind>`
	ep := c.endpoint.String()
	ms, base, err := c.multistatus(ctx, "PROPFIND", ep, "0", body)
	if err != nil && !errors.Is(err, ErrAuth) {
		// Some servers answer only at /.well-known/caldav (RFC 6764).
		wk := c.resolve(c.endpoint, "/.well-known/caldav")
		if ms2, base2, err2 := c.multistatus(ctx, "PROPFIND", wk, "0", body); err2 == nil {
			ms, base, err = ms2, base2, nil
		}
	}
	if err != nil {
		return "", nil, fmt.Errorf("discover: %w", err)
	}
	var principal string
	for _, r := range ms.Responses {
		p, _ := r.ok200()
		if p.ResourceType.Calendar != nil {
			col := collectionFrom(c.resolve(base, r.href()), p)
			return "", []Collection{col}, nil
		}
		if p.CalendarHomeSet.Href != "" {
			home = c.resolve(base, p.CalendarHomeSet.Href)
		}
		if p.CurrentUserPrincipal.Href != "" {
			principal = c.resolve(base, p.CurrentUserPrincipal.Href)
		}
	}
	if home == "" {
		if principal == "" {
			principal = c.resolve(base, base.Path)
		}
		pb := xmlHeader + `<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-home-set/></D:prop></D:propfind>`
		ms, pbase, err := c.multistatus(ctx, "PROPFIND", principal, "0", pb)
		if err != nil {
			return "", nil, fmt.Errorf("discover: principal: %w", err)
		}
		for _, r := range ms.Responses {
			if p, _ := r.ok200(); p.CalendarHomeSet.Href != "" {
				home = c.resolve(pbase, p.CalendarHomeSet.Href)
			}
		}
		if home == "" {
			return "", nil, fmt.Errorf("discover: no calendar-home-set for the principal")
		}
	}
	cals, err = c.Calendars(ctx, home)
	return home, cals, err
}

// Calendars lists the calendar collections directly inside home.
func (c *Client) Calendars(ctx context.Context, home string) ([]Collection, error) {
	body := xmlHeader + `<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/"><D:prop>` +
		collectionProps + `</D:prop></D:propfind>`
	ms, base, err := c.multistatus(ctx, "PROPFIND", home, "1", body)
	if err != nil {
		return nil, fmt.Errorf("list calendars: %w", err)
	}
	var out []Collection
	for _, r := range ms.Responses {
		p, _ := r.ok200()
		if p.ResourceType.Calendar == nil {
			continue
		}
		out = append(out, collectionFrom(c.resolve(base, r.href()), p))
	}
	return out, nil
}

// Collection reads the properties of one calendar collection.
func (c *Client) Collection(ctx context.Context, href string) (Collection, error) {
	body := xmlHeader + `<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/"><D:prop>` +
		collectionProps + `</D:prop></D:propfind>`
	ms, base, err := c.multistatus(ctx, "PROPFIND", href, "0", body)
	if err != nil {
		return Collection{}, fmt.Errorf("calendar collection: %w", err)
	}
	for _, r := range ms.Responses {
		p, _ := r.ok200()
		if p.ResourceType.Calendar != nil {
			return collectionFrom(c.resolve(base, r.href()), p), nil
		}
	}
	return Collection{}, fmt.Errorf("calendar collection %s: not a calendar: %w", pathOf(href), pam.ErrNotFound)
}

func collectionFrom(href string, p prop) Collection {
	col := Collection{Href: href, Name: p.DisplayName, CTag: p.CTag, SyncToken: p.SyncToken}
	if !strings.HasSuffix(col.Href, "/") {
		col.Href += "/"
	}
	if col.Name == "" {
		parts := strings.Split(strings.Trim(pathOf(href), "/"), "/")
		col.Name = parts[len(parts)-1]
	}
	for _, cp := range p.CompSet.Comps {
		col.Components = append(col.Components, strings.ToUpper(cp.Name))
	}
	for _, s := range p.Reports.Supported {
		if s.Report.SyncCollection != nil {
			col.SyncCollection = true
		}
	}
	if col.SyncToken != "" {
		col.SyncCollection = true
	}
	return col
}

// ETags lists the resources of a collection with their ETags
// (PROPFIND Depth 1), keyed by absolute URL.
func (c *Client) ETags(ctx context.Context, coll string) (map[string]string, error) {
	body := xmlHeader + `<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><D:resourcetype/></D:prop></D:propfind>`
	ms, base, err := c.multistatus(ctx, "PROPFIND", coll, "1", body)
	if err != nil {
		return nil, fmt.Errorf("list etags: %w", err)
	}
	self := c.resolve(base, coll)
	out := map[string]string{}
	for _, r := range ms.Responses {
		h := c.resolve(base, r.href())
		p, _ := r.ok200()
		if h == self || strings.TrimSuffix(h, "/") == strings.TrimSuffix(self, "/") || p.ResourceType.Collection != nil {
			continue
		}
		out[h] = p.ETag
	}
	return out, nil
}

// Changes is the answer to a sync-collection REPORT.
type Changes struct {
	Changed map[string]string // href → ETag of new or changed resources
	Removed []string          // hrefs of removed resources
	Token   string            // the new sync token
}

// SyncCollection asks for the changes since token ("" for everything).
// An expired or unknown token is ErrSyncToken.
func (c *Client) SyncCollection(ctx context.Context, coll, token string) (Changes, error) {
	var tb bytes.Buffer
	xml.EscapeText(&tb, []byte(token))
	body := xmlHeader + `<D:sync-collection xmlns:D="DAV:"><D:sync-token>` + tb.String() +
		`</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`
	ms, base, code, err := c.multistatusCode(ctx, "REPORT", coll, "1", body)
	if err != nil {
		switch code {
		case http.StatusBadRequest, http.StatusForbidden, http.StatusConflict, http.StatusGone, http.StatusPreconditionFailed:
			if token != "" {
				// RFC 6578 3.2: DAV:valid-sync-token precondition.
				return Changes{}, fmt.Errorf("%w (%v)", ErrSyncToken, err)
			}
		}
		return Changes{}, fmt.Errorf("sync-collection: %w", err)
	}
	ch := Changes{Changed: map[string]string{}, Token: ms.SyncToken}
	self := strings.TrimSuffix(c.resolve(base, coll), "/")
	for _, r := range ms.Responses {
		h := c.resolve(base, r.href())
		if strings.TrimSuffix(h, "/") == self {
			continue
		}
		if statusIs(r.Status, "404") {
			ch.Removed = append(ch.Removed, h)
			continue
		}
		p, ok := r.ok200()
		if !ok {
			continue
		}
		if p.ResourceType.Collection != nil {
			continue
		}
		ch.Changed[h] = p.ETag
	}
	return ch, nil
}

// Object is one calendar resource.
type Object struct {
	Href string
	ETag string
	Data []byte
}

// MultiGet fetches resources of a collection (calendar-multiget), in
// batches. Resources gone in the meantime are left out.
func (c *Client) MultiGet(ctx context.Context, coll string, hrefs []string) ([]Object, error) {
	var out []Object
	for len(hrefs) > 0 {
		n := min(len(hrefs), 100)
		batch := hrefs[:n]
		hrefs = hrefs[n:]
		var b strings.Builder
		b.WriteString(xmlHeader + `<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>`)
		for _, h := range batch {
			b.WriteString("<D:href>")
			xml.EscapeText(&b, []byte(pathOf(h)))
			b.WriteString("</D:href>")
		}
		b.WriteString(`</C:calendar-multiget>`)
		ms, base, err := c.multistatus(ctx, "REPORT", coll, "1", b.String())
		if err != nil {
			return nil, fmt.Errorf("calendar-multiget: %w", err)
		}
		for _, r := range ms.Responses {
			p, ok := r.ok200()
			if !ok || p.CalendarData == "" {
				continue
			}
			out = append(out, Object{Href: c.resolve(base, r.href()), ETag: p.ETag, Data: crlf(p.CalendarData)})
		}
	}
	return out, nil
}

// Get fetches one resource.
func (c *Client) Get(ctx context.Context, href string) (Object, error) {
	resp, data, err := c.do(ctx, http.MethodGet, href, nil, nil)
	if err != nil {
		return Object{}, err
	}
	return Object{Href: c.resolve(resp.Request.URL, href), ETag: resp.Header.Get("ETag"), Data: data}, nil
}

// Put writes a resource. With etag "" it must not exist yet
// (If-None-Match: *); otherwise the server's copy must still have etag
// (If-Match). A failed condition is ErrPrecondition. It returns the new
// ETag, or "" when the server did not send one (it may then have changed
// the data; Get it).
func (c *Client) Put(ctx context.Context, href string, data []byte, etag string) (string, error) {
	hdr := map[string]string{"Content-Type": "text/calendar; charset=utf-8"}
	if etag == "" {
		hdr["If-None-Match"] = "*"
	} else {
		hdr["If-Match"] = etag
	}
	resp, _, err := c.do(ctx, http.MethodPut, href, hdr, data)
	if err != nil {
		return "", err
	}
	return resp.Header.Get("ETag"), nil
}

// Delete removes a resource if the server's copy still has etag
// (If-Match; "" deletes unconditionally). A failed condition is
// ErrPrecondition; a missing resource is pam.ErrNotFound.
func (c *Client) Delete(ctx context.Context, href, etag string) error {
	hdr := map[string]string{}
	if etag != "" {
		hdr["If-Match"] = etag
	}
	_, _, err := c.do(ctx, http.MethodDelete, href, hdr, nil)
	return err
}

// crlf restores the CRLF line ends of iCalendar text that XML parsing
// turned into LF (XML 1.0 2.11), so that a multiget gives the same bytes
// as a GET.
func crlf(s string) []byte {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
}
