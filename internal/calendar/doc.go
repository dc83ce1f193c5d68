// Package calendar reads and writes iCalendar (RFC 5545) data and answers
// questions about it: which instances a recurring event has in a window
// (across DST changes, with EXDATE, RDATE and RECURRENCE-ID overrides),
// when a person is busy or free, and how to answer an iTIP (RFC 5546)
// invitation.
//
// It is pure: no network, no store. Parse is lenient the way calendar
// clients are: a bad line or value is recorded in Calendar.Problems and
// skipped, and Parse fails only when a size limit is exceeded or there is
// no calendar at all. Unknown properties, parameters and components are
// kept and written back by Encode.
//
// Time zones: a TZID is resolved as an IANA name, then as a Windows zone
// name (CLDR windowsZones), then through the file's own VTIMEZONE. Values
// without a zone are floating and take the viewer's zone when expanded.
//
// All expansion is bounded (MaxRuleWork, MaxCallWork, MaxOccurrences), so
// hostile rules cannot hang a caller. See doc/design/calendar.md.
package calendar
