package transition

import (
	"slices"
	"time"

	"opensend/internal/sen"
)

// Held is what the school holds of a pupil a CTF names (by UPN).
type Held struct {
	Pupil   sen.Pupil
	History []SENEntry
	Left    bool
}

// Change kinds of a CTF import, per pupil.
const (
	ChangeNew     = "new"     // a pupil the school does not hold
	ChangeUpdate  = "update"  // SEN history entries or needs to add or change
	ChangeNothing = "nothing" // the school already holds everything
)

// Change is what importing one pupil of a CTF would do.
type Change struct {
	Index       int // place in the file, from 0
	Kind        string
	Pupil       CTFPupil
	PupilID     int64 // the school's pupil, for an update
	AddSEN      []SENEntry
	Status      string // the provision status after the import
	StatusFrom  time.Time
	NeedsBefore []sen.Need
	Needs       []sen.Need // the needs after the import
	NeedsChange bool
	Problems    []string
	Notes       []string
}

// Compare says, for each pupil of a parsed CTF, what importing it would add
// or change against what the school holds (held, by UPN). A pupil the
// school holds gets the SEN history entries it does not already have (the
// same start date and provision); its needs become the file's when the
// file's latest entry is the pupil's latest after the import (the file is
// the newer record), and are otherwise kept. The pupil's own details are
// never changed by a CTF (the school's MIS keeps them); differences are
// noted. A problem (the parser's, or one found here) stops the whole import.
func Compare(p Parsed, held map[string]Held) []Change {
	out := make([]Change, 0, len(p.CTF.Pupils))
	for i, fp := range p.CTF.Pupils {
		c := Change{Index: i, Pupil: fp, Problems: append([]string(nil), p.Problems[i]...)}
		h, ok := held[fp.UPN]
		if !ok {
			c.Kind = ChangeNew
			c.AddSEN = fp.SEN
			c.Status, c.StatusFrom = Current(fp.SEN)
			c.Needs = fp.Needs
			c.NeedsChange = len(fp.Needs) > 0
			if fp.YearGroup == "" {
				c.Problems = append(c.Problems, "The file gives no NC year (NCyearActual): a new pupil needs a year group")
			}
			out = append(out, c)
			continue
		}
		c.PupilID = h.Pupil.ID
		if h.Left {
			c.Problems = append(c.Problems, "This pupil has left this school: undo the leaving on the Leavers page before importing their CTF")
		}
		if h.Pupil.Surname != fp.Surname || h.Pupil.Forename != fp.Forename || !h.Pupil.DOB.Equal(fp.DOB) {
			c.Notes = append(c.Notes, "The name or date of birth in the file differs from the school's record: the school's record is kept")
		}
		merged := append([]SENEntry(nil), h.History...)
		for _, e := range fp.SEN {
			if !slices.Contains(h.History, e) {
				c.AddSEN = append(c.AddSEN, e)
				merged = append(merged, e)
			}
		}
		c.Status, c.StatusFrom = Current(merged)
		c.NeedsBefore, c.Needs = h.Pupil.Needs, h.Pupil.Needs
		fileStatus, fileFrom := Current(fp.SEN)
		if len(fp.SEN) > 0 && fileFrom.Equal(c.StatusFrom) && fileStatus == c.Status {
			c.Needs = fp.Needs
		}
		c.NeedsChange = !sameNeeds(c.NeedsBefore, c.Needs)
		if len(c.AddSEN) == 0 && !c.NeedsChange {
			c.Kind = ChangeNothing
		} else {
			c.Kind = ChangeUpdate
			if cp := sen.CheckCensus(c.Status, c.Needs); len(cp) > 0 {
				c.Problems = append(c.Problems, "After the import the pupil's SEN record would not meet the census rules: "+cp[0])
			}
		}
		out = append(out, c)
	}
	return out
}

func sameNeeds(a, b []sen.Need) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Importable reports whether every change can be committed.
func Importable(cs []Change) bool {
	for _, c := range cs {
		if len(c.Problems) > 0 {
			return false
		}
	}
	return true
}
