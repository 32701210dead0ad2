package importer

import (
	"strings"
	"testing"
	"time"
)

var today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func TestParseGoodFileWithMISHeadings(t *testing.T) {
	data := "\xef\xbb\xbfUPN,Legal Surname,Legal Forename,Date of Birth,Gender,Year,Reg Group,Admission Date\r\n" +
		"R201100018042,Okafor,Amara,01/05/2014,Female,Year 7,7A,02/09/2025\r\n" +
		"t20110001804v,Ng,Cara,2013-02-03,M,8,8B,\r\n" +
		",,,,,,,\r\n"
	res := Parse([]byte(data), today)
	if !res.OK() || len(res.Rows) != 2 {
		t.Fatalf("errors: %v", res.Errors)
	}
	p := res.Rows[0].Pupil
	if p.UPN != "R201100018042" || p.Sex != "F" || p.YearGroup != "7" || p.DOB != time.Date(2014, 5, 1, 0, 0, 0, 0, time.UTC) || p.ClassName != "7A" {
		t.Fatalf("row 1: %+v", p)
	}
	if res.Rows[1].Pupil.UPN != "T20110001804V" || res.Rows[1].Row != 3 {
		t.Fatalf("row 2: %+v", res.Rows[1])
	}
}

func TestParseBadFiles(t *testing.T) {
	header := "UPN,Surname,Forename,DOB,Sex,Year Group,Class\n"
	tests := []struct {
		name string
		data string
		want []string
	}{
		{"empty", "", []string{"The file is empty"}},
		{"no rows", header, []string{"no pupils"}},
		{"missing column", "UPN,Surname,Forename,DOB,Year Group\nR201100018042,A,B,01/01/2014,7\n", []string{"no Sex column"}},
		{"bad check letter", header + "A201100018042,Okafor,Amara,01/05/2014,F,7,7A\n", []string{"Row 2, UPN: UPN check letter is wrong"}},
		{"bad date", header + "R201100018042,Okafor,Amara,31/02/2014,F,7,7A\n", []string{`Row 2, Date of birth: "31/02/2014" is not a date`}},
		{"future dob", header + "R201100018042,Okafor,Amara,01/05/2027,F,7,7A\n", []string{"Row 2, Date of birth: Date of birth must be in the past"}},
		{"bad sex and year", header + "R201100018042,Okafor,Amara,01/05/2014,X,Year 15,7A\n", []string{`Row 2, Sex: "X" is not a census value`, `Row 2, Year group: "Year 15" is not a year group`}},
		{"missing name", header + "R201100018042,,Amara,01/05/2014,F,7,7A\n", []string{"Row 2, Surname: Enter the pupil's last name"}},
		{"duplicate upn", header + "R201100018042,Okafor,Amara,01/05/2014,F,7,7A\nR201100018042,Other,Name,01/05/2014,F,7,7A\n", []string{"Row 3, UPN: UPN R201100018042 is also on row 2"}},
		{"column count", header + "R201100018042,Okafor,Amara,01/05/2014,F,7\n", []string{"Row 2, row: this row has a different number of columns"}},
		{"NUL in a name", header + "R201100018042,Oka\x00for,Amara,01/05/2014,F,7,7A\n", []string{"Row 2, Surname: Enter text without control characters"}},
		{"invalid UTF-8 (Latin-1 export)", header + "R201100018042,Okafor,Am\xe9lie,01/05/2014,F,7,7A\n", []string{"Row 2, column 3 (Forename): has a character that is not UTF-8"}},
		{"bidi override in a surname", header + "R201100018042,Oka\u202efor,Amara,01/05/2014,F,7,7A\n", []string{"Row 2, Surname: Enter the name without hidden direction-changing characters"}},
		{"tab in a name", header + "R201100018042,\"Oka\tfor\",Amara,01/05/2014,F,7,7A\n", []string{"Row 2, Surname: Enter text without control characters"}},
		{"control character in a class", header + "R201100018042,Okafor,Amara,01/05/2014,F,7,7\x01A\n", []string{"Row 2, Class: Enter text without control characters"}},
		{"bad quote", header + "R201100018042,\"Okafor,Amara,01/05/2014,F,7,7A\n", []string{"quotation mark"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Parse([]byte(tt.data), today)
			if res.OK() {
				t.Fatal("bad file accepted")
			}
			var got []string
			for _, e := range res.Errors {
				got = append(got, e.String())
			}
			all := strings.Join(got, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("want %q in:\n%s", w, all)
				}
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("UPN,Surname,Forename,DOB,Sex,Year Group\nR201100018042,A,B,01/01/2014,F,7\n"))
	f.Add([]byte("\"a\nb"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := Parse(data, today)
		for _, r := range res.Rows {
			if r.Pupil.UPN == "" || r.Row < 2 {
				t.Fatalf("invalid row accepted: %+v", r)
			}
		}
	})
}
