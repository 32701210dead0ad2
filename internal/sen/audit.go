package sen

import "strings"

// auditActions names, for people, each action code the store writes to the
// audit log (store.audit and store.auditRead). A code missing here is shown
// as itself: TestAuditActionLabels lists the store's codes to keep the two in step.
var auditActions = map[string]string{
	// Sign-in and accounts.
	"login":                      "Signed in",
	"login.failed":               "Failed sign-in attempt",
	"login.locked":               "Account locked after failed sign-ins",
	"login.throttled":            "Failed sign-in attempt; further attempts slowed",
	"login.password":             "Signed in with their password (code next)",
	"login.code_failed":          "Wrong authenticator or recovery code",
	"user.unlock":                "Cleared a staff account's sign-in delays",
	"school.two_factor":          "Changed whether leaders must use an authenticator app",
	"two_factor.start":           "Began setting up an authenticator app",
	"two_factor.enable":          "Set up an authenticator app",
	"two_factor.recovery_codes":  "Made new recovery codes",
	"two_factor.disable":         "Turned off their authenticator app",
	"two_factor.reset":           "Reset a staff member's authenticator app",
	"logout":                     "Signed out",
	"user.create":                "Added a staff account",
	"user.update":                "Changed a staff account",
	"user.password.reset":        "Reset a staff member's password",
	"user.password.change":       "Changed their password",
	"calendar.feed.create":       "Turned on a calendar feed",
	"calendar.feed.revoke":       "Turned off a calendar feed",
	"calendar.feed.revoke.staff": "Turned off a staff member's calendar feed",
	"trust.create":               "Created the trust",
	"school.create":              "Created the school",
	"school.provision":           "Changed the school's census SEN unit and resourced provision",
	"term_dates.add":             "Added term dates",
	"term_dates.remove":          "Removed term dates",
	"group.staff.add":            "Added a member of staff to a group",
	"group.staff.remove":         "Removed a member of staff from a group",
	"mail.compose":               "Prepared an email",
	"outbox.list":                "Viewed the outbox",
	"outbox.read":                "Viewed an email in the outbox",
	"dashboard.read":             "Viewed the dashboard",
	"home.list":                  "Viewed their pupils with SEN on the home page",
	"mypupils.list":              "Viewed My pupils with SEN",
	"mypupils.guidance":          "Viewed Section E outcomes in My pupils with SEN",
	"today.list":                 "Viewed the today page",
	"concern.mine":               "Viewed the concerns they raised",

	// The audit log check and the import preview.
	"audit.verify":         "Checked the audit log has not been tampered with",
	"pupil.import.preview": "Checked an import file against the roll",

	// Pupils and the register.
	"pupil.create":        "Added the pupil",
	"pupil.import":        "Added the pupil by import",
	"pupil.import.commit": "Imported pupils",
	"pupil.update":        "Changed the pupil's details",
	"pupil.read":          "Viewed the record",
	"audit.read":          "Viewed this audit log",
	"register.status":     "Changed the SEN provision",
	"register.needs":      "Changed the needs",
	"register.indicators": "Changed the census SEN unit and resourced-provision indicators",
	"register.export":     "Downloaded the SEN register",
	"register.list":       "Viewed the SEN register",
	"pupil.list":          "Viewed the pupil list",

	// Concerns and evidence.
	"concern.raise":           "Raised a concern",
	"concern.decide":          "Decided on a concern",
	"concern.monitor_review":  "Reviewed the monitoring of a concern",
	"concern.read":            "Viewed a concern",
	"concern.queue":           "Viewed the concerns list",
	"concern.attachment.read": "Opened a concern's attachment",
	"evidence.add":            "Added evidence",
	"evidence.read":           "Viewed evidence",

	// SEN support plans and passports.
	"plan.create":          "Started a support plan",
	"plan.update":          "Changed the support plan",
	"plan.activate":        "Agreed the support plan",
	"plan.review":          "Reviewed the support plan",
	"plan.amend":           "Amended the reviewed support plan",
	"plan.log":             "Added a note to the support plan",
	"plan.read":            "Viewed the support plan",
	"plan.outcome.add":     "Added an outcome to the support plan",
	"plan.outcome.remove":  "Removed an outcome from the support plan",
	"plan.strategy.add":    "Added a strategy to the support plan",
	"plan.strategy.remove": "Removed a strategy from the support plan",
	"plan.support.add":     "Added support to the support plan",
	"plan.support.remove":  "Removed support from the support plan",
	"plan.outcome.edit":    "Changed an outcome of the support plan",
	"plan.strategy.edit":   "Changed a strategy of the support plan",
	"plan.support.edit":    "Changed support in the support plan",
	"plan.start.from":      "Started a support plan from a template or the previous plan",
	"plan.template.save":   "Saved a support plan as a school template",
	"plan.template.apply":  "Added a school template to the support plan",
	"strategy.add":         "Added a strategy to the school's bank",
	"strategy.edit":        "Changed a strategy in the school's bank",
	"strategy.retire":      "Retired a strategy from the school's bank",
	"strategy.restore":     "Restored a strategy to the school's bank",
	"passport.save":        "Saved the pupil passport",
	"passport.read":        "Viewed the pupil passport",

	// EHC needs assessment requests.
	"ehc.request.create":        "Started an EHC needs assessment request",
	"ehc.request.event":         "Recorded a step in the EHC needs assessment",
	"ehc.request.exception":     "Recorded an exception to an EHC time limit",
	"ehc.request.read":          "Viewed the EHC needs assessment request",
	"ehc.request.list":          "Viewed the EHC needs assessment requests",
	"ehc.request.evidence_pack": "Downloaded the EHC evidence pack",
	"ehc.request.correct":       "Corrected or withdrew a step of the EHC needs assessment, with a reason",

	// EHC plans.
	"ehc.plan.create":            "Added an EHC plan",
	"ehc.move.read":              "Viewed the pupil's next move",
	"ehc.move.save":              "Recorded the pupil's next move",
	"ehc.duties.read":            "Viewed the EHC plan's statutory dates",
	"ehc.unopposed.add":          "Recorded an unopposed appeal",
	"school.settings":            "Changed the school's type and age range",
	"ehc.plan.update":            "Changed the EHC plan",
	"ehc.plan.end":               "Recorded that the EHC plan ended",
	"ehc.plan.read":              "Viewed the EHC plan",
	"ehc.plan.list":              "Viewed the EHC plans",
	"ehc.plan.need.add":          "Added a need to Section B of the EHC plan",
	"ehc.plan.need.remove":       "Removed a need from Section B of the EHC plan",
	"ehc.plan.outcome.add":       "Added an outcome to Section E of the EHC plan",
	"ehc.plan.outcome.remove":    "Removed an outcome from Section E of the EHC plan",
	"ehc.plan.need.edit":         "Changed a need in Section B of the EHC plan",
	"ehc.plan.outcome.edit":      "Changed an outcome in Section E of the EHC plan",
	"ehc.plan.provision.add":     "Added provision to Section F of the EHC plan",
	"ehc.plan.provision.remove":  "Ended provision in Section F of the EHC plan",
	"ehc.plan.document.upload":   "Uploaded an EHC plan document",
	"ehc.plan.document.download": "Downloaded an EHC plan document",
	"ehc.delivery.record":        "Recorded Section F provision delivered",
	"ehc.delivery.peers":         "Viewed the other pupils with the same Section F provision, to record a session",
	"ehc.calendar.read":          "Viewed the EHC calendar",
	"ehc.letters.list":           "Viewed the review letters",
	"ehc.letters.print":          "Printed review letters",
	"ehc.transfers.read":         "Viewed the EHC plan transfers",

	// EHC annual reviews.
	"ehc.review.start":                    "Started an EHC annual review",
	"ehc.review.meeting":                  "Set the annual review meeting",
	"ehc.review.record":                   "Recorded the annual review meeting",
	"ehc.review.read":                     "Viewed the EHC annual review",
	"ehc.review.invitee.add":              "Added someone to invite to the annual review",
	"ehc.review.invitee.invited":          "Invited someone to the annual review",
	"ehc.review.invitee.advice-requested": "Asked someone for advice for the annual review",
	"ehc.review.invitee.advice-received":  "Received advice for the annual review",
	"ehc.review.report-sent":              "Sent the annual review report to the local authority",
	"ehc.review.decision":                 "Recorded the local authority's decision after the annual review",
	"ehc.review.amendment-comments":       "Sent comments on the proposed amendments",
	"ehc.review.amended-issued":           "Recorded the amended EHC plan as issued",
	"ehc.review.completed":                "Completed the EHC annual review",
	"ehc.review.correct":                  "Corrected or withdrew a step of the EHC annual review, with a reason",

	"pupil.leave":         "Recorded that the pupil left the school (off roll)",
	"pupil.leave.undo":    "Undid the pupil's leaving (recorded by mistake), with a reason",
	"leaving.read":        "Opened the pupil's leaving and CTF record",
	"leavers.list":        "Viewed the list of leavers",
	"ctf.sent":            "Recorded the common transfer file (CTF) as sent",
	"ctf.export":          "Exported the pupil's common transfer file (CTF)",
	"ctf.import.preview":  "Checked a common transfer file (CTF) before importing it",
	"ctf.import.commit":   "Imported a common transfer file (CTF)",
	"pupil.import.ctf":    "Added the pupil from a common transfer file (CTF)",
	"register.import.ctf": "Added SEN history and needs from a common transfer file (CTF)",
	"school.numbers":      "Recorded the school's LA and establishment number and URN (for CTFs)",
}

// auditListed names, on a pupil's own audit trail, a list view that showed
// the pupil among others (store.ListView and the dashboard): "Listed on the
// SEN register" by the person who viewed it.
var auditListed = map[string]string{
	"register.list":      "Listed on the SEN register",
	"register.export":    "Listed in a download of the SEN register",
	"pupil.list":         "Listed in the pupil list or a pupil search",
	"home.list":          "Listed on a home page among pupils with SEN",
	"mypupils.list":      "Listed, with their plan and passport, in My pupils with SEN",
	"dashboard.read":     "Listed on the SENCO dashboard",
	"today.list":         "Listed on the today page",
	"concern.mine":       "Listed among the concerns the viewer raised",
	"mypupils.guidance":  "Section E outcomes shown in My pupils with SEN",
	"ehc.delivery.peers": "Listed among the pupils who may have been in a Section F session being recorded",

	"pupil.import.preview": "Matched by UPN in an import file being checked",

	"leavers.list":       "Listed among the school's leavers",
	"ctf.import.preview": "Matched by UPN in a common transfer file (CTF) being checked",
}

// AuditListedLabel is, for a pupil's audit trail, a list view's action code
// that listed the pupil, in plain English; an unknown code reads "Listed:"
// and the view's own label.
func AuditListedLabel(code string) string {
	if l, ok := auditListed[code]; ok {
		return l
	}
	return "Listed: " + AuditActionLabel(code)
}

// AuditActionLabel is an audit action code in plain English; a code without
// a label is returned as it is.
func AuditActionLabel(code string) string {
	if l, ok := auditActions[code]; ok {
		return l
	}
	return strings.TrimSpace(code)
}
