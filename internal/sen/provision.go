package sen

import "slices"

// SchoolProvision says which census provision types the school has: an SEN
// unit, resourced provision, or both. The per-pupil indicators are offered
// only where the school has that provision.
type SchoolProvision struct {
	SENUnit            bool
	ResourcedProvision bool
}

// Any reports whether the school has either provision type.
func (s SchoolProvision) Any() bool { return s.SENUnit || s.ResourcedProvision }

// ProvisionIndicators are a pupil's census items SENunitIndicator and
// ResourcedProvisionIndicator (statutory-facts.md §2.4 ☑: elements of the
// census <SpecialEducationalNeeds> container, boolean true/false).
type ProvisionIndicators struct {
	SENUnit            bool
	ResourcedProvision bool
}

// IndicatorStatuses are the provision statuses with which a pupil may carry
// the indicators. Source: statutory-facts.md §2.4 ☑ (Devon schools
// communication, June 2019, relaying DfE): flag a pupil only where the unit or
// resourced provision is formally recognised by the LA, recorded on GIAS and
// named in the pupil's EHC plan; and §2.5 rule 2 ⚠ (pupils with N have both
// flags false). The census rule wording is unconfirmed, so this is data.
var IndicatorStatuses = []string{StatusEHCP}

// IndicatorsAllowed reports whether a pupil with this status may carry the
// indicators at all.
func IndicatorsAllowed(status string) bool { return slices.Contains(IndicatorStatuses, status) }

// CheckIndicators applies the indicator rules (statutory-facts.md §2.4 and
// §2.5 rules 2 and 5 ⚠: a flag requires the school to have that provision
// type, recorded on GIAS; and the pupil's status in IndicatorStatuses). It
// returns field errors keyed senUnit and resourcedProvision.
func CheckIndicators(school SchoolProvision, status string, ind ProvisionIndicators) FieldErrors {
	fe := FieldErrors{}
	check := func(field string, set, offered bool, name string) {
		switch {
		case !set:
		case !offered:
			fe.Add(field, "The school's settings do not record "+name+": add it in the census provision settings first")
		case !IndicatorsAllowed(status):
			fe.Add(field, "Only a pupil with an EHC plan that names the "+name+" can be recorded as in it, not a pupil with "+StatusLabel(status)+" ("+status+")")
		}
	}
	check("senUnit", ind.SENUnit, school.SENUnit, "SEN unit")
	check("resourcedProvision", ind.ResourcedProvision, school.ResourcedProvision, "resourced provision")
	return fe
}
