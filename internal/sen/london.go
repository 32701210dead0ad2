package sen

import (
	"time"
	_ "time/tzdata" // embedded zoneinfo so Europe/London loads without system tzdata
)

// london is the one Europe/London location: every statutory date, every
// "today" and every time shown to people is reckoned in it.
var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		// Cannot happen: time/tzdata is embedded above.
		panic("sen: cannot load Europe/London: " + err.Error())
	}
	return loc
}()

// London returns the Europe/London location.
func London() *time.Location { return london }
