package importer

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"opensend/internal/sen"
)

func utf16Bytes(s string, order binary.AppendByteOrder) []byte {
	out := []byte{0xff, 0xfe}
	if order == binary.BigEndian {
		out = []byte{0xfe, 0xff}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		out = order.AppendUint16(out, u)
	}
	return out
}

const sample = "UPN,Surname,Forename,DOB,Sex,Year,Class,Ethnicity,,Tutor\n" +
	"R201100018042,Ọkafor,Amara,01/05/2014,F,7,7A,WBRI,,Mr X\n"

// Every shape of export a spreadsheet or MIS writes reads the same pupil,
// with the columns it does not use listed.
func TestParseEncodingsAndSeparators(t *testing.T) {
	tab := strings.ReplaceAll(sample, ",", "\t")
	semi := strings.ReplaceAll(sample, ",", ";")
	for _, tt := range []struct {
		name      string
		data      []byte
		enc, sep  string
		wantClass string
	}{
		{"UTF-8", []byte(sample), "UTF-8", "commas", "7A"},
		{"UTF-8 BOM", []byte("\xef\xbb\xbf" + sample), "UTF-8", "commas", "7A"},
		{"semicolons CRLF", []byte(strings.ReplaceAll(semi, "\n", "\r\n")), "UTF-8", "semicolons", "7A"},
		{"tabs", []byte(tab), "UTF-8", "tabs", "7A"},
		{"UTF-16LE BOM tabs", utf16Bytes(tab, binary.LittleEndian), "UTF-16", "tabs", "7A"},
		{"UTF-16BE BOM commas", utf16Bytes(sample, binary.BigEndian), "UTF-16", "commas", "7A"},
		// A comma inside a semicolon file's field stays in the field.
		{"semicolons with a comma in a value", []byte(strings.Replace(semi, ";7A;", ";7A, East;", 1)), "UTF-8", "semicolons", "7A, East"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := Parse(tt.data, today)
			if !res.OK() {
				t.Fatalf("errors: %v", res.Errors)
			}
			p := res.Rows[0].Pupil
			if p.Surname != "Ọkafor" || p.ClassName != tt.wantClass || p.Sex != "F" || res.Encoding != tt.enc || res.Delimiter != tt.sep {
				t.Fatalf("read %+v as %s/%s", p, res.Encoding, res.Delimiter)
			}
			want := []IgnoredColumn{{8, "Ethnicity"}, {9, ""}, {10, "Tutor"}}
			if len(res.Ignored) != len(want) {
				t.Fatalf("ignored %+v", res.Ignored)
			}
			for i := range want {
				if res.Ignored[i] != want[i] {
					t.Fatalf("ignored %+v, want %+v", res.Ignored, want)
				}
			}
		})
	}
}

func TestParseRefusesUnreadableText(t *testing.T) {
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"UTF-16 without BOM", utf16Bytes(sample, binary.LittleEndian)[2:], "UTF-16 (Unicode text) saved without a byte order mark"},
		{"UTF-16 cut short", utf16Bytes(sample, binary.LittleEndian)[:11], "its last character is cut short"},
		{"UTF-16 lone surrogate", append([]byte{0xff, 0xfe}, 0x00, 0xd8, 'A', 0), "characters that cannot be read"},
		{"Windows-1252 in the header", []byte("UPN,Surname,Fore\x96name\n"), "Row 1, column 3: has a character that is not UTF-8"},
		{"Latin-1 in row 3", []byte("UPN;Surname;Forename;DOB;Sex;Year\nR201100018042;Okafor;Amara;01/05/2014;F;7\nT20110001804V;Ng;Ren\xe9e;2013-02-03;F;8\n"),
			"Row 3, column 3 (Forename): has a character that is not UTF-8"},
		{"Latin-1 after a quoted line break", []byte("UPN,Surname,Forename,DOB,Sex,Year\nR201100018042,\"Oka\nfor\",Amara,01/05/2014,F,7\nT20110001804V,Ng,Ren\xe9e,2013-02-03,F,8\n"),
			"Row 3, column 3 (Forename)"},
		{"bare quote", []byte("UPN,Surname,Forename,DOB,Sex,Year\nR201100018042,Okafor,Am\"ara,01/05/2014,F,7\n"), "Row 2, column 3 (Forename): a quotation mark"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := Parse(tt.data, today)
			if res.OK() {
				t.Fatal("accepted")
			}
			var got []string
			for _, e := range res.Errors {
				got = append(got, e.String())
			}
			if all := strings.Join(got, "\n"); !strings.Contains(all, tt.want) {
				t.Fatalf("want %q in %q", tt.want, all)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	old := sen.Pupil{UPN: "A", Forename: "Amara", Surname: "Okafor", DOB: d(2014, 5, 1), Sex: "F", YearGroup: "7", ClassName: "7A"}
	same := old
	changed := old
	changed.UPN = "A"
	changed.Sex, changed.YearGroup, changed.ClassName, changed.AdmissionDate = "M", "R", "", d(2025, 9, 2)
	existing := map[string]sen.Pupil{"A": old, "B": func() sen.Pupil { p := old; p.UPN = "B"; return p }()}
	same.UPN = "B"
	fresh := sen.Pupil{UPN: "C", Forename: "Ivy"}
	got := Compare([]Row{{2, changed}, {3, same}, {4, fresh}}, existing)
	if len(got) != 3 || got[0].Kind != KindUpdated || got[1].Kind != KindUnchanged || got[2].Kind != KindNew || got[2].Row != 4 {
		t.Fatalf("kinds: %+v", got)
	}
	want := []FieldChange{{"Sex", "Female", "Male"}, {"Year group", "Year 7", "Reception"}, {"Class", "7A", ""}, {"Admission date", "", "2 September 2025"}}
	if len(got[0].Fields) != len(want) {
		t.Fatalf("fields %+v", got[0].Fields)
	}
	for i := range want {
		if got[0].Fields[i] != want[i] {
			t.Fatalf("field %d: %+v, want %+v", i, got[0].Fields[i], want[i])
		}
	}
	if Count(got, KindNew) != 1 || Count(got, KindUpdated) != 1 || Count(got, KindUnchanged) != 1 {
		t.Fatal("counts")
	}
}
