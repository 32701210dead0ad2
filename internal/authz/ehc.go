package authz

import "opensend/internal/sen"

// EHC plans (issue 5).
const (
	// EHCRead: requests, plans (all sections and the document), reviews,
	// the compliance calendar and phase transfers. SENCO full; SLT read.
	EHCRead Action = "ehc:read"
	// EHCWrite: record requests, plans, reviews and their events.
	EHCWrite Action = "ehc:write"
	// EHCProvision: open a plan's Section E outcomes and the Section F lines
	// one delivers, and record delivery. Teachers and TAs are scoped in the
	// store to pupils they teach and lines assigned to them.
	EHCProvision Action = "ehc:provision"
	// EHCLetters: see which review invitations are still to post and record
	// that a letter or invitation was sent (office/admin).
	EHCLetters Action = "ehc:letters"
	// CalendarFeed: a personal, secret, revocable iCalendar feed.
	CalendarFeed Action = "calendar:feed"
	// OutboxRead: read the e-mails the app composed (the local outbox).
	OutboxRead Action = "outbox:read"
)

func init() {
	Grant(EHCRead, sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead)
	Grant(EHCWrite, sen.RoleSENCO, sen.RoleDeputy)
	Grant(EHCProvision, sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA)
	Grant(EHCLetters, sen.RoleSENCO, sen.RoleDeputy, sen.RoleOffice)
	Grant(CalendarFeed, sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead)
	Grant(OutboxRead, sen.RoleSENCO, sen.RoleDeputy)
}
