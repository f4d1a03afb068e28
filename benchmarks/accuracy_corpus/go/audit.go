// Audit log reader, copied from the workers by another team: hand-written accuracy example.
package shortener

import (
	"encoding/json"
	"log"
	"strings"
)

type AuditEntry struct {
	Actor  string
	Action string
}

// expect: duplicate-code
func ParseAudit(rows []string) []AuditEntry {
	var entries []AuditEntry
	for _, row := range rows {
		if row == "" || strings.HasPrefix(row, "//") {
			continue
		}
		var entry AuditEntry
		if err := json.Unmarshal([]byte(row), &entry); err != nil {
			log.Printf("skipping %q: %v", row, err)
			continue
		}
		entries = append(entries, entry)
	}
	return entries
}

// ok: duplicate-code
func Actors(entries []AuditEntry) []string {
	seen := map[string]bool{}
	var actors []string
	for _, entry := range entries {
		if !seen[entry.Actor] {
			seen[entry.Actor] = true
			actors = append(actors, entry.Actor)
		}
	}
	return actors
}
