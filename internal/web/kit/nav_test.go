package kit

import (
	"reflect"
	"testing"
)

func TestSortAndGroupNav(t *testing.T) {
	items := []NavItem{
		{Href: "/staff", Label: "Staff", Group: NavSettings, Order: 120},
		{Href: "/ehc", Label: "EHC plans", Group: NavEHC, Order: 60},
		{Href: "/register", Label: "SEN register", Group: NavPupils, Order: 40},
		{Href: "/", Label: "Home", Group: NavToday, Order: 0},
		{Href: "/figures", Label: "Figures", Group: NavPupils, Order: 130},
		{Href: "/pupils", Label: "Pupils", Group: NavPupils, Order: 30, Active: true},
		{Href: "/today", Label: "Today", Group: NavToday, Order: 5},
		{Href: "/term-dates", Label: "Term dates", Group: NavSettings, Order: 110},
	}
	SortNav(items)
	var hrefs []string
	for _, it := range items {
		hrefs = append(hrefs, it.Href)
	}
	// By group in NavGroups' order, then by Order: a group's pages stay
	// together even when another module's Order falls between them.
	if want := []string{"/", "/today", "/pupils", "/register", "/figures", "/ehc", "/term-dates", "/staff"}; !reflect.DeepEqual(hrefs, want) {
		t.Fatalf("sorted: %v, want %v", hrefs, want)
	}
	for _, tc := range []struct {
		name  string
		items []NavItem
		want  []NavSection
	}{
		{"no items", nil, nil},
		{"a group of one is shown as its page", items[5:6], []NavSection{{Group: NavEHC, Label: "EHC plans", Href: "/ehc"}}},
		{"the current group is active, linked to its first page", items[:5], []NavSection{
			{Group: NavToday, Label: "Today", Href: "/", Items: items[0:2]},
			{Group: NavPupils, Label: "Pupils and register", Href: "/pupils", Active: true, Items: items[2:5]},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := GroupNav(tc.items); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
