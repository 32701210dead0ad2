package transition

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"opensend/internal/sen"
)

// The common transfer file (CTF). Element names, their case and nesting are
// those of statutory-facts.md §3.2 (confirmed from the DfE MTC exporter and
// the Follett DfE import/export code ✅/☑). OpenSEND writes the mandatory
// core (UPN, Surname, Forename, DOB, Sex: §3.1 ☑), the NC year and the SEN
// history; the other blocks (contacts, attendance, assessments) are
// optional per export (§3.1 ☑) and are not written.

// CTFVersion is the version OpenSEND writes: CTF 25 for 2025/26 (§3.1 ☑).
// Receiving systems accept the current and the previous version.
const CTFVersion = "25.0"

// AcceptedVersions are the CTF versions the reader accepts without a note
// (the current and the previous, §3.1 ☑). Older files are read with a note.
var AcceptedVersions = []string{"25.0", "24.0"}

// UnknownDestination is the LA + establishment written when the next school
// is not known. ⚠ Unconfirmed: the fact sheet does not give the DfE's code
// for an unknown destination; "MMMMMMM" (the Lost Pupils Database's) is the
// value schools use in practice, kept here as data to check against the CTF
// 25 specification.
var UnknownDestination = "MMMMMMM"

// DocumentQualifier is "partial": OpenSEND writes some of the CTF's blocks
// (full | partial, §3.2).
const DocumentQualifier = "partial"

// SupplierID names OpenSEND as the file's supplier.
const SupplierID = "OpenSEND"

// MaxCTFBytes is the largest CTF the reader accepts (a 300-pupil file with
// every block is a few megabytes).
const MaxCTFBytes = 5 << 20

// MaxCTFDepth is the deepest nesting of elements the reader accepts (the
// deepest CTF element is about 7 levels down).
const MaxCTFDepth = 24

// School is a school as the CTF header names it.
type School struct {
	LEA, Estab, URN, Name string
	AcademicYear          string // the year the academic year starts, "2025" for 2025/26
}

// LAESTAB is the seven-digit LA + establishment number ("" when either is missing).
func (s School) LAESTAB() string {
	if s.LEA == "" || s.Estab == "" {
		return ""
	}
	return s.LEA + s.Estab
}

// SENEntry is one entry of a pupil's SEN provision history.
type SENEntry struct {
	Start     time.Time // calendar date, midnight UTC
	Provision string    // N, K or E
}

// CTFPupil is one pupil of a CTF: the core details and the SEN history.
type CTFPupil struct {
	UPN       string
	Surname   string
	Forename  string
	DOB       time.Time
	Sex       string // census code F or M
	YearGroup string // NCyearActual as a census year group ("" if absent)
	SEN       []SENEntry
	Needs     []sen.Need // ranked SEN types
}

// CTF is one file: its header and pupils.
type CTF struct {
	Version   string
	DateTime  time.Time
	Qualifier string
	Supplier  string
	Source    School
	Dest      School
	Pupils    []CTFPupil
}

// FileName is the DfE file-name convention LLLEEEE_CTF_LLLEEEE_NNN.xml:
// source LA + establishment, "_CTF_", destination LA + establishment and a
// three-digit sequence number (§3.1 ☑, Bedfordshire IMS page; older spec).
func FileName(source, dest string, seq int) string {
	if dest == "" {
		dest = UnknownDestination
	}
	return fmt.Sprintf("%s_CTF_%s_%03d.xml", source, dest, seq%1000)
}

// AcademicYearOf is the CTF's AcademicYear for a date: the calendar year in
// which its academic year (1 September to 31 August) starts.
func AcademicYearOf(d time.Time) string {
	y := d.Year()
	if d.Month() < time.September {
		y--
	}
	return strconv.Itoa(y)
}

// The XML shapes written (encoding/xml), element names as §3.2.
type xmlFile struct {
	XMLName xml.Name   `xml:"CTfile"`
	Header  xmlHeader  `xml:"Header"`
	Pupils  []xmlPupil `xml:"CTFpupilData>Pupil"`
}

type xmlHeader struct {
	DocumentName      string    `xml:"DocumentName"`
	CTFversion        string    `xml:"CTFversion"`
	DateTime          string    `xml:"DateTime"`
	DocumentQualifier string    `xml:"DocumentQualifier"`
	SupplierID        string    `xml:"SupplierID"`
	SourceSchool      xmlSource `xml:"SourceSchool"`
	DestSchool        xmlDest   `xml:"DestSchool"`
}

type xmlSource struct {
	LEA          string `xml:"LEA"`
	Estab        string `xml:"Estab"`
	URN          string `xml:"URN,omitempty"`
	SchoolName   string `xml:"SchoolName"`
	AcademicYear string `xml:"AcademicYear"`
}

type xmlDest struct {
	LEA   string `xml:"LEA"`
	Estab string `xml:"Estab"`
	URN   string `xml:"URN,omitempty"`
}

type xmlPupil struct {
	UPN          string         `xml:"UPN"`
	Surname      string         `xml:"Surname"`
	Forename     string         `xml:"Forename"`
	DOB          string         `xml:"DOB"`
	Sex          string         `xml:"Sex"`
	BasicDetails xmlBasic       `xml:"BasicDetails"`
	SENhistory   *xmlSENhistory `xml:"SENhistory,omitempty"`
}

type xmlBasic struct {
	NCyearActual string `xml:"NCyearActual,omitempty"`
}

type xmlSENhistory struct {
	SEN      []xmlSEN     `xml:"SEN"`
	SENneeds *xmlSENneeds `xml:"SENneeds,omitempty"`
}

type xmlSEN struct {
	StartDate    string `xml:"StartDate"`
	SENprovision string `xml:"SENprovision"`
}

type xmlSENneeds struct {
	SENneed []xmlSENneed `xml:"SENneed"`
}

type xmlSENneed struct {
	SENtype     string `xml:"SENtype"`
	SENtypeRank int    `xml:"SENtypeRank"`
}

// Write renders f as a CTF (UTF-8, with the XML declaration). SEN history
// is written oldest first; needs by rank.
func Write(f CTF) ([]byte, error) {
	x := xmlFile{Header: xmlHeader{
		DocumentName: "Common Transfer File", CTFversion: CTFVersion, DateTime: f.DateTime.In(sen.London()).Format("2006-01-02T15:04:05"),
		DocumentQualifier: DocumentQualifier, SupplierID: SupplierID,
		SourceSchool: xmlSource{LEA: f.Source.LEA, Estab: f.Source.Estab, URN: f.Source.URN, SchoolName: f.Source.Name, AcademicYear: f.Source.AcademicYear},
		DestSchool:   xmlDest{LEA: f.Dest.LEA, Estab: f.Dest.Estab, URN: f.Dest.URN},
	}}
	for _, p := range f.Pupils {
		xp := xmlPupil{UPN: p.UPN, Surname: p.Surname, Forename: p.Forename, DOB: p.DOB.Format("2006-01-02"), Sex: p.Sex,
			BasicDetails: xmlBasic{NCyearActual: p.YearGroup}}
		if len(p.SEN) > 0 || len(p.Needs) > 0 {
			h := &xmlSENhistory{}
			entries := append([]SENEntry(nil), p.SEN...)
			sort.SliceStable(entries, func(i, j int) bool { return entries[i].Start.Before(entries[j].Start) })
			for _, e := range entries {
				h.SEN = append(h.SEN, xmlSEN{StartDate: e.Start.Format("2006-01-02"), SENprovision: e.Provision})
			}
			if len(p.Needs) > 0 {
				needs := append([]sen.Need(nil), p.Needs...)
				sort.SliceStable(needs, func(i, j int) bool { return needs[i].Rank < needs[j].Rank })
				h.SENneeds = &xmlSENneeds{}
				for _, n := range needs {
					h.SENneeds.SENneed = append(h.SENneeds.SENneed, xmlSENneed{SENtype: n.Code, SENtypeRank: n.Rank})
				}
			}
			xp.SENhistory = h
		}
		x.Pupils = append(x.Pupils, xp)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(x); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// ParseError is a file the reader refuses, with the message for a person.
// Nothing is imported from a refused file.
type ParseError struct{ Msg string }

func (e *ParseError) Error() string { return e.Msg }

func refuse(format string, args ...any) error { return &ParseError{Msg: fmt.Sprintf(format, args...)} }

// node is an element of the file as read: its name, text and children.
type node struct {
	name     string
	text     strings.Builder
	children []*node
}

func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (n *node) all(name string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

func (n *node) val(name string) string {
	if c := n.child(name); c != nil {
		return strings.TrimSpace(c.text.String())
	}
	return ""
}

// readTree reads the document into a tree, refusing a file that is too
// large, declares a DTD (no DOCTYPE: no entities can be defined, so none is
// expanded), nests too deeply or is not well-formed XML.
func readTree(data []byte) (*node, error) {
	if len(data) > MaxCTFBytes {
		return nil, refuse("The file is larger than %d MB: a CTF is much smaller. Check it is the right file", MaxCTFBytes>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, refuse("The file is empty")
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = nil // only the five predefined XML entities are known
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "utf-8", "us-ascii", "":
			return input, nil
		}
		return nil, refuse("The file is encoded as %s: OpenSEND reads CTFs encoded as UTF-8", charset)
	}
	var root *node
	var stack []*node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				return nil, pe
			}
			return nil, refuse("The file is not a readable CTF: it is not well-formed XML (%s)", xmlProblem(err))
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) {
				return nil, refuse("The file declares a document type (DOCTYPE), which a CTF never does: it has been refused for safety")
			}
			return nil, refuse("The file contains an XML declaration (<!%s) that a CTF never has: it has been refused for safety", firstWord(t))
		case xml.StartElement:
			if len(stack) >= MaxCTFDepth {
				return nil, refuse("The file's elements are nested more than %d deep, which a CTF never is: it has been refused", MaxCTFDepth)
			}
			n := &node{name: t.Name.Local}
			if len(stack) == 0 {
				if root != nil {
					return nil, refuse("The file has more than one top-level element: it is not a CTF")
				}
				root = n
			} else {
				top := stack[len(stack)-1]
				top.children = append(top.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if root == nil {
		return nil, refuse("The file has no XML elements: it is not a CTF")
	}
	return root, nil
}

func firstWord(b []byte) string {
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// xmlProblem shortens a decoder error for a person (its line number).
func xmlProblem(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return "line " + strconv.Itoa(se.Line) + ": " + se.Msg
	}
	return err.Error()
}

// known are the elements the reader uses or expects (the blocks it reads
// past without a note are the optional blocks OpenSEND has no place for:
// they are named once in the notes).
var readPupil = map[string]bool{"UPN": true, "Surname": true, "Forename": true, "DOB": true, "Sex": true, "Gender": true, "BasicDetails": true, "SENhistory": true}

// Parsed is a CTF as read, with notes on what was ignored and the problems
// of each pupil (keyed by the pupil's place in the file, from 0).
type Parsed struct {
	CTF      CTF
	Notes    []string
	Problems map[int][]string
}

// OK reports whether every pupil can be imported.
func (p Parsed) OK() bool { return len(p.Problems) == 0 }

// Parse reads a CTF safely (ParseError for a refused file) and checks each
// pupil: the core details (UPN with its check letter, §4; names, date of
// birth, sex), the SEN history's provision codes and dates and the needs
// (census rules, sen.CheckCensus on the latest entry). Both <Sex> and the
// older <Gender> are accepted (§3.1 ☑); elements OpenSEND does not read are
// ignored, and named in Notes.
func Parse(data []byte, today time.Time) (Parsed, error) {
	root, err := readTree(data)
	if err != nil {
		return Parsed{}, err
	}
	if root.name != "CTfile" {
		return Parsed{}, refuse("The file is XML but not a CTF: its top element is <%s>, not <CTfile>", root.name)
	}
	out := Parsed{Problems: map[int][]string{}}
	ignored := map[string]bool{}
	h := root.child("Header")
	if h == nil {
		return Parsed{}, refuse("The CTF has no <Header>: it cannot be read")
	}
	f := &out.CTF
	f.Version = h.val("CTFversion")
	f.Qualifier = h.val("DocumentQualifier")
	f.Supplier = h.val("SupplierID")
	if t, err := time.Parse("2006-01-02T15:04:05", h.val("DateTime")); err == nil {
		f.DateTime = t
	}
	if s := h.child("SourceSchool"); s != nil {
		f.Source = School{LEA: s.val("LEA"), Estab: s.val("Estab"), URN: s.val("URN"), Name: s.val("SchoolName"), AcademicYear: s.val("AcademicYear")}
	}
	if s := h.child("DestSchool"); s != nil {
		f.Dest = School{LEA: s.val("LEA"), Estab: s.val("Estab"), URN: s.val("URN")}
	}
	accepted := false
	for _, v := range AcceptedVersions {
		accepted = accepted || v == f.Version
	}
	if !accepted {
		out.Notes = append(out.Notes, fmt.Sprintf("The file is CTF version %q; OpenSEND writes %s and reads %s without question. Check the details below carefully.", f.Version, CTFVersion, strings.Join(AcceptedVersions, " and ")))
	}
	for _, c := range root.children {
		if c.name != "Header" && c.name != "CTFpupilData" {
			ignored[c.name] = true
		}
	}
	data2 := root.child("CTFpupilData")
	if data2 == nil {
		return Parsed{}, refuse("The CTF has no <CTFpupilData>: there are no pupils in it")
	}
	seen := map[string]int{}
	for i, pn := range data2.all("Pupil") {
		p, probs := readOnePupil(pn, today, ignored)
		if j, dup := seen[p.UPN]; dup && p.UPN != "" {
			probs = append(probs, fmt.Sprintf("The UPN %s is also pupil %d's in this file", p.UPN, j+1))
		}
		seen[p.UPN] = i
		f.Pupils = append(f.Pupils, p)
		if len(probs) > 0 {
			out.Problems[i] = probs
		}
	}
	if len(f.Pupils) == 0 {
		return Parsed{}, refuse("The CTF has no pupils in it")
	}
	if len(ignored) > 0 {
		names := make([]string, 0, len(ignored))
		for n := range ignored {
			names = append(names, n)
		}
		sort.Strings(names)
		out.Notes = append(out.Notes, "Not imported (OpenSEND keeps no record of these): "+strings.Join(names, ", ")+".")
	}
	return out, nil
}

func readOnePupil(pn *node, today time.Time, ignored map[string]bool) (CTFPupil, []string) {
	var probs []string
	p := CTFPupil{UPN: sen.NormaliseUPN(pn.val("UPN")), Surname: pn.val("Surname"), Forename: pn.val("Forename")}
	for _, c := range pn.children {
		if !readPupil[c.name] {
			ignored[c.name] = true
		}
	}
	if msg := sen.CheckUPN(p.UPN); msg != "" {
		probs = append(probs, msg)
	}
	if p.Surname == "" || p.Forename == "" {
		probs = append(probs, "The pupil's surname and forename are both needed")
	}
	if msg := sen.CheckName(p.Surname + p.Forename); msg != "" || len(p.Surname) > 100 || len(p.Forename) > 100 {
		probs = append(probs, "The pupil's name has characters or a length OpenSEND cannot accept")
	}
	if dob, err := time.Parse("2006-01-02", pn.val("DOB")); err != nil {
		probs = append(probs, "The date of birth is missing or not a date (YYYY-MM-DD)")
	} else if dob.After(today) || dob.Before(today.AddDate(-26, 0, 0)) {
		probs = append(probs, "The date of birth must be in the last 26 years")
	} else {
		p.DOB = dob
	}
	sex := pn.val("Sex")
	if sex == "" {
		sex = pn.val("Gender") // CTFs before the change to <Sex> (§3.1 ☑)
	}
	if p.Sex = sen.NormaliseSex(sex); p.Sex == "" {
		probs = append(probs, "The pupil's sex is missing or not F or M")
	}
	if b := pn.child("BasicDetails"); b != nil {
		if y := b.val("NCyearActual"); y != "" {
			p.YearGroup = sen.NormaliseYearGroup(y)
			if p.YearGroup == "" {
				probs = append(probs, fmt.Sprintf("The NC year %q is not a year group", y))
			}
		}
	}
	if h := pn.child("SENhistory"); h != nil {
		for _, s := range h.all("SEN") {
			start, err := time.Parse("2006-01-02", s.val("StartDate"))
			code := s.val("SENprovision")
			switch {
			case err != nil:
				probs = append(probs, "An SEN history entry has no start date, or one that is not a date")
			case !sen.ValidStatus(code):
				probs = append(probs, fmt.Sprintf("An SEN history entry has the provision %q, not N, K or E", code))
			case start.After(today):
				probs = append(probs, "An SEN history entry starts in the future ("+start.Format("2 January 2006")+")")
			default:
				p.SEN = append(p.SEN, SENEntry{Start: start, Provision: code})
			}
		}
		if ns := h.child("SENneeds"); ns != nil {
			for _, n := range ns.all("SENneed") {
				rank, err := strconv.Atoi(n.val("SENtypeRank"))
				code := n.val("SENtype")
				if _, ok := sen.LookupNeed(code); !ok || err != nil {
					probs = append(probs, fmt.Sprintf("The SEN need %q (rank %q) is not a census SEN type with a rank", code, n.val("SENtypeRank")))
					continue
				}
				p.Needs = append(p.Needs, sen.Need{Rank: rank, Code: code})
			}
		}
		sort.SliceStable(p.SEN, func(i, j int) bool { return p.SEN[i].Start.Before(p.SEN[j].Start) })
		sort.SliceStable(p.Needs, func(i, j int) bool { return p.Needs[i].Rank < p.Needs[j].Rank })
		status := sen.StatusNone
		if len(p.SEN) > 0 {
			status = p.SEN[len(p.SEN)-1].Provision
		}
		if len(p.SEN) == 0 && len(p.Needs) > 0 {
			probs = append(probs, "The file gives SEN needs but no SEN provision with its start date")
		} else if cp := sen.CheckCensus(status, p.Needs); len(cp) > 0 {
			probs = append(probs, "The SEN history does not meet the census rules: "+cp[0])
		}
	}
	return p, probs
}

// Current is the provision status of the latest entry of a history (N with none).
func Current(h []SENEntry) (string, time.Time) {
	var best SENEntry
	for _, e := range h {
		if best.Start.IsZero() || !e.Start.Before(best.Start) {
			best = e
		}
	}
	if best.Provision == "" {
		return sen.StatusNone, time.Time{}
	}
	return best.Provision, best.Start
}
