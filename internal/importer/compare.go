package importer

import (
	"time"

	"opensend/internal/sen"
)

// What an import would do to each pupil in the file.
const (
	KindNew       = "new"       // not on the roll: added
	KindUpdated   = "updated"   // on the roll by UPN, with fields that change
	KindUnchanged = "unchanged" // on the roll and the same in every imported field
)

// Change is what an import would do to one pupil of the file.
type Change struct {
	Row    int
	Pupil  sen.Pupil // as in the file
	Kind   string
	Fields []FieldChange // for KindUpdated, in the order of Columns
}

// FieldChange is one field that an import changes: its label and the values
// as people read them ("" for none).
type FieldChange struct {
	Label    string
	Old, New string
}

// Compare says, for each row, whether its pupil is new, updated (and which
// fields change from what to what) or unchanged, against the pupils already
// on the roll by UPN. It compares the fields the store's import writes
// (store.ImportPupils), so its counts are the import's.
func Compare(rows []Row, existing map[string]sen.Pupil) []Change {
	out := make([]Change, 0, len(rows))
	for _, r := range rows {
		c := Change{Row: r.Row, Pupil: r.Pupil, Kind: KindNew}
		if old, ok := existing[r.Pupil.UPN]; ok {
			c.Fields = diff(old, r.Pupil)
			c.Kind = KindUnchanged
			if len(c.Fields) > 0 {
				c.Kind = KindUpdated
			}
		}
		out = append(out, c)
	}
	return out
}

// Count is how many changes are of kind.
func Count(cs []Change, kind string) int {
	n := 0
	for _, c := range cs {
		if c.Kind == kind {
			n++
		}
	}
	return n
}

func diff(old, p sen.Pupil) []FieldChange {
	var out []FieldChange
	add := func(label, a, b string) {
		if a != b {
			out = append(out, FieldChange{Label: label, Old: a, New: b})
		}
	}
	add("Surname", old.Surname, p.Surname)
	add("Forename", old.Forename, p.Forename)
	add("Date of birth", longDate(old.DOB), longDate(p.DOB))
	add("Sex", sexLabel(old.Sex), sexLabel(p.Sex))
	add("Year group", sen.YearGroupLabel(old.YearGroup), sen.YearGroupLabel(p.YearGroup))
	add("Class", old.ClassName, p.ClassName)
	add("Admission date", longDate(old.AdmissionDate), longDate(p.AdmissionDate))
	return out
}

// longDate is a date as people read it ("2 January 2006"), "" for none.
func longDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 January 2006")
}

func sexLabel(code string) string {
	for _, o := range sen.Sexes {
		if o.Code == code {
			return o.Label
		}
	}
	return code
}
