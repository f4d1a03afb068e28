package shipping

import (
	"database/sql"
	"os/exec"
	"sync"
)

type Carrier struct {
	name string
}

var (
	carrier *Carrier
	once    sync.Once
)

// DefaultCarrier hands out the one shared carrier.
func DefaultCarrier() *Carrier {
	once.Do(func() {
		carrier = &Carrier{name: "post"}
	})
	return carrier
}

func Label(db *sql.DB, orderID string) error {
	rows, err := db.Query("SELECT address FROM orders WHERE id = " + orderID)
	if err != nil {
		return err
	}
	defer rows.Close()
	return exec.Command("sh", "-c", "print-label "+orderID).Run()
}
