package transition

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"opensend/internal/sen"
)

func d(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// weekdays outside the holidays are school days.
func schoolDays(hols ...[2]string) func(time.Time) bool {
	return func(t time.Time) bool {
		if t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
			return false
		}
		for _, h := range hols {
			if !t.Before(d(h[0])) && !t.After(d(h[1])) {
				return false
			}
		}
		return true
	}
}

func TestCTFDue(t *testing.T) {
	october := [2]string{"2026-10-26", "2026-10-30"}
	summer := [2]string{"2026-07-23", "2026-09-02"}
	for _, tc := range []struct {
		name   string
		left   string
		hols   [][2]string
		want   string
		reason string
	}{
		{"left on a Friday, no holidays", "2026-10-02", nil, "2026-10-23", "3 weeks of weekdays"},
		{"left on a Monday", "2026-10-05", nil, "2026-10-26", "the leaving day is not counted"},
		{"half-term inside the 15 days", "2026-10-16", [][2]string{october}, "2026-11-13", "one week added for half-term"},
		{"left on the last day of the summer term", "2026-07-22", [][2]string{summer}, "2026-09-23", "the summer holiday is not counted"},
		{"left in the holiday", "2026-08-10", [][2]string{summer}, "2026-09-23", "counting starts at the new term"},
		{"left on a Saturday", "2026-10-03", nil, "2026-10-23", "the next 15 weekdays"},
	} {
		var hols [][2]string = tc.hols
		got := CTFDue(d(tc.left), schoolDays(hols...))
		if !got.Equal(d(tc.want)) {
			t.Errorf("%s: CTFDue(%s) = %s, want %s (%s)", tc.name, tc.left, got.Format("2006-01-02"), tc.want, tc.reason)
		}
	}
	// A calendar with no school days stops rather than looping for ever.
	if got := CTFDue(d("2026-10-02"), func(time.Time) bool { return false }); got.Before(d("2027-10-01")) {
		t.Errorf("no school days: got %s", got)
	}
}

func TestLeavingValidate(t *testing.T) {
	today := d("2026-12-02")
	for _, tc := range []struct {
		name  string
		l     Leaving
		adm   time.Time
		field string // "" = valid
	}{
		{"valid", Leaving{LeftOn: d("2026-11-30"), Reason: "transfer", DestName: "Riverside Academy", DestURN: "123456", DestLAESTAB: "201/4001"}, time.Time{}, ""},
		{"no date", Leaving{Reason: "transfer"}, time.Time{}, "leftOn"},
		{"far future", Leaving{LeftOn: d("2026-12-20"), Reason: "transfer"}, time.Time{}, "leftOn"},
		{"before admission", Leaving{LeftOn: d("2026-01-05"), Reason: "transfer"}, d("2026-02-01"), "leftOn"},
		{"too old", Leaving{LeftOn: d("2024-01-05"), Reason: "transfer"}, time.Time{}, "leftOn"},
		{"no reason", Leaving{LeftOn: d("2026-11-30")}, time.Time{}, "reason"},
		{"unknown reason", Leaving{LeftOn: d("2026-11-30"), Reason: "expelled?"}, time.Time{}, "reason"},
		{"bad URN", Leaving{LeftOn: d("2026-11-30"), Reason: "transfer", DestURN: "12345"}, time.Time{}, "destURN"},
		{"bad LAESTAB", Leaving{LeftOn: d("2026-11-30"), Reason: "transfer", DestLAESTAB: "20140"}, time.Time{}, "destLAESTAB"},
		{"LAESTAB with a non-English LA", Leaving{LeftOn: d("2026-11-30"), Reason: "transfer", DestLAESTAB: "9994001"}, time.Time{}, "destLAESTAB"},
		{"control character in name", Leaving{LeftOn: d("2026-11-30"), Reason: "transfer", DestName: "Bad\x07School"}, time.Time{}, "destName"},
	} {
		fe := tc.l.Validate(today, tc.adm)
		if tc.field == "" && len(fe) > 0 {
			t.Errorf("%s: unexpected errors %v", tc.name, fe)
		}
		if tc.field != "" && fe[tc.field] == "" {
			t.Errorf("%s: want an error on %s, got %v", tc.name, tc.field, fe)
		}
	}
	l := Leaving{LeftOn: d("2026-11-30"), Reason: "transfer", DestLAESTAB: "201/4001"}
	l.Validate(today, time.Time{})
	if l.DestLAESTAB != "2014001" {
		t.Errorf("LAESTAB not normalised: %q", l.DestLAESTAB)
	}
}

func TestCheckSentAndUndo(t *testing.T) {
	today := d("2026-12-02")
	for _, tc := range []struct {
		sent, left string
		bad        bool
	}{{"2026-12-01", "2026-11-20", false}, {"", "2026-11-20", true}, {"2026-12-03", "2026-11-20", true}, {"2026-09-01", "2026-11-20", true}} {
		var sent time.Time
		if tc.sent != "" {
			sent = d(tc.sent)
		}
		if got := len(CheckSent(sent, d(tc.left), today)) > 0; got != tc.bad {
			t.Errorf("CheckSent(%s, %s) bad=%v want %v", tc.sent, tc.left, got, tc.bad)
		}
	}
	if len(CheckUndo("")) == 0 || len(CheckUndo(strings.Repeat("x", 501))) == 0 || len(CheckUndo("Recorded for the wrong pupil")) != 0 {
		t.Error("CheckUndo")
	}
}

func TestCTFMilestone(t *testing.T) {
	l := Leaving{CTFDue: d("2026-12-10")}
	m := CTFMilestone(l)
	if m.Key != KeyCTF || m.Done != nil || m.Due.Time() != d("2026-12-10") {
		t.Errorf("open milestone %+v", m)
	}
	l.CTFSentOn = d("2026-12-04")
	if m := CTFMilestone(l); m.Done == nil || m.Done.Time() != d("2026-12-04") {
		t.Errorf("done milestone %+v", m)
	}
}

func TestFileName(t *testing.T) {
	for _, tc := range []struct {
		src, dst string
		seq      int
		want     string
	}{
		{"2011000", "2014001", 1, "2011000_CTF_2014001_001.xml"},
		{"2011000", "", 12, "2011000_CTF_MMMMMMM_012.xml"},
		{"8231234", "8234321", 999, "8231234_CTF_8234321_999.xml"},
	} {
		if got := FileName(tc.src, tc.dst, tc.seq); got != tc.want {
			t.Errorf("FileName(%q,%q,%d) = %q, want %q", tc.src, tc.dst, tc.seq, got, tc.want)
		}
	}
	if AcademicYearOf(d("2026-08-31")) != "2025" || AcademicYearOf(d("2026-09-01")) != "2026" {
		t.Error("AcademicYearOf")
	}
}

func sample() CTF {
	return CTF{DateTime: time.Date(2026, 12, 2, 10, 15, 0, 0, time.UTC),
		Source: School{LEA: "201", Estab: "1000", URN: "100000", Name: "Hillside Primary", AcademicYear: "2026"},
		Dest:   School{LEA: "201", Estab: "4001", URN: "123456"},
		Pupils: []CTFPupil{
			{UPN: "R201100018042", Surname: "Okafor", Forename: "Amara", DOB: d("2015-05-01"), Sex: "F", YearGroup: "6",
				SEN:   []SENEntry{{d("2021-09-06"), "K"}, {d("2023-03-01"), "E"}},
				Needs: []sen.Need{{Rank: 1, Code: "SLCN"}, {Rank: 2, Code: "SEMH"}}},
			{UPN: "B801200005001", Surname: "Smith", Forename: "Jo", DOB: d("2015-01-20"), Sex: "M", YearGroup: "6"},
		}}
}

func TestWriteElements(t *testing.T) {
	out, err := Write(sample())
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{
		`<?xml version="1.0" encoding="UTF-8"?>`, "<CTfile>", "<CTFversion>25.0</CTFversion>", "<DocumentName>Common Transfer File</DocumentName>",
		"<DateTime>2026-12-02T10:15:00</DateTime>", "<DocumentQualifier>partial</DocumentQualifier>",
		"<SourceSchool>", "<LEA>201</LEA>", "<Estab>1000</Estab>", "<URN>100000</URN>", "<SchoolName>Hillside Primary</SchoolName>", "<AcademicYear>2026</AcademicYear>",
		"<DestSchool>", "<CTFpupilData>", "<UPN>R201100018042</UPN>", "<DOB>2015-05-01</DOB>", "<Sex>F</Sex>", "<NCyearActual>6</NCyearActual>",
		"<SENhistory>", "<SEN>", "<StartDate>2021-09-06</StartDate>", "<SENprovision>K</SENprovision>", "<SENneeds>",
		"<SENneed>", "<SENtype>SLCN</SENtype>", "<SENtypeRank>1</SENtypeRank>",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("CTF lacks %s", want)
		}
	}
	if strings.Contains(s, "<Gender>") {
		t.Error("CTF 25 writes <Sex>, not <Gender>")
	}
	// The pupil without SEN has no SENhistory block.
	if strings.Count(s, "<SENhistory>") != 1 {
		t.Errorf("want one SENhistory, got %d", strings.Count(s, "<SENhistory>"))
	}
}

func TestRoundTrip(t *testing.T) {
	f := sample()
	out, err := Write(f)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(out, d("2026-12-02"))
	if err != nil {
		t.Fatal(err)
	}
	if !p.OK() || len(p.Notes) != 0 {
		t.Fatalf("problems %v notes %v", p.Problems, p.Notes)
	}
	if !reflect.DeepEqual(p.CTF.Pupils, f.Pupils) {
		t.Errorf("pupils differ:\n got %+v\nwant %+v", p.CTF.Pupils, f.Pupils)
	}
	if p.CTF.Source != f.Source || p.CTF.Version != CTFVersion || !p.CTF.DateTime.Equal(time.Date(2026, 12, 2, 10, 15, 0, 0, time.UTC)) {
		t.Errorf("header %+v", p.CTF)
	}
}

const pupilXML = `<Pupil><UPN>%s</UPN><Surname>Okafor</Surname><Forename>Amara</Forename><DOB>2015-05-01</DOB>%s<BasicDetails><NCyearActual>6</NCyearActual></BasicDetails>%s</Pupil>`

func file(pupils ...string) []byte {
	return []byte(`<?xml version="1.0" encoding="utf-8"?><CTfile><Header><CTFversion>25.0</CTFversion></Header><CTFpupilData>` + strings.Join(pupils, "") + `</CTFpupilData></CTfile>`)
}

func TestParseRefuses(t *testing.T) {
	today := d("2026-12-02")
	ok := fmt.Sprintf(pupilXML, "R201100018042", "<Sex>F</Sex>", "")
	deep := strings.Repeat("<a>", MaxCTFDepth+1) + strings.Repeat("</a>", MaxCTFDepth+1)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "empty"},
		{"oversized", append(file(ok), bytes.Repeat([]byte(" "), MaxCTFBytes)...), "larger than"},
		{"not XML", []byte("UPN,Surname\nR201100018042,Okafor\n"), "no XML elements"},
		{"truncated", file(ok)[:120], "not well-formed"},
		{"DOCTYPE", []byte(`<?xml version="1.0"?><!DOCTYPE CTfile [<!ENTITY x "boom">]><CTfile><Header/></CTfile>`), "DOCTYPE"},
		{"billion laughs", []byte(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><CTfile>&lol2;</CTfile>`), "DOCTYPE"},
		{"undeclared entity", []byte(`<CTfile><Header/><CTFpupilData>&xxe;</CTFpupilData></CTfile>`), "not well-formed"},
		{"external entity without DOCTYPE", []byte(`<!ENTITY xxe SYSTEM "file:///etc/passwd"><CTfile/>`), "refused for safety"},
		{"too deep", []byte(`<CTfile><Header/><CTFpupilData>` + deep + `</CTFpupilData></CTfile>`), "nested more than"},
		{"wrong root", []byte(`<Census><Header/></Census>`), "not a CTF"},
		{"no header", []byte(`<CTfile><CTFpupilData/></CTfile>`), "no <Header>"},
		{"no pupils", file(), "no pupils"},
		{"other charset", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><CTfile/>`), "UTF-8"},
	} {
		_, err := Parse(tc.data, today)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: want a ParseError, got %v", tc.name, err)
			continue
		}
		if !strings.Contains(pe.Msg, tc.want) {
			t.Errorf("%s: message %q lacks %q", tc.name, pe.Msg, tc.want)
		}
	}
}

func TestParsePupils(t *testing.T) {
	today := d("2026-12-02")
	sen1 := `<SENhistory><SEN><StartDate>2022-09-05</StartDate><SENprovision>K</SENprovision></SEN><SENneeds><SENneed><SENtype>SPLD</SENtype><SENtypeRank>1</SENtypeRank></SENneed></SENneeds></SENhistory>`
	for _, tc := range []struct {
		name    string
		pupil   string
		problem string // "" = none
		check   func(CTFPupil) bool
	}{
		{"Sex", fmt.Sprintf(pupilXML, "R201100018042", "<Sex>F</Sex>", sen1), "", func(p CTFPupil) bool { return p.Sex == "F" && len(p.SEN) == 1 && p.Needs[0].Code == "SPLD" }},
		{"older Gender", fmt.Sprintf(pupilXML, "R201100018042", "<Gender>M</Gender>", ""), "", func(p CTFPupil) bool { return p.Sex == "M" }},
		{"temporary UPN", fmt.Sprintf(pupilXML, "T20110001804V", "<Sex>F</Sex>", ""), "", func(p CTFPupil) bool { return p.UPN == "T20110001804V" }},
		{"wrong check letter", fmt.Sprintf(pupilXML, "A201100018042", "<Sex>F</Sex>", ""), "check letter", nil},
		{"Arbor's wrong example", fmt.Sprintf(pupilXML, "Q207000016049", "<Sex>F</Sex>", ""), "check letter", nil},
		{"UPN too short", fmt.Sprintf(pupilXML, "R20110001804", "<Sex>F</Sex>", ""), "13 characters", nil},
		{"no sex", fmt.Sprintf(pupilXML, "R201100018042", "", ""), "sex", nil},
		{"bad provision", fmt.Sprintf(pupilXML, "R201100018042", "<Sex>F</Sex>", `<SENhistory><SEN><StartDate>2022-09-05</StartDate><SENprovision>S</SENprovision></SEN></SENhistory>`), "not N, K or E", nil},
		{"needs without provision", fmt.Sprintf(pupilXML, "R201100018042", "<Sex>F</Sex>", `<SENhistory><SENneeds><SENneed><SENtype>SPLD</SENtype><SENtypeRank>1</SENtypeRank></SENneed></SENneeds></SENhistory>`), "no SEN provision", nil},
		{"K without a need", fmt.Sprintf(pupilXML, "R201100018042", "<Sex>F</Sex>", `<SENhistory><SEN><StartDate>2022-09-05</StartDate><SENprovision>K</SENprovision></SEN></SENhistory>`), "census rules", nil},
		{"unknown need", fmt.Sprintf(pupilXML, "R201100018042", "<Sex>F</Sex>", `<SENhistory><SEN><StartDate>2022-09-05</StartDate><SENprovision>K</SENprovision></SEN><SENneeds><SENneed><SENtype>XYZ</SENtype><SENtypeRank>1</SENtypeRank></SENneed></SENneeds></SENhistory>`), "census SEN type", nil},
		{"future SEN start", fmt.Sprintf(pupilXML, "R201100018042", "<Sex>F</Sex>", `<SENhistory><SEN><StartDate>2027-09-05</StartDate><SENprovision>N</SENprovision></SEN></SENhistory>`), "future", nil},
	} {
		p, err := Parse(file(tc.pupil), today)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		probs := strings.Join(p.Problems[0], "; ")
		switch {
		case tc.problem == "" && probs != "":
			t.Errorf("%s: unexpected problems %s", tc.name, probs)
		case tc.problem != "" && !strings.Contains(probs, tc.problem):
			t.Errorf("%s: problems %q lack %q", tc.name, probs, tc.problem)
		case tc.check != nil && !tc.check(p.CTF.Pupils[0]):
			t.Errorf("%s: pupil read as %+v", tc.name, p.CTF.Pupils[0])
		}
	}
}

func TestParseNotesUnknownAndDuplicates(t *testing.T) {
	extra := `<Contacts><Contact>x</Contact></Contacts><Attendance/>`
	p, err := Parse(file(fmt.Sprintf(pupilXML, "R201100018042", "<Sex>F</Sex>", extra), fmt.Sprintf(pupilXML, "R201100018042", "<Sex>F</Sex>", "")), d("2026-12-02"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "Attendance, Contacts") {
		t.Errorf("notes %v", p.Notes)
	}
	if p.OK() || !strings.Contains(strings.Join(p.Problems[1], ""), "also pupil 1") {
		t.Errorf("duplicate UPN not found: %v", p.Problems)
	}
	old := bytes.Replace(file(fmt.Sprintf(pupilXML, "R201100018042", "<Sex>F</Sex>", "")), []byte("25.0"), []byte("17.0"), 1)
	p, err = Parse(old, d("2026-12-02"))
	if err != nil || len(p.Notes) != 1 || !strings.Contains(p.Notes[0], `"17.0"`) {
		t.Errorf("old version: %v %v", err, p.Notes)
	}
}

func TestCompare(t *testing.T) {
	f := sample()
	parsed := Parsed{CTF: f, Problems: map[int][]string{}}
	held := map[string]Held{
		// Jo is held with no SEN: nothing to add.
		"B801200005001": {Pupil: sen.Pupil{ID: 9, Surname: "Smith", Forename: "Jo", DOB: d("2015-01-20")}},
	}
	cs := Compare(parsed, held)
	if cs[0].Kind != ChangeNew || len(cs[0].AddSEN) != 2 || cs[0].Status != "E" || !cs[0].NeedsChange {
		t.Errorf("new pupil %+v", cs[0])
	}
	if cs[1].Kind != ChangeNothing || cs[1].PupilID != 9 {
		t.Errorf("held pupil %+v", cs[1])
	}
	// Amara held with the first entry already and an older need: the E
	// entry is added and the file's needs (newer) replace the school's.
	held["R201100018042"] = Held{Pupil: sen.Pupil{ID: 7, Surname: "Okafor", Forename: "Amara", DOB: d("2015-05-01"), Needs: []sen.Need{{Rank: 1, Code: "MLD"}}},
		History: []SENEntry{{d("2021-09-06"), "K"}}}
	cs = Compare(parsed, held)
	if cs[0].Kind != ChangeUpdate || len(cs[0].AddSEN) != 1 || cs[0].AddSEN[0].Provision != "E" || cs[0].Needs[0].Code != "SLCN" || len(cs[0].Problems) != 0 {
		t.Errorf("update %+v", cs[0])
	}
	// The school's record is newer: the entries are added to history, the
	// school's needs are kept.
	held["R201100018042"] = Held{Pupil: sen.Pupil{ID: 7, Surname: "Okafor", Forename: "Amara", DOB: d("2015-05-01"), Needs: []sen.Need{{Rank: 1, Code: "MLD"}}},
		History: []SENEntry{{d("2024-09-06"), "K"}}}
	cs = Compare(parsed, held)
	if cs[0].Status != "K" || cs[0].NeedsChange || len(cs[0].AddSEN) != 2 {
		t.Errorf("school newer %+v", cs[0])
	}
	// A leaver is a problem; a new pupil without a year group too.
	held["R201100018042"] = Held{Pupil: sen.Pupil{ID: 7}, Left: true}
	f.Pupils[1].YearGroup = ""
	delete(held, "B801200005001")
	cs = Compare(Parsed{CTF: f}, held)
	if len(cs[0].Problems) == 0 || len(cs[1].Problems) == 0 || Importable(cs) {
		t.Errorf("problems %v %v", cs[0].Problems, cs[1].Problems)
	}
}

func TestCheckSchoolNumbers(t *testing.T) {
	for _, tc := range []struct {
		laestab, urn string
		bad          string
		want         string
	}{
		{"886/2001", "142001", "", "8862001"},
		{"8862001", "", "", "8862001"},
		{"", "142001", "laestab", ""},
		{"88620", "", "laestab", ""},
		{"9992001", "", "laestab", ""},
		{"8862001", "1420", "urn", ""},
	} {
		l, _, fe := CheckSchoolNumbers(tc.laestab, tc.urn)
		if tc.bad == "" && (len(fe) > 0 || l != tc.want) {
			t.Errorf("%q %q: %v %q", tc.laestab, tc.urn, fe, l)
		}
		if tc.bad != "" && fe[tc.bad] == "" {
			t.Errorf("%q %q: want an error on %s, got %v", tc.laestab, tc.urn, tc.bad, fe)
		}
	}
	if v, fe := CheckDest("201/4001"); v != "2014001" || len(fe) > 0 {
		t.Errorf("CheckDest: %q %v", v, fe)
	}
	if _, fe := CheckDest("1234"); len(fe) == 0 {
		t.Error("CheckDest accepts 1234")
	}
	if v, fe := CheckDest(""); v != "" || len(fe) > 0 {
		t.Error("CheckDest blank")
	}
}
