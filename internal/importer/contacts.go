package importer

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"

	"opensend/internal/people"
	"opensend/internal/sen"
)

// ContactColumns are the columns of a MIS contacts export the importer
// understands (SIMS, Arbor and Bromcom name them slightly differently).
// Each row is one contact of one pupil, found by UPN.
var ContactColumns = []Column{
	{"upn", "UPN", true, []string{"upn", "unique pupil number", "pupil upn"}},
	{"name", "Contact name", true, []string{"contact name", "name", "contact", "full name", "parent name"}},
	{"relationship", "Relationship", true, []string{"relationship", "relation", "relationship to pupil", "relationship to student"}},
	{"pr", "Parental responsibility", false, []string{"parental responsibility", "has parental responsibility", "pr"}},
	{"livesWith", "Lives with pupil", false, []string{"lives with pupil", "lives with", "lives with student", "resides with"}},
	{"address", "Address", false, []string{"address", "home address", "full address"}},
	{"phone", "Phone", false, []string{"phone", "telephone", "mobile", "mobile phone", "home phone", "phone number", "telephone number"}},
	{"email", "Email", false, []string{"email", "e-mail", "email address", "e-mail address"}},
	{"preferredWay", "Preferred contact", false, []string{"preferred contact", "preferred contact method", "contact method", "preferred way of contact"}},
	{"language", "Language", false, []string{"language", "preferred language", "home language", "first language"}},
	{"interpreter", "Interpreter needed", false, []string{"interpreter needed", "interpreter", "needs interpreter"}},
	{"restriction", "Restriction", false, []string{"restriction", "restrictions", "court order", "contact restriction"}},
}

// ContactRow is one valid contact with its row number and the pupil's UPN.
type ContactRow struct {
	Row     int
	UPN     string
	Contact people.Contact
}

// ContactResult is the outcome of reading a contacts file.
type ContactResult struct {
	Rows    []ContactRow
	Errors  []RowError
	Columns []string
	Ignored []IgnoredColumn
}

// OK reports whether the file can be committed.
func (r ContactResult) OK() bool { return len(r.Errors) == 0 && len(r.Rows) > 0 }

func contactColumnFor(h string) *Column {
	h = strings.ToLower(strings.TrimSpace(h))
	for i := range ContactColumns {
		for _, a := range ContactColumns[i].Aliases {
			if h == a {
				return &ContactColumns[i]
			}
		}
	}
	return nil
}

// relationshipCodes maps the words MIS exports use to people.Relationships.
var relationshipCodes = map[string]string{
	"mother": "mother", "mum": "mother", "father": "father", "dad": "father",
	"step-mother": "step_parent", "stepmother": "step_parent", "step mother": "step_parent", "step-father": "step_parent",
	"stepfather": "step_parent", "step father": "step_parent", "step-parent": "step_parent", "step parent": "step_parent",
	"carer": "carer", "guardian": "carer", "legal guardian": "carer", "foster carer": "foster_carer", "foster mother": "foster_carer",
	"foster father": "foster_carer", "grandmother": "grandparent", "grandfather": "grandparent", "grandparent": "grandparent",
	"aunt": "other_relative", "uncle": "other_relative", "brother": "other_relative", "sister": "other_relative",
	"sibling": "other_relative", "cousin": "other_relative", "other relative": "other_relative", "relative": "other_relative",
	"social worker": "social_worker", "other": "other", "family friend": "other", "childminder": "other",
}

// contactWayCodes maps preferred-contact words to people.ContactWays.
var contactWayCodes = map[string]string{
	"phone": "phone", "telephone": "phone", "mobile": "phone", "call": "phone", "email": "email", "e-mail": "email",
	"letter": "letter", "post": "letter", "text": "text", "sms": "text", "text message": "text", "in person": "in_person", "face to face": "in_person",
}

// yesNo reads a yes/no cell ("" is no).
func yesNo(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "", "n", "no", "false", "0":
		return false, true
	case "y", "yes", "true", "1":
		return true, true
	}
	return false, false
}

var contactFieldLabel = map[string]string{"upn": "UPN", "name": "Contact name", "relationship": "Relationship", "pr": "Parental responsibility",
	"livesWith": "Lives with pupil", "address": "Address", "phone": "Phone", "email": "Email", "preferredWay": "Preferred contact",
	"language": "Language", "interpreter": "Interpreter needed", "restriction": "Restriction"}

var contactFieldOrder = []string{"upn", "name", "relationship", "pr", "livesWith", "address", "phone", "email", "preferredWay", "language", "interpreter", "restriction"}

// ParseContacts reads a contacts CSV. It checks every row (the UPN's form,
// the contact's fields by people.Contact.Validate) and reports each problem
// by row and column; which UPNs are on the roll the caller checks.
func ParseContacts(data []byte) ContactResult {
	var res ContactResult
	if len(data) > MaxBytes {
		res.Errors = append(res.Errors, RowError{Msg: fmt.Sprintf("The file must be smaller than %d MB", MaxBytes>>20)})
		return res
	}
	data, _, derr := decode(data)
	if derr != nil {
		res.Errors = append(res.Errors, *derr)
		return res
	}
	if len(bytes.TrimSpace(data)) == 0 {
		res.Errors = append(res.Errors, RowError{Msg: "The file is empty. Export the contacts from your MIS as CSV and try again"})
		return res
	}
	comma := delimiter(data)
	if e := notUTF8(data, comma); e != nil {
		res.Errors = append(res.Errors, *e)
		return res
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = comma
	cr.TrimLeadingSpace = comma != '\t'
	header, err := cr.Read()
	if err != nil {
		res.Errors = append(res.Errors, RowError{Msg: "The first row must be a header row naming the columns: " + csvErr(err)})
		return res
	}
	cr.FieldsPerRecord = len(header)
	idx := map[string]int{}
	for i, h := range header {
		c := contactColumnFor(h)
		if c == nil {
			res.Ignored = append(res.Ignored, IgnoredColumn{Column: i + 1, Header: strings.TrimSpace(h)})
			continue
		}
		if _, dup := idx[c.Key]; dup {
			res.Errors = append(res.Errors, RowError{Msg: fmt.Sprintf("The header has more than one %s column (column %d is %q)", c.Label, i+1, header[i])})
		}
		idx[c.Key] = i
	}
	for _, c := range ContactColumns {
		if _, ok := idx[c.Key]; ok {
			res.Columns = append(res.Columns, c.Label)
		} else if c.Required {
			res.Errors = append(res.Errors, RowError{Msg: fmt.Sprintf("The file has no %s column. The header row must include UPN, Contact name and Relationship", c.Label)})
		}
	}
	if len(res.Errors) > 0 {
		return res
	}
	if !eachRow(cr, data, comma, header, idx, &res.Errors, func() int { return len(res.Rows) }, func(line int, get func(string) string) {
		fe := sen.FieldErrors{}
		upn := sen.NormaliseUPN(get("upn"))
		if upn == "" {
			fe.Add("upn", "is empty")
		} else if m := sen.CheckUPN(upn); m != "" {
			fe.Add("upn", m)
		}
		c := people.Contact{Name: get("name"), Address: get("address"), Phone: get("phone"), Email: get("email"), Language: get("language")}
		rel := get("relationship")
		if code, ok := relationshipCodes[strings.ToLower(rel)]; ok {
			c.Relationship = code
		} else if rel != "" {
			fe.Add("relationship", fmt.Sprintf("%q is not a relationship OpenSEND knows: use, for example, Mother, Father, Carer, Grandparent or Other", rel))
		}
		if v := get("preferredWay"); v != "" {
			if code, ok := contactWayCodes[strings.ToLower(v)]; ok {
				c.PreferredWay = code
			} else {
				fe.Add("preferredWay", fmt.Sprintf("%q is not a way of contact: use Phone, Email, Letter, Text or In person", v))
			}
		}
		for _, b := range []struct {
			key string
			to  *bool
		}{{"pr", &c.ParentalResp}, {"livesWith", &c.LivesWith}, {"interpreter", &c.Interpreter}} {
			v := get(b.key)
			yes, ok := yesNo(v)
			if !ok {
				fe.Add(b.key, fmt.Sprintf("%q is not yes or no", v))
			}
			*b.to = yes
		}
		if v := get("restriction"); v != "" {
			if no, ok := yesNo(v); !(ok && !no) {
				c.Restricted, c.Restriction = true, v
			}
		}
		for k, m := range c.Validate() {
			fe.Add(k, m)
		}
		if len(fe) > 0 {
			for _, k := range contactFieldOrder {
				if m, ok := fe[k]; ok {
					res.Errors = append(res.Errors, RowError{Row: line, Field: contactFieldLabel[k], Msg: m})
				}
			}
			return
		}
		res.Rows = append(res.Rows, ContactRow{Row: line, UPN: upn, Contact: c})
	}) {
		return res
	}
	if len(res.Rows) == 0 && len(res.Errors) == 0 {
		res.Errors = append(res.Errors, RowError{Msg: "The file has a header row but no contacts"})
	}
	return res
}
