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

	// The school's own SEN duties (issue 16).
	"training.list":             "Viewed the staff training record",
	"training.read":             "Viewed a training session",
	"training.create":           "Recorded a training session",
	"training.update":           "Changed a training session",
	"training.needs":            "Viewed the training suggested from the register",
	"training.mine":             "Viewed their own training record",
	"skills.list":               "Viewed staff qualifications and specialist skills",
	"skills.add":                "Recorded a qualification or specialist skill",
	"skills.remove":             "Removed a qualification or specialist skill",
	"senco_post.list":           "Viewed the SENCO qualification record",
	"senco_post.read":           "Viewed a SENCO's qualification record",
	"senco_post.create":         "Recorded a person taking the SENCO role",
	"senco_post.update":         "Changed a SENCO's qualification record",
	"sen_policy.read":           "Viewed the SEN policy",
	"sen_policy.upload":         "Uploaded a new version of the SEN policy",
	"sen_policy.download":       "Downloaded the SEN policy",
	"sen_policy.review_date":    "Set the SEN policy's next review date",
	"sen_report.read":           "Viewed the SEN information report",
	"sen_report.section":        "Changed a section of the SEN information report",
	"sen_report.details":        "Changed the SEN information report's details",
	"sen_report.publish":        "Published the SEN information report",
	"sen_report.unpublish":      "Took the SEN information report off the public page",
	"access_plan.read":          "Viewed the accessibility plan",
	"access_plan.period":        "Set the accessibility plan's dates",
	"access_plan.action.read":   "Viewed an action of the accessibility plan",
	"access_plan.action.add":    "Added an action to the accessibility plan",
	"access_plan.action.update": "Changed an action of the accessibility plan",
	"adjustment.list":           "Viewed the pupil's reasonable adjustments",
	"adjustment.read":           "Viewed a reasonable adjustment",
	"adjustment.add":            "Recorded a reasonable adjustment",
	"adjustment.update":         "Changed a reasonable adjustment",
	// The provision map.
	"provision.add":            "Added a provision to the school's library",
	"provision.edit":           "Changed a provision in the school's library",
	"provision.copy":           "Copied a provision in the school's library",
	"provision.retire":         "Retired a provision from the school's library",
	"provision.restore":        "Restored a retired provision to the school's library",
	"provision.rate.set":       "Set a staff hourly cost",
	"provision.rate.remove":    "Removed a staff hourly cost",
	"provision.run.start":      "Started a provision group",
	"provision.run.edit":       "Changed a provision group",
	"provision.run.read":       "Viewed a provision group and its pupils",
	"provision.member.add":     "Added a pupil to a provision group",
	"provision.member.dates":   "Changed when a pupil joined or left a provision group",
	"provision.scores":         "Recorded a pupil's entry or exit scores in a provision group",
	"provision.register.read":  "Opened a provision session register",
	"provision.session.record": "Recorded a provision session",
	"provision.attendance":     "Recorded a pupil's attendance at a provision session",
	"provision.pupil.read":     "Viewed a pupil's provision and interventions",
	"exams.settings.save":      "Changed the school's exam access arrangement score thresholds",
	"exams.series.add":         "Added an exam series",
	"exams.series.edit":        "Changed an exam series",
	"exams.sitting.add":        "Added an exam and room to an exam series",
	"exams.candidate.read":     "Viewed the exam access arrangements and their evidence",
	"exams.candidate.save":     "Recorded the exam candidate's details (Form 8 Part 1, informed of the application)",
	"exams.assessment.save":    "Recorded the assessor's assessment and scores for exam access arrangements",
	"exams.arrangement.read":   "Opened an exam access arrangement",
	"exams.arrangement.add":    "Added an exam access arrangement",
	"exams.arrangement.edit":   "Changed an exam access arrangement",
	"exams.normal.statement":   "Added a teacher's normal way of working statement for exams",
	"exams.normal.link":        "Kept a record as normal way of working evidence for exams",
	"exams.register.list":      "Viewed the exam access arrangements register",
	"exams.invigilators.list":  "Viewed or printed an invigilators' list of access arrangements",
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

	"provision.run.read":      "Listed among the pupils of a provision group",
	"provision.register.read": "Listed on a provision session register",

	"pupil.import.preview": "Matched by UPN in an import file being checked",

	"exams.register.list":     "Listed on the exam access arrangements register",
	"exams.invigilators.list": "Listed, with their access arrangements, on an invigilators' list",
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
