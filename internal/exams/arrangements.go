// Package exams is the domain of exam access arrangements (issue 15): the
// JCQ arrangements as data, a candidate's arrangements with their status,
// approval and expiry, the evidence behind them (the assessor's standardised
// scores for Form 8, a current EHC plan, normal way of working), the 25%
// extra time criterion, the school's exam series and their deadlines, and
// the sittings invigilators work from.
//
// Source of every rule: the JCQ document "Adjustments for candidates with
// disabilities and learning difficulties – Access Arrangements and
// Reasonable Adjustments" (AARA), valid 1 September 2025 to 31 August 2026,
// https://www.jcq.org.uk/knowledge-hub/adjustments-for-candidates-with-disabilities-and-learning-difficulties
// as summarised in the project's fact sheet (shared/domain/statutory-facts.md
// §6). The AARA is reissued every August: what the fact sheet marks
// unconfirmed (thresholds, deadlines) is data the school changes, not code.
package exams

import "opensend/internal/sen"

// Kind is one access arrangement of the AARA chapter 5 list (fact sheet
// §6.2, 2024 edition ☑) with what it needs before it may be used.
type Kind struct {
	Code, Label string
	// Assessor: the centre must hold an assessor's evidence (Form 8) for a
	// candidate with learning difficulties and no current EHC plan (§6.4, §6.5).
	Assessor bool
	// Referred: the application is always referred to the awarding body
	// through Access Arrangements Online (over 25% extra time, practical
	// assistant: §6.3 ✅), so only the awarding body approves it.
	Referred bool
	// Delegated: the SENCO decides and no AAO application is made (§6.3 ☑,
	// typical examples; JCQ's page counts 19 delegated arrangements).
	Delegated bool
	// Note is what the fact sheet says about the evidence, for the page.
	Note string
}

// Kinds are the arrangements in the AARA chapter 5 order (fact sheet §6.2);
// the "Other arrangements" entry is split into the items the AARA lists
// under it, and modified papers are chapter 6. The evidence each needs
// follows §6.5; where the fact sheet marks the evidence ⚠ the note says so.
var Kinds = []Kind{
	{Code: "rest-breaks", Label: "Supervised rest breaks", Delegated: true,
		Note: "Delegated to the centre: based on normal way of working and the centre's policy (AARA §5.1: often better than extra time for anxiety or attention difficulties)."},
	{Code: "extra-time-25", Label: "25% extra time", Assessor: true,
		Note: "For learning difficulties without a current EHC plan: an assessor's evidence on Form 8 meeting the speed-of-working criterion (AARA; fact sheet §6.5). A current EHC plan confirming the need can substitute."},
	{Code: "extra-time-50", Label: "Extra time of up to 50% (26–50%)", Assessor: true, Referred: true,
		Note: "Always referred to the awarding body (JCQ AAO FAQ). The commonly cited evidence is two or more well-below-average scores, which is unconfirmed: the awarding body decides."},
	{Code: "extra-time-over-50", Label: "Extra time over 50%", Referred: true,
		Note: "Always referred to the awarding body."},
	{Code: "reader", Label: "Computer reader or reader",
		Note: "No formal assessment is now required: evidence of need and normal way of working (unconfirmed: re-check the current AARA)."},
	{Code: "read-aloud", Label: "Read aloud or examination reading pen", Delegated: true,
		Note: "Delegated to the centre: normal way of working."},
	{Code: "scribe", Label: "Scribe or speech recognition technology", Assessor: true,
		Note: "For learning difficulties: an assessor's evidence, e.g. spelling accuracy or writing speed at or below a standard score of 84 (unconfirmed)."},
	{Code: "word-processor", Label: "Word processor", Delegated: true,
		Note: "Delegated to the centre: normal way of working and the centre's word-processor policy."},
	{Code: "braille", Label: "Braille transcript"},
	{Code: "prompter", Label: "Prompter", Delegated: true,
		Note: "Delegated to the centre: normal way of working."},
	{Code: "language-modifier", Label: "Language modifier", Assessor: true,
		Note: "Form 8 is also used for a candidate who needs a language modifier (Form 8 text, 2020 edition)."},
	{Code: "live-speaker", Label: "Live speaker for pre-recorded components"},
	{Code: "communication-professional", Label: "Communication professional (sign language)"},
	{Code: "practical-assistant", Label: "Practical assistant", Referred: true,
		Note: "Always referred to the awarding body."},
	{Code: "alternative-site", Label: "Alternative site"},
	{Code: "separate-invigilation", Label: "Separate invigilation within the centre", Delegated: true,
		Note: "Delegated to the centre: normal way of working."},
	{Code: "coloured-overlays", Label: "Coloured overlays or reading rulers", Delegated: true},
	{Code: "coloured-paper", Label: "Coloured or enlarged paper"},
	{Code: "amplification", Label: "Amplification equipment"},
	{Code: "low-vision-aids", Label: "Low-vision aids, CCTV or OCR scanner"},
	{Code: "colour-naming", Label: "Colour naming by the invigilator"},
	{Code: "exemption", Label: "Exemption"},
	{Code: "bilingual-dictionary", Label: "Bilingual translation dictionary with up to 10% extra time", Delegated: true},
	{Code: "modified-papers", Label: "Modified papers (e.g. enlarged 18pt or 24pt bold, Braille)",
		Note: "Ordered from the awarding body ahead of the series (AARA chapter 6); the school's series settings hold the ordering deadline."},
}

// KindOptions is the arrangements list as a code list for forms.
var KindOptions = func() sen.Options {
	out := make(sen.Options, len(Kinds))
	for i, k := range Kinds {
		out[i] = sen.Option{Code: k.Code, Label: k.Label}
	}
	return out
}()

// KindOf returns the arrangement with code (ok false for an unknown code).
func KindOf(code string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Code == code {
			return k, true
		}
	}
	return Kind{}, false
}

// KindLabel names an arrangement (an unknown code reads as itself).
func KindLabel(code string) string { return KindOptions.Label(code) }

// Statuses of a candidate's arrangement, in the order the work goes.
const (
	StatusProposed = "proposed"
	StatusEvidence = "evidence"
	StatusApproved = "approved"
	StatusExpired  = "expired"
)

// StatusOptions are the statuses as a code list.
var StatusOptions = sen.Options{
	{Code: StatusProposed, Label: "Proposed"},
	{Code: StatusEvidence, Label: "Evidence gathered"},
	{Code: StatusApproved, Label: "Approved"},
	{Code: StatusExpired, Label: "Expired"},
}
