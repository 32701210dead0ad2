package readability

import (
	"strings"
	"testing"
)

func TestSyllables(t *testing.T) {
	tests := []struct {
		word string
		want int
	}{
		{"cat", 1}, {"reading", 2}, {"make", 1}, {"little", 2}, {"table", 2}, {"behaviour", 3}, {"colour", 2},
		{"programme", 2}, {"centre", 2}, {"organisation", 5}, {"recognise", 3}, {"wanted", 2}, {"played", 1},
		{"boxes", 2}, {"likes", 1}, {"SENCO", 2}, {"EHCP", 4}, {"salt", 1}, {"SALT", 1}, {"20", 2}, {"7", 1},
		{"self-regulation", 5}, {"teacher", 2}, {"happy", 2}, {"understanding", 4}, {"Amara's", 3},
	}
	for _, tt := range tests {
		if got := Syllables(tt.word); got != tt.want {
			t.Errorf("Syllables(%q) = %d, want %d", tt.word, got, tt.want)
		}
	}
}

func TestAnalyse(t *testing.T) {
	tests := []struct {
		name        string
		text        string
		minScore    float64
		maxScore    float64
		long        int
		jargon      []string
		plain       bool
		sentences   int
		wantBandSub string
	}{
		{
			name:     "plain parent text",
			text:     "Amara likes drawing. She reads with Mrs Shah three times a week. We will meet you again in February to see how she is doing.",
			minScore: 75, maxScore: 100, plain: true, sentences: 3,
		},
		{
			name:     "jargon-heavy text",
			text:     "Differentiation and scaffolding will support metacognition. The EP and SALT will advise on proprioceptive needs and SEMH provision.",
			maxScore: 40, jargon: []string{"differentiation", "EP", "metacognition", "proprioceptive", "provision", "SALT", "scaffolding", "SEMH"},
			sentences: 2, wantBandSub: "Hard",
		},
		{
			name: "one long sentence",
			text: "Because Noah finds it hard to sit still for a long time in busy lessons we will give him short movement breaks and a quiet place to work when he needs it and we will check how this is going.",
			long: 1, maxScore: 100, sentences: 1,
		},
		{
			name:     "abbreviations do not end sentences",
			text:     "We use e.g. picture cards. Mrs. Shah helps at 2.30 every day.",
			minScore: 50, maxScore: 100, plain: true, sentences: 2,
		},
		{
			name:     "lower-case ordinary words are not acronyms",
			text:     "Please send a snack. Add salt to taste. The map is on the wall.",
			minScore: 80, maxScore: 100, plain: true, sentences: 3,
		},
		{name: "empty", text: "   ", maxScore: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Analyse(tt.text)
			if r.Score < tt.minScore || r.Score > tt.maxScore {
				t.Errorf("score %.1f not in [%.0f, %.0f] (words %d, sentences %d, syllables %d)", r.Score, tt.minScore, tt.maxScore, r.Words, r.Sentences, r.Syllables)
			}
			if len(r.LongSentences) != tt.long {
				t.Errorf("long sentences = %d, want %d: %q", len(r.LongSentences), tt.long, r.LongSentences)
			}
			var got []string
			for _, j := range r.Jargon {
				got = append(got, j.Term)
				if j.Plainer == "" {
					t.Errorf("%s has no plainer suggestion", j.Term)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.jargon, ",") {
				t.Errorf("jargon = %v, want %v", got, tt.jargon)
			}
			if r.Plain() != tt.plain {
				t.Errorf("plain = %v, want %v (score %.1f)", r.Plain(), tt.plain, r.Score)
			}
			if tt.sentences != 0 && r.Sentences != tt.sentences {
				t.Errorf("sentences = %d, want %d", r.Sentences, tt.sentences)
			}
			if tt.wantBandSub != "" && !strings.Contains(r.Band, tt.wantBandSub) {
				t.Errorf("band = %q", r.Band)
			}
		})
	}
}

func TestFleschFormula(t *testing.T) {
	// "The cat sat on the mat." : 6 words, 1 sentence, 6 syllables:
	// 206.835 − 1.015×6 − 84.6×1 = 116.145, clamped to 100.
	if r := Analyse("The cat sat on the mat."); r.Score != 100 || r.Words != 6 || r.Syllables != 6 {
		t.Fatalf("%+v", r)
	}
	// Two-syllable words throughout: 206.835 − 1.015×4 − 84.6×2 = 33.575 → 33.6.
	if r := Analyse("Happy children enjoy reading."); r.Score != 33.6 {
		t.Fatalf("score %.2f (syllables %d)", r.Score, r.Syllables)
	}
}
