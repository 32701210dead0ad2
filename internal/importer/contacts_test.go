package importer

import (
	"strings"
	"testing"
)

func TestParseContacts(t *testing.T) {
	header := "UPN,Contact Name,Relationship,Parental Responsibility,Lives With Pupil,Telephone,Email,Preferred Contact Method,Home Language,Interpreter,Court Order,Notes\n"
	good := header + "R201100018042,Grace Okafor,Mum,Yes,Y,07700 900982,grace@example.com,Email,Igbo,yes,,ignored\n" +
		"r201100018042 ,Samuel Okafor,Father,yes,no,,,,,,No contact: court order 2025,\n"
	res := ParseContacts([]byte(good))
	if !res.OK() || len(res.Rows) != 2 {
		t.Fatalf("errors: %v", res.Errors)
	}
	c := res.Rows[0].Contact
	if res.Rows[0].UPN != "R201100018042" || c.Relationship != "mother" || !c.ParentalResp || !c.LivesWith || c.PreferredWay != "email" || !c.Interpreter || c.Restricted {
		t.Fatalf("row 2: %+v", res.Rows[0])
	}
	if d := res.Rows[1]; d.UPN != "R201100018042" || !d.Contact.Restricted || d.Contact.Restriction != "No contact: court order 2025" {
		t.Fatalf("row 3: %+v", d)
	}
	if len(res.Ignored) != 1 || res.Ignored[0].Header != "Notes" {
		t.Fatalf("ignored: %+v", res.Ignored)
	}
	tests := []struct {
		name string
		data string
		want []string
	}{
		{"empty", "", []string{"The file is empty"}},
		{"no rows", header, []string{"no contacts"}},
		{"missing column", "UPN,Contact Name\nR201100018042,Grace\n", []string{"no Relationship column"}},
		{"bad UPN", header + "A201100018042,Grace Okafor,Mother,,,,,,,,,\n", []string{"Row 2, UPN: UPN check letter is wrong"}},
		{"bad relationship", header + "R201100018042,Grace Okafor,Neighbour,,,,,,,,,\n", []string{`Row 2, Relationship: "Neighbour" is not a relationship`}},
		{"bad yes/no", header + "R201100018042,Grace Okafor,Mother,maybe,,,,,,,,\n", []string{`Row 2, Parental responsibility: "maybe" is not yes or no`}},
		{"bad email", header + "R201100018042,Grace Okafor,Mother,,,,grace at example,,,,,\n", []string{"Row 2, Email: Enter an email address"}},
		{"no name", header + "R201100018042,,Mother,,,,,,,,,\n", []string{"Row 2, Contact name: Enter the contact's name"}},
		{"email preferred with none", header + "R201100018042,Grace,Mother,,,,,Email,,,,\n", []string{"Row 2, Email: Enter an email address, or choose another way"}},
		{"second row bad, first fine", good + "R201100018042,Ann,Aunt,,,123,,,,,,\n", []string{"Row 4, Phone: Enter a phone number"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := ParseContacts([]byte(tc.data))
			if res.OK() {
				t.Fatal("accepted a bad file")
			}
			var got []string
			for _, e := range res.Errors {
				got = append(got, e.String())
			}
			all := strings.Join(got, " | ")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("errors %q lack %q", all, w)
				}
			}
		})
	}
}
