// Package deadline is OpenSEND's single statutory-deadline engine for EHC
// (Education, Health and Care) plan work in England. It is pure: no I/O, no
// clock reads (callers pass "today", see Today), standard library only.
//
// It covers:
//
//   - Calendar dates (Date) with day, week and month arithmetic. Months use
//     the corresponding-date rule clamped to the month end (31 January + 1
//     month = 28/29 February); see Date.AddMonths.
//   - The EHC needs-assessment timeline from the date the LA received the
//     request: decision whether to assess at 6 weeks (SEND Regs 2014 reg
//     5(1)), decision not to issue at 16 weeks (reg 10(1)), final plan at 20
//     weeks (reg 13(2)), the 15-day draft comment period (reg 13(1)), the
//     statutory exceptions (regs 5(4), 10(4), 13(3)) and the Tribunal appeal
//     deadline. The 16 weeks bind only a decision not to issue; a final plan
//     issued inside the comment period is flagged; advice asked of the school
//     and other bodies is due 6 weeks after each request (reg 8). See
//     RequestMilestones.
//   - Unopposed appeals (reg 45 as substituted by SI 2015/359 reg 8). See
//     UnopposedMilestones.
//   - Annual reviews: the review due date (CFA 2014 s44, "the period of 12
//     months starting with"; see ReviewDue and
//     Date.EndOfMonthsStartingWith), the reg 20 notice, advice, report and
//     decision dates, the reg 22 amended plan (12 weeks after the
//     meeting, R (L) v Devon CC [2022] EWHC 493 (Admin)), meeting-date
//     checks (a late or past meeting is recorded and warned about, and its
//     steps measured from the real date) and preparing for adulthood from
//     Year 9. See ReviewMilestones, ReviewFacts.MeetingWarnings and
//     ReviewFacts.DaysLate.
//   - Phase transfers (reg 18): which pupils transfer at the end of this or
//     next academic year and the 15 February / 31 March deadline, and the
//     5-month rule for post-16 to post-16 moves. See PhaseTransferThisYear.
//
// Results are Milestones: a due date, an owner (LA, School or Parent), the
// legal source and, given today's date, a Status (done, done late, excepted,
// overdue, due soon, upcoming; lapsed for an optional step whose window
// closed; flagged for a Warning milestone). NextOwner says whose move it is.
//
// The rules and their sources are in /work/shared/domain/statutory-facts.md
// (sections 1.1-1.3 and 5); each rule's source is cited where it is coded.
// Time limits are maxima: the law says "as soon as practicable, and in any
// event within" each period, so a due date is the last day to act, not a
// target.
package deadline
