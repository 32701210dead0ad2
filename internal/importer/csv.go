// Package importer reads pupil lists exported from a school MIS (SIMS,
// Arbor, Bromcom and others export CSV with slightly different headings),
// validates every row and reports each problem by row and field. It never
// writes: the caller previews the result and commits it in one transaction.
package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"opensend/internal/sen"
)

// MaxBytes is the largest file accepted (a 3,000-pupil export is ~300 KB).
const MaxBytes = 5 << 20

// MaxRows bounds the number of pupils in one file.
const MaxRows = 10000

// Column is a field the importer understands.
type Column struct {
	Key      string
	Label    string
	Required bool
	Aliases  []string // lower-case header spellings seen in MIS exports
}

// Columns in the order they are reported.
var Columns = []Column{
	{"upn", "UPN", true, []string{"upn", "unique pupil number"}},
	{"surname", "Surname", true, []string{"surname", "legal surname", "last name", "family name"}},
	{"forename", "Forename", true, []string{"forename", "legal forename", "first name", "given name", "forenames"}},
	{"dob", "Date of birth", true, []string{"dob", "date of birth", "birth date", "birthdate"}},
	{"sex", "Sex", true, []string{"sex", "gender"}},
	{"year", "Year group", true, []string{"year group", "year", "nc year", "ncyearactual", "national curriculum year", "curriculum year", "yr"}},
	{"class", "Class", false, []string{"class", "reg group", "registration group", "form", "tutor group", "reg"}},
	{"admission", "Admission date", false, []string{"admission date", "date of admission", "admission", "entry date", "start date"}},
}

// RowError is one problem in the file: which row (as a spreadsheet shows
// it, header = row 1), which field, and why.
type RowError struct {
	Row   int
	Field string
	Msg   string
}

func (e RowError) String() string {
	if e.Row == 0 {
		return e.Msg
	}
	return fmt.Sprintf("Row %d, %s: %s", e.Row, e.Field, e.Msg)
}

// Row is one valid pupil with its row number.
type Row struct {
	Row   int
	Pupil sen.Pupil
}

// Result is the outcome of reading a file.
type Result struct {
	Rows    []Row
	Errors  []RowError
	Columns []string // the labels of the columns found
	// Ignored are the file's columns the importer does not use, so the
	// preview can list them rather than drop them silently.
	Ignored []IgnoredColumn
	// Encoding ("UTF-8" or "UTF-16") and Delimiter ("commas",
	// "semicolons" or "tabs") say how the file was read.
	Encoding, Delimiter string
}

// IgnoredColumn is a column of the file that is not imported.
type IgnoredColumn struct {
	Column int    // as a spreadsheet counts, from 1
	Header string // its heading ("" for none)
}

// columnFor is the importer's column a header names, or nil.
func columnFor(h string) *Column {
	h = strings.ToLower(strings.TrimSpace(h))
	for i := range Columns {
		for _, a := range Columns[i].Aliases {
			if h == a {
				return &Columns[i]
			}
		}
	}
	return nil
}

// OK reports whether the file can be committed.
func (r Result) OK() bool { return len(r.Errors) == 0 && len(r.Rows) > 0 }

// ErrEmpty is returned for a file with no header.
var ErrEmpty = errors.New("the file is empty")

// Parse reads CSV data. File-level problems (no header, a required column
// missing, too many rows) come back as RowErrors with Row 0.
func Parse(data []byte, today time.Time) Result {
	var res Result
	if len(data) > MaxBytes {
		res.Errors = append(res.Errors, RowError{Msg: fmt.Sprintf("The file must be smaller than %d MB", MaxBytes>>20)})
		return res
	}
	data, enc, derr := decode(data) // a UTF-8 or UTF-16 byte order mark
	if derr != nil {
		res.Errors = append(res.Errors, *derr)
		return res
	}
	if len(bytes.TrimSpace(data)) == 0 {
		res.Errors = append(res.Errors, RowError{Msg: "The file is empty. Export the pupil list from your MIS as CSV and try again"})
		return res
	}
	comma := delimiter(data)
	res.Encoding, res.Delimiter = enc, delimiterName(comma)
	if e := notUTF8(data, comma); e != nil {
		res.Errors = append(res.Errors, *e)
		return res
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = comma
	// Leading spaces before a quoted field are allowed; with tabs between
	// fields that would swallow empty fields (values are trimmed anyway).
	cr.TrimLeadingSpace = comma != '\t'
	header, err := cr.Read()
	if err != nil {
		res.Errors = append(res.Errors, RowError{Msg: "The first row must be a header row naming the columns: " + csvErr(err)})
		return res
	}
	cr.FieldsPerRecord = len(header)
	idx := map[string]int{}
	for i, h := range header {
		c := columnFor(h)
		if c == nil {
			res.Ignored = append(res.Ignored, IgnoredColumn{Column: i + 1, Header: strings.TrimSpace(h)})
			continue
		}
		if _, dup := idx[c.Key]; dup {
			res.Errors = append(res.Errors, RowError{Msg: fmt.Sprintf("The header has more than one %s column (column %d is %q)", c.Label, i+1, header[i])})
		}
		idx[c.Key] = i
	}
	for _, c := range Columns {
		if _, ok := idx[c.Key]; ok {
			res.Columns = append(res.Columns, c.Label)
		} else if c.Required {
			res.Errors = append(res.Errors, RowError{Msg: fmt.Sprintf("The file has no %s column. The header row must include %s", c.Label, requiredList())})
		}
	}
	if len(res.Errors) > 0 {
		return res
	}
	seen := map[string]int{}
	if !eachRow(cr, data, comma, header, idx, &res.Errors, func() int { return len(res.Rows) }, func(line int, get func(string) string) {
		p := sen.Pupil{UPN: get("upn"), Forename: get("forename"), Surname: get("surname"), Sex: get("sex"), YearGroup: get("year"), ClassName: get("class")}
		fe := sen.FieldErrors{}
		if v := get("dob"); v == "" {
			fe.Add("dob", "is empty")
		} else if t, ok := sen.ParseDate(v); !ok {
			fe.Add("dob", fmt.Sprintf("%q is not a date: use DD/MM/YYYY or YYYY-MM-DD", v))
		} else {
			p.DOB = t
		}
		if v := get("admission"); v != "" {
			if t, ok := sen.ParseDate(v); !ok {
				fe.Add("admissionDate", fmt.Sprintf("%q is not a date: use DD/MM/YYYY or YYYY-MM-DD", v))
			} else {
				p.AdmissionDate = t
			}
		}
		rawSex, rawYear := p.Sex, p.YearGroup
		for k, m := range p.Validate(today) {
			switch k {
			case "sex":
				m = fmt.Sprintf("%q is not a census value: use F or M", rawSex)
			case "yearGroup":
				m = fmt.Sprintf("%q is not a year group: use N1, N2, R or 1 to 14", rawYear)
			}
			fe.Add(k, m)
		}
		if first, dup := seen[p.UPN]; dup && p.UPN != "" {
			fe.Add("upn", fmt.Sprintf("UPN %s is also on row %d: each pupil must appear once", p.UPN, first))
		} else {
			seen[p.UPN] = line
		}
		if len(fe) > 0 {
			for _, k := range fieldOrder {
				if m, ok := fe[k]; ok {
					res.Errors = append(res.Errors, RowError{Row: line, Field: fieldLabel[k], Msg: m})
				}
			}
			return
		}
		res.Rows = append(res.Rows, Row{Row: line, Pupil: p})
	}) {
		return res
	}
	if len(res.Rows) == 0 && len(res.Errors) == 0 {
		res.Errors = append(res.Errors, RowError{Msg: "The file has a header row but no pupils"})
	}
	return res
}

var fieldOrder = []string{"upn", "forename", "surname", "dob", "sex", "yearGroup", "className", "admissionDate"}

var fieldLabel = map[string]string{"upn": "UPN", "forename": "Forename", "surname": "Surname", "dob": "Date of birth", "sex": "Sex",
	"yearGroup": "Year group", "className": "Class", "admissionDate": "Admission date"}

func requiredList() string {
	var out []string
	for _, c := range Columns {
		if c.Required {
			out = append(out, c.Label)
		}
	}
	return strings.Join(out, ", ")
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func csvErr(err error) string {
	switch {
	case errors.Is(err, csv.ErrFieldCount):
		return "this row has a different number of columns from the header row"
	case errors.Is(err, csv.ErrQuote), errors.Is(err, csv.ErrBareQuote):
		return "a quotation mark is not closed or is in the wrong place"
	}
	return "the file could not be read as CSV"
}

// eachRow reads an export's data rows after its header, for the pupil and
// the contacts imports alike: it calls row with each non-blank row's line
// number and a getter of its trimmed cells by column key (idx). A row the
// reader cannot split is reported in errs with the field it broke at; a
// row of the wrong length is reported and skipped, anything else stops the
// reading, as does a file of more than MaxRows rows (rows counts those kept).
// It reports whether the whole file was read.
func eachRow(cr *csv.Reader, data []byte, comma rune, header []string, idx map[string]int, errs *[]RowError, rows func() int, row func(line int, get func(string) string)) bool {
	line := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return true
		}
		line++
		if err != nil {
			var pe *csv.ParseError
			field := "row"
			if errors.As(err, &pe) {
				line = pe.Line
				if !errors.Is(err, csv.ErrFieldCount) && pe.Column > 0 {
					// The reader counts bytes of the line; say which field.
					_, col := position(data, comma, lineOffset(data, pe.Line, pe.Column))
					field = columnName(header, col)
				}
			}
			*errs = append(*errs, RowError{Row: line, Field: field, Msg: csvErr(err)})
			if !errors.Is(err, csv.ErrFieldCount) {
				return false
			}
			continue
		}
		if blank(rec) {
			continue
		}
		if rows()+len(*errs) > MaxRows {
			*errs = append(*errs, RowError{Msg: fmt.Sprintf("The file has more than %d rows; split it and import each part", MaxRows)})
			return false
		}
		row(line, func(k string) string {
			if i, ok := idx[k]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		})
	}
}
