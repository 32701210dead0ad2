// Package readability gives a plain-English indicator for text written for
// parents: a Flesch reading-ease score, the sentences longer than 25 words
// and the jargon typical of SEND paperwork, each with a plainer alternative.
//
// The score is Flesch's reading ease,
//
//	206.835 − 1.015 × (words ÷ sentences) − 84.6 × (syllables ÷ words),
//
// adapted for UK English: the syllable counter knows British spellings
// (-ise/-isation, -our, -re, -ogue, -mme), "-ed" and silent "e" endings, and
// numbers, abbreviations and acronyms are read the way a parent says them
// ("SENCO" is two syllables, "EHCP" four, "20" one). Scores: 60 or more is
// plain English most adults read easily; below 50 is hard.
package readability

import (
	"sort"
	"strings"
	"unicode"
)

// LongSentence is the number of words above which a sentence is flagged.
const LongSentence = 25

// Report is the indicator for one text.
type Report struct {
	Words         int
	Sentences     int
	Syllables     int
	Score         float64 // Flesch reading ease, clamped to 0–100
	Band          string  // "Easy", "Plain English", "Fairly hard", "Hard"
	LongSentences []string
	Jargon        []Jargon
}

// Jargon is a flagged term with a plainer suggestion.
type Jargon struct {
	Term    string
	Plainer string
}

// Empty reports whether there was no text to score.
func (r Report) Empty() bool { return r.Words == 0 }

// Plain reports whether the text is plain English: a score of 60 or more,
// no long sentences and no jargon.
func (r Report) Plain() bool {
	return r.Words > 0 && r.Score >= 60 && len(r.LongSentences) == 0 && len(r.Jargon) == 0
}

// Analyse scores text.
func Analyse(text string) Report {
	var r Report
	sentences := splitSentences(text)
	for _, s := range sentences {
		words := wordsOf(s)
		if len(words) == 0 {
			continue
		}
		r.Sentences++
		r.Words += len(words)
		for _, w := range words {
			r.Syllables += Syllables(w)
		}
		if len(words) > LongSentence {
			r.LongSentences = append(r.LongSentences, strings.TrimSpace(s))
		}
	}
	if r.Words == 0 {
		return r
	}
	score := 206.835 - 1.015*float64(r.Words)/float64(r.Sentences) - 84.6*float64(r.Syllables)/float64(r.Words)
	r.Score = max(0, min(100, float64(int(score*10+0.5))/10))
	switch {
	case r.Score >= 80:
		r.Band = "Easy"
	case r.Score >= 60:
		r.Band = "Plain English"
	case r.Score >= 50:
		r.Band = "Fairly hard"
	default:
		r.Band = "Hard"
	}
	r.Jargon = FindJargon(text)
	return r
}

// splitSentences splits on . ! ? and line breaks, keeping abbreviations
// like "e.g." and "Mrs." and decimal numbers inside their sentence.
func splitSentences(text string) []string {
	var out []string
	var cur strings.Builder
	rs := []rune(text)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if c == '\n' {
			out = append(out, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteRune(c)
		if c == '.' || c == '!' || c == '?' {
			next := rune(0)
			if i+1 < len(rs) {
				next = rs[i+1]
			}
			if c == '.' && next != 0 && !unicode.IsSpace(next) {
				continue // 2.5, e.g.
			}
			word := lastWord(cur.String())
			if c == '.' && isAbbrev(word) {
				continue
			}
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, cur.String())
	}
	return out
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.ToLower(strings.TrimRight(f[len(f)-1], "."))
}

var abbrevs = map[string]bool{"mr": true, "mrs": true, "ms": true, "dr": true, "e.g": true, "i.e": true, "etc": true, "approx": true, "st": true, "no": false}

func isAbbrev(w string) bool { return abbrevs[w] }

// wordsOf returns the words of a sentence (letters, digits, apostrophes, hyphens).
func wordsOf(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || r == '-')
	})
}

// spoken gives syllables for acronyms and abbreviations as said aloud.
var spoken = map[string]int{"senco": 2, "sendco": 2, "ehcp": 4, "send": 1, "semh": 4, "salt": 1, "sen": 1, "ta": 2, "adhd": 4, "ok": 2,
	"camhs": 1, "iep": 3, "ep": 2, "ot": 2, "asd": 3, "slcn": 4, "mld": 3, "spld": 4}

// ordinary are acronyms that are also everyday words ("salt", "send", "ok"):
// they count as acronyms only when written in capitals.
var ordinary = map[string]bool{"salt": true, "send": true, "sen": true, "ta": true, "ep": true, "ot": true, "ok": true}

// exceptions corrects the vowel-group rule for common words, including UK spellings.
var exceptions = map[string]int{
	"colour": 2, "behaviour": 3, "favourite": 3, "programme": 2, "centre": 2, "theatre": 3, "metre": 2, "catalogue": 3, "dialogue": 3,
	"recognise": 3, "organise": 3, "realise": 3, "apologise": 4, "prioritise": 4, "organisation": 5, "maths": 1, "every": 3,
	"people": 2, "business": 2, "different": 3, "interest": 3, "interested": 4, "evening": 2, "area": 3, "areas": 3, "idea": 3,
	"create": 2, "being": 2, "going": 2, "doing": 2, "science": 2, "quiet": 2, "really": 3, "usually": 4, "because": 2, "school": 1,
	"friend": 1, "friends": 1, "through": 1, "little": 2, "one": 1, "once": 1, "anxious": 2, "anxiety": 4, "reading": 2, "social": 2,
	"special": 2, "emotional": 4, "educational": 5, "naturally": 4, "every day": 3, "likes": 1, "lives": 1, "loves": 1, "make": 1, "makes": 1,
	"use": 1, "uses": 2, "used": 1, "before": 2, "sometimes": 2, "someone": 2, "something": 2, "he": 1, "she": 1, "we": 1, "the": 1, "me": 1, "be": 1,
}

// Syllables estimates the syllables of one word.
func Syllables(word string) int {
	w := strings.ToLower(strings.Trim(word, "'’-"))
	if w == "" {
		return 0
	}
	if strings.Contains(w, "-") {
		n := 0
		for _, part := range strings.Split(w, "-") {
			n += Syllables(part)
		}
		return max(n, 1)
	}
	if n, ok := spoken[w]; ok && (isUpperWord(word) || !ordinary[w]) {
		return n
	}
	if n, ok := exceptions[w]; ok {
		return n
	}
	if w[0] >= '0' && w[0] <= '9' {
		return numberSyllables(w)
	}
	if isUpperWord(word) && len(w) <= 5 {
		return len(w) // an unknown acronym is spelled out, one syllable a letter (roughly)
	}
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	// Plural and verb endings do not usually add a syllable.
	if strings.HasSuffix(w, "es") && !strings.HasSuffix(w, "ses") && !strings.HasSuffix(w, "ces") && !strings.HasSuffix(w, "ges") && !strings.HasSuffix(w, "zes") && !strings.HasSuffix(w, "xes") && !strings.HasSuffix(w, "shes") && !strings.HasSuffix(w, "ches") && len(w) > 3 {
		w = w[:len(w)-1]
	} else if strings.HasSuffix(w, "ed") && len(w) > 3 && !strings.HasSuffix(w, "ted") && !strings.HasSuffix(w, "ded") {
		w = w[:len(w)-2] + "x"
	}
	n := 0
	prevVowel := false
	for i, c := range w {
		v := strings.ContainsRune("aeiouy", c)
		if c == 'y' && i == 0 {
			v = false
		}
		if v && !prevVowel {
			n++
		}
		prevVowel = v
	}
	// Silent final e (make, centre's -re is handled as vowel group), but "-le" after a consonant is a syllable.
	if strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "le") && !strings.HasSuffix(w, "ee") && !strings.HasSuffix(w, "ie") && n > 1 {
		n--
	}
	if strings.HasSuffix(w, "le") && len(w) > 2 && strings.ContainsRune("aeiouy", rune(w[len(w)-3])) && n > 1 {
		n--
	}
	// -ise/-ize and -ism, -ian, -ia add or keep syllables correctly with vowel groups except "-ian"/"-ia".
	for _, suf := range []string{"ia", "ian", "iate", "ium", "ious"} {
		if strings.HasSuffix(w, suf) && suf != "ious" {
			n++
			break
		}
	}
	return max(n, 1)
}

func isUpperWord(s string) bool {
	has := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			has = true
		}
	}
	return has
}

func numberSyllables(w string) int {
	digits := 0
	for _, c := range w {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	switch {
	case digits <= 1:
		return 1
	case digits == 2:
		return 2
	default:
		return 3
	}
}

// jargonTerm is a term to flag; acronyms match case-sensitively as whole words.
type jargonTerm struct {
	term, plainer string
	acronym       bool
}

var jargonList = []jargonTerm{
	{"differentiation", "changing the work so it suits your child", false},
	{"differentiated", "changed to suit your child", false},
	{"scaffolding", "step-by-step help", false},
	{"scaffolded", "given step-by-step help", false},
	{"metacognition", "thinking about how they learn", false},
	{"metacognitive", "thinking about how they learn", false},
	{"dyscalculia", "difficulty with numbers (say what it means for your child)", false},
	{"dyslexia", "difficulty with reading and spelling (say what it means for your child)", false},
	{"dyspraxia", "difficulty with movement and coordination", false},
	{"proprioceptive", "sense of where the body is", false},
	{"proprioception", "sense of where the body is", false},
	{"vestibular", "sense of balance and movement", false},
	{"sensory diet", "planned movement and sensory breaks", false},
	{"self-regulation", "managing feelings and behaviour", false},
	{"dysregulated", "upset or overwhelmed", false},
	{"dysregulation", "becoming upset or overwhelmed", false},
	{"executive function", "planning, organising and remembering", false},
	{"executive functioning", "planning, organising and remembering", false},
	{"working memory", "holding information in mind while using it", false},
	{"phonological awareness", "hearing the sounds in words", false},
	{"phonological", "to do with the sounds in words", false},
	{"expressive language", "how your child uses words to talk", false},
	{"receptive language", "how your child understands what is said", false},
	{"intervention", "extra help", false},
	{"interventions", "extra help", false},
	{"graduated approach", "the way the school plans, does and reviews support", false},
	{"provision", "support", false},
	{"attainment", "how well your child is doing in their work", false},
	{"cognition", "thinking and learning", false},
	{"co-morbid", "happening together", false},
	{"comorbid", "happening together", false},
	{"standardised score", "score compared with children of the same age (100 is average)", false},
	{"standardised scores", "scores compared with children of the same age (100 is average)", false},
	{"percentile", "how your child compares with 100 children of the same age", false},
	{"age equivalent", "the age at which children usually score this", false},
	{"fine motor", "small hand movements, like writing", false},
	{"gross motor", "large body movements, like running", false},
	{"kinaesthetic", "learning by doing and moving", false},
	{"modelling", "showing how to do it", false},
	{"pre-teaching", "teaching new words or ideas before the lesson", false},
	{"SEMH", "social, emotional and mental health", true},
	{"SALT", "speech and language therapy (or therapist)", true},
	{"SaLT", "speech and language therapy (or therapist)", true},
	{"EP", "educational psychologist", true},
	{"EHCP", "education, health and care plan", true},
	{"EHC", "education, health and care", true},
	{"SENCO", "the teacher who leads support for children with SEND", true},
	{"SENCo", "the teacher who leads support for children with SEND", true},
	{"SEND", "special educational needs and disabilities", true},
	{"SEN", "special educational needs", true},
	{"SLCN", "speech, language and communication needs", true},
	{"ASD", "autism", true},
	{"ASC", "autism", true},
	{"ADHD", "attention deficit hyperactivity disorder (say what it means for your child)", true},
	{"SpLD", "specific learning difficulty, such as dyslexia", true},
	{"SPLD", "specific learning difficulty, such as dyslexia", true},
	{"MLD", "moderate learning difficulty", true},
	{"OT", "occupational therapist", true},
	{"CAMHS", "children's mental health service", true},
	{"TA", "teaching assistant", true},
	{"IEP", "support plan", true},
	{"APDR", "plan, do and review cycle", true},
	{"ELSA", "emotional literacy support assistant", true},
	{"LSA", "learning support assistant", true},
	{"QFT", "good everyday teaching in class", true},
	{"WM", "working memory", true},
}

// FindJargon returns the jargon terms in text, in the order of the list,
// each once.
func FindJargon(text string) []Jargon {
	var out []Jargon
	seen := map[string]bool{}
	lower := strings.ToLower(text)
	for _, j := range jargonList {
		if seen[strings.ToLower(j.term)] {
			continue
		}
		var found bool
		if j.acronym {
			found = containsWord(text, j.term)
		} else {
			found = containsWord(lower, j.term)
		}
		if found {
			seen[strings.ToLower(j.term)] = true
			out = append(out, Jargon{Term: j.term, Plainer: j.plainer})
		}
	}
	// A phrase and its parts ("standardised scores" and "standardised score")
	// are reported once: drop terms contained in a longer reported term.
	sort.SliceStable(out, func(i, k int) bool { return len(out[i].Term) > len(out[k].Term) })
	var final []Jargon
	for _, j := range out {
		dup := false
		for _, f := range final {
			if strings.Contains(strings.ToLower(f.Term), strings.ToLower(j.Term)) && !isUpperWord(j.Term) {
				dup = true
				break
			}
		}
		if !dup {
			final = append(final, j)
		}
	}
	sort.SliceStable(final, func(i, k int) bool { return strings.ToLower(final[i].Term) < strings.ToLower(final[k].Term) })
	return final
}

// containsWord finds term in s bounded by non-letters on both sides.
func containsWord(s, term string) bool {
	from := 0
	for {
		i := strings.Index(s[from:], term)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(term)
		before := i == 0 || !isWordByte(s[i-1])
		after := end == len(s) || !isWordByte(s[end])
		if before && after {
			return true
		}
		from = i + 1
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b >= 0x80
}
