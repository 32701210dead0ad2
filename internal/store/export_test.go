package store

import "time"

// AuditHashForTest is the hash a row with these fields would carry, for tests
// that forge rows the way someone with database access could.
func AuditHashForTest(schoolID, userID int64, userName, action, entity string, entityID, pupilID int64, detail, ip string, at time.Time, seq int64, prev string) string {
	return auditHash(auditFields{SchoolID: schoolID, UserID: userID, UserName: userName, Action: action, Entity: entity, EntityID: entityID,
		PupilID: pupilID, Detail: detail, IP: ip, At: at, Seq: seq, PrevHash: prev})
}
