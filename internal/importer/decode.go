package importer

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// An MIS export or a spreadsheet's "Save as" gives CSV in several shapes:
// UTF-8 with or without a byte order mark (Excel's "CSV UTF-8" has one),
// UTF-16 with a byte order mark (Excel's "Unicode text", tab-separated),
// and commas, semicolons (Excel where the decimal mark is a comma) or tabs
// between fields. decode turns the first two into plain UTF-8; delimiter
// picks the separator from the header row. Anything else (UTF-16 without a
// byte order mark, Windows-1252 or Latin-1 text) is refused with the reason
// and, for text that is not UTF-8, the row and column where it shows.

// decode returns data as UTF-8 without a byte order mark, and what it was
// saved as (for the preview), or a file-level RowError.
func decode(data []byte) ([]byte, string, *RowError) {
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		data = data[3:]
		return data, "UTF-8", nil
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		var order binary.ByteOrder = binary.LittleEndian
		if data[0] == 0xfe {
			order = binary.BigEndian
		}
		body := data[2:]
		if len(body)%2 != 0 {
			return nil, "", &RowError{Msg: "The file is saved as UTF-16 (Unicode text) but its last character is cut short. Export it again"}
		}
		units := make([]uint16, len(body)/2)
		for i := range units {
			units[i] = order.Uint16(body[2*i:])
		}
		out := []byte(string(utf16.Decode(units)))
		if bytes.ContainsRune(out, utf8.RuneError) {
			return nil, "", &RowError{Msg: "The file is saved as UTF-16 (Unicode text) but has characters that cannot be read. Save it as “CSV UTF-8” and upload it again"}
		}
		return out, "UTF-16", nil
	}
	// UTF-16 without a byte order mark: every other byte of ASCII text is 0.
	if n := min(len(data), 200); n >= 4 && bytes.Count(data[:n], []byte{0}) >= n/3 {
		return nil, "", &RowError{Msg: "The file looks like UTF-16 (Unicode text) saved without a byte order mark, so it cannot be read safely. Save it as “CSV UTF-8” and upload it again"}
	}
	return data, "UTF-8", nil
}

// notUTF8 finds the first byte that is not UTF-8 and says where it is: the
// row as a spreadsheet numbers it and the column (named from the header),
// given the separator.
func notUTF8(data []byte, comma rune) *RowError {
	if utf8.Valid(data) {
		return nil
	}
	bad := 0
	for bad < len(data) {
		r, size := utf8.DecodeRune(data[bad:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		bad += size
	}
	row, col := position(data, comma, bad)
	var header []string
	if row > 1 {
		cr := csv.NewReader(bytes.NewReader(data))
		cr.Comma, cr.LazyQuotes, cr.FieldsPerRecord = comma, true, -1
		header, _ = cr.Read()
	}
	return &RowError{Row: row, Field: columnName(header, col), Msg: "has a character that is not UTF-8: the file looks saved as Windows or Latin-1 text. Save it as “CSV UTF-8” and upload it again"}
}

// position is the row (records, as a spreadsheet numbers them from 1) and
// column (fields, from 1) of byte offset off in data.
func position(data []byte, comma rune, off int) (row, col int) {
	row, col = 1, 1
	inQuotes := false
	for i := 0; i < off && i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == '"':
			inQuotes = !inQuotes
		case inQuotes:
		case r == comma:
			col++
		case r == '\n':
			row, col = row+1, 1
		}
		i += size
	}
	return row, col
}

// lineOffset is the byte offset of column col (1-based bytes) of physical
// line line (from 1), as csv.ParseError reports a position.
func lineOffset(data []byte, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		j := bytes.IndexByte(data[off:], '\n')
		if j < 0 {
			return len(data)
		}
		off += j + 1
	}
	return min(off+col-1, len(data))
}

// columnName is "column 3 (Forename)" for a 1-based column of header, or
// "column 3" when the header has no such column.
func columnName(header []string, col int) string {
	if col-1 < len(header) {
		if h := strings.TrimSpace(header[col-1]); h != "" && utf8.ValidString(h) {
			return fmt.Sprintf("column %d (%s)", col, h)
		}
	}
	return fmt.Sprintf("column %d", col)
}

// delimiter picks the field separator from the header row: the one of
// comma, semicolon and tab that splits it into the most columns the
// importer knows (a tie goes to the comma).
func delimiter(data []byte) rune {
	best, bestN := ',', -1
	for _, d := range []rune{',', ';', '\t'} {
		cr := csv.NewReader(bytes.NewReader(data))
		cr.Comma, cr.LazyQuotes = d, true
		header, err := cr.Read()
		if err != nil {
			continue
		}
		n := 0
		for _, h := range header {
			if columnFor(h) != nil {
				n++
			}
		}
		if n > bestN {
			best, bestN = d, n
		}
	}
	return best
}

// delimiterName names a separator for people.
func delimiterName(d rune) string {
	switch d {
	case ';':
		return "semicolons"
	case '\t':
		return "tabs"
	}
	return "commas"
}
