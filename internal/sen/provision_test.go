package sen

import "testing"

func TestCheckIndicators(t *testing.T) {
	both := SchoolProvision{SENUnit: true, ResourcedProvision: true}
	unitOnly := SchoolProvision{SENUnit: true}
	tests := []struct {
		name   string
		school SchoolProvision
		status string
		ind    ProvisionIndicators
		want   map[string]string // field -> substring; nil for none
	}{
		{"no flags anywhere", SchoolProvision{}, StatusNone, ProvisionIndicators{}, nil},
		{"E in the school's unit", both, StatusEHCP, ProvisionIndicators{SENUnit: true}, nil},
		{"E in both", both, StatusEHCP, ProvisionIndicators{SENUnit: true, ResourcedProvision: true}, nil},
		{"school has no resourced provision", unitOnly, StatusEHCP, ProvisionIndicators{ResourcedProvision: true}, map[string]string{"resourcedProvision": "do not record resourced provision"}},
		{"school has neither", SchoolProvision{}, StatusEHCP, ProvisionIndicators{SENUnit: true}, map[string]string{"senUnit": "do not record SEN unit"}},
		{"K cannot be flagged", both, StatusSupport, ProvisionIndicators{SENUnit: true}, map[string]string{"senUnit": "not a pupil with SEN support (K)"}},
		{"N cannot be flagged", both, StatusNone, ProvisionIndicators{ResourcedProvision: true}, map[string]string{"resourcedProvision": "not a pupil with No SEN (N)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fe := CheckIndicators(tt.school, tt.status, tt.ind)
			if len(fe) != len(tt.want) {
				t.Fatalf("got %v, want %v", fe, tt.want)
			}
			for f, sub := range tt.want {
				if !contains(fe[f], sub) {
					t.Errorf("%s: %q lacks %q", f, fe[f], sub)
				}
			}
		})
	}
	if !IndicatorsAllowed(StatusEHCP) || IndicatorsAllowed(StatusSupport) || IndicatorsAllowed(StatusNone) {
		t.Fatal("IndicatorsAllowed wrong")
	}
	if (SchoolProvision{}).Any() || !unitOnly.Any() {
		t.Fatal("Any wrong")
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
