package ehc

import (
	"testing"
	"time"
)

func TestLetterAdvice(t *testing.T) {
	meeting := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		requested time.Time
		asks      bool
	}{
		{"not asked for advice", time.Time{}, false},
		{"asked for advice", time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC), true},
	} {
		l := Letter{Meeting: meeting, AdviceRequested: tc.requested}
		if got := l.AsksAdvice(); got != tc.asks {
			t.Errorf("%s: AsksAdvice %v, want %v", tc.name, got, tc.asks)
		}
		// reg 20(4): circulated 2 weeks before the meeting, so needed by then.
		if got := l.AdviceBy().Format("2006-01-02"); got != "2027-02-15" {
			t.Errorf("%s: AdviceBy %s, want 2027-02-15", tc.name, got)
		}
	}
}

func TestPostable(t *testing.T) {
	all := []Letter{{InviteeID: 1, Party: "parent"}, {InviteeID: 2, Party: "la"}, {InviteeID: 3, Party: "health"},
		{InviteeID: 4, Party: "social-care"}, {InviteeID: 5, Party: "professional"}}
	for _, tc := range []struct {
		name string
		in   []Letter
		want []int64
	}{
		{"none", nil, nil},
		{"parent and LA kept, services left to the SENCO", all, []int64{1, 2}},
		{"services only", all[2:], nil},
	} {
		got := Postable(tc.in)
		var ids []int64
		for _, l := range got {
			ids = append(ids, l.InviteeID)
		}
		if len(ids) != len(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, ids, tc.want)
			continue
		}
		for i := range ids {
			if ids[i] != tc.want[i] {
				t.Errorf("%s: %v, want %v", tc.name, ids, tc.want)
			}
		}
	}
}
