package sen

// Option is one entry of a code list: the code stored and exchanged (census,
// CTF, the database) and the label people read. Every code list of the
// domain is a []Option defined once, in the package that owns it, and every
// view, form and report reads that one list.
type Option struct{ Code, Label string }

// Options is a code list in display order.
type Options []Option

// Label names code, or returns code itself when it is not in the list (an
// old or foreign code stays readable instead of disappearing).
func (os Options) Label(code string) string {
	for _, o := range os {
		if o.Code == code {
			return o.Label
		}
	}
	return code
}

// Has reports whether code is in the list.
func (os Options) Has(code string) bool {
	for _, o := range os {
		if o.Code == code {
			return true
		}
	}
	return false
}
