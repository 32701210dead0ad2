package exams

import "opensend/internal/sen"

// The exam records' conflicts, so the store writes no sentences.

// ErrChanged: the record (what, e.g. "arrangement") changed since it was read.
func ErrChanged(what string) error {
	return &sen.ConflictError{What: what, Msg: "Someone else changed this " + what + " while you were editing. Your change has not been saved: the current version is shown below."}
}

// ErrSeriesInUse: a series with sittings or arrangements cannot be removed.
func ErrSeriesInUse() error {
	return &sen.ConflictError{What: "exam series", Msg: "This series has exams or arrangements recorded against it, so it cannot be removed."}
}

// ErrAlreadyLinked: the record is already in the candidate's evidence.
func ErrAlreadyLinked() sen.FieldErrors {
	return sen.FieldErrors{"source": "This record is already in the candidate's normal way of working evidence"}
}

// ErrSeriesNameTaken: the school already has a series of that name.
func ErrSeriesNameTaken() sen.FieldErrors {
	return sen.FieldErrors{"name": "The school already has a series with this name"}
}

// ErrUnknownSeries: the series chosen is not one of the school's.
func ErrUnknownSeries() sen.FieldErrors {
	return sen.FieldErrors{"series": "Select one of the school's exam series"}
}
