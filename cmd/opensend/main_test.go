package main

import "testing"

func TestLocalURL(t *testing.T) {
	for addr, want := range map[string]string{
		":8080":          "http://localhost:8080",
		"127.0.0.1:9000": "http://127.0.0.1:9000",
		"0.0.0.0:80":     "http://localhost:80",
		"[::]:8443":      "http://localhost:8443",
		"[::1]:8081":     "http://[::1]:8081",
	} {
		if got := localURL(addr); got != want {
			t.Errorf("localURL(%q) = %q, want %q", addr, got, want)
		}
	}
}
