// Accounts of a small bank: hand-written accuracy example (markers are the truth).
package bank

import (
	"database/sql"
	"fmt"
)

// expect: active-record
type Account struct {
	ID    int64
	Email string
	db    *sql.DB
}

func (a *Account) Save() error {
	_, err := a.db.Exec("UPDATE accounts SET email = $1 WHERE id = $2", a.Email, a.ID)
	return err
}

func (a *Account) Delete() error {
	_, err := a.db.Exec("DELETE FROM accounts WHERE id = $1", a.ID)
	return err
}

func FindAccount(db *sql.DB, id int64) (*Account, error) {
	a := &Account{db: db}
	err := db.QueryRow("SELECT id, email FROM accounts WHERE id = $1", id).Scan(&a.ID, &a.Email)
	return a, err
}

type Transfer struct {
	ID    int64
	From  int64
	To    int64
	Cents int64
}

// expect: data-mapper
type TransferMapper struct {
	db *sql.DB
}

func (m *TransferMapper) Insert(t Transfer) error {
	_, err := m.db.Exec("INSERT INTO transfers (id, src, dst, cents) VALUES ($1, $2, $3, $4)",
		t.ID, t.From, t.To, t.Cents)
	return err
}

func (m *TransferMapper) Find(id int64) (Transfer, error) {
	var t Transfer
	err := m.db.QueryRow("SELECT id, src, dst, cents FROM transfers WHERE id = $1", id).
		Scan(&t.ID, &t.From, &t.To, &t.Cents)
	return t, err
}

type Ledger struct{ moves []string }

func (l *Ledger) Move(from, to string, cents int64) {
	l.moves = append(l.moves, fmt.Sprintf("%s->%s %d", from, to, cents))
}

type AuditLog struct{ lines []string }

func (a *AuditLog) Record(what string) { a.lines = append(a.lines, what) }

type Notifier struct{ sent int }

func (n *Notifier) Tell(who string) { n.sent++ }

// expect: facade
type Bank struct {
	ledger   *Ledger
	audit    *AuditLog
	notifier *Notifier
}

func NewBank() *Bank {
	return &Bank{ledger: &Ledger{}, audit: &AuditLog{}, notifier: &Notifier{}}
}

func (b *Bank) Transfer(from, to string, cents int64) {
	b.ledger.Move(from, to, cents)
	b.audit.Record("transfer from " + from)
	b.notifier.Tell(to)
}
