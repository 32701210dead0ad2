package sen

import "testing"

func TestCheckText(t *testing.T) {
	tests := []struct {
		name      string
		v         string
		multiline bool
		want      string
	}{
		{"plain", "Siobhán O'Neill-Łukasz", false, ""},
		{"empty", "", false, ""},
		{"emoji and accents", "café 😀", true, ""},
		{"invalid UTF-8", "ab\xff", false, msgInvalidUTF8},
		{"invalid UTF-8 long", "ab\xc3", true, msgInvalidUTF8},
		{"NUL", "a\x00b", false, msgControl},
		{"NUL long", "a\x00b", true, msgControlLong},
		{"tab in a line", "a\tb", false, msgControl},
		{"tab in long text", "a\tb", true, ""},
		{"new lines in long text", "a\r\nb\n", true, ""},
		{"new line in a line", "a\nb", false, msgControl},
		{"escape", "a\x1b[31m", true, msgControlLong},
		{"DEL", "a\x7f", false, msgControl},
		{"C1 control", "a\u0085", true, msgControlLong},
		{"bidi allowed in text", "a\u202eb", true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CheckText(tc.v, tc.multiline); got != tc.want {
				t.Fatalf("CheckText(%q, %v) = %q, want %q", tc.v, tc.multiline, got, tc.want)
			}
		})
	}
}

func TestCheckName(t *testing.T) {
	for v, want := range map[string]string{
		"Smith":        "",
		"Al-Hassan":    "",
		"Smi\u202eth":  msgBidi,
		"\u202aSmith":  msgBidi,
		"Smith\u2066":  msgBidi,
		"Smith\u2069":  msgBidi,
		"Smith\u2067x": msgBidi,
		"Smith\u200f":  "", // right-to-left mark is not an override
		"Smi\tth":      msgControl,
		"Smi\x00th":    msgControl,
		"Smi\xffth":    msgInvalidUTF8,
		"محمد":         "",
	} {
		if got := CheckName(v); got != want {
			t.Errorf("CheckName(%q) = %q, want %q", v, got, want)
		}
	}
	fe := FieldErrors{}
	fe.Name("surname", "a\u202eb")
	fe.Line("className", "a\tb")
	fe.Long("notes", "a\tb")
	if fe["surname"] != msgBidi || fe["className"] != msgControl || len(fe) != 2 {
		t.Fatalf("field errors: %v", fe)
	}
}
